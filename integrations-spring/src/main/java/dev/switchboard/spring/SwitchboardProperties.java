package dev.switchboard.spring;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * The {@code switchboard.*} properties the auto-configuration builds the {@code Gateway} from:
 *
 * <pre>
 * switchboard.config=classpath:gateway.json          # or switchboard.config-json={"provider": ...}
 * switchboard.virtual-keys=classpath:keys.json       # optional, a keys file
 * switchboard.log.slf4j=true                         # one JSON line per request on logger switchboard.requests
 * switchboard.log.jsonl=/var/log/app/requests.jsonl  # one JSON line per request in a file
 * switchboard.redis.url=redis://127.0.0.1:6379       # shared limits and cache (needs plugins-redis)
 * switchboard.max-answer-bytes=64MB
 * switchboard.spring-ai.enabled=true                 # Spring AI's OpenAI models through the gateway
 * </pre>
 *
 * <p>{@code ${VAR}} references in the config's and the keys file's secret fields are looked up in
 * Spring's {@code Environment}: environment variables, system properties and any property source
 * (e.g. {@code OPENAI_API_KEY=...} in a profile's properties).
 */
@ConfigurationProperties("switchboard")
public class SwitchboardProperties {
    private @Nullable Resource config;
    private @Nullable String configJson;
    private @Nullable Resource virtualKeys;
    private @Nullable DataSize maxAnswerBytes;
    private final Log log = new Log();
    private final Redis redis = new Redis();
    private final SpringAi springAi = new SpringAi();

    /** Creates the properties with their defaults (no config: one of {@code config}, {@code config-json} must be set). */
    public SwitchboardProperties() {}

    /** {@return the Portkey-format config file, e.g. {@code classpath:gateway.json}; null when not set} */
    public @Nullable Resource getConfig() {
        return config;
    }

    /**
     * Sets the config file.
     *
     * @param config a Spring resource location, e.g. {@code classpath:gateway.json} or {@code file:/etc/app/gateway.json}
     */
    public void setConfig(@Nullable Resource config) {
        this.config = config;
    }

    /** {@return the config as inline JSON; null when not set} */
    public @Nullable String getConfigJson() {
        return configJson;
    }

    /**
     * Sets the config as inline JSON, instead of {@link #setConfig a file}.
     *
     * @param configJson a Portkey-format config
     */
    public void setConfigJson(@Nullable String configJson) {
        this.configJson = configJson;
    }

    /** {@return the keys file of virtual keys ({@code {"keys": {"@openai-prod": {...}}}}); null when not set} */
    public @Nullable Resource getVirtualKeys() {
        return virtualKeys;
    }

    /**
     * Sets the keys file; its {@code ${VAR}} references are looked up in Spring's environment.
     *
     * @param virtualKeys a Spring resource location, e.g. {@code classpath:keys.json}
     */
    public void setVirtualKeys(@Nullable Resource virtualKeys) {
        this.virtualKeys = virtualKeys;
    }

    /** {@return the cap on a provider's whole (not streamed) answer; null for the gateway's default (64 MiB)} */
    public @Nullable DataSize getMaxAnswerBytes() {
        return maxAnswerBytes;
    }

    /**
     * Sets the cap on a provider's whole answer ({@code Gateway.Builder.maxAnswerBytes}).
     *
     * @param maxAnswerBytes e.g. {@code 16MB}; at least 1 byte
     */
    public void setMaxAnswerBytes(@Nullable DataSize maxAnswerBytes) {
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** {@return the request-log settings} */
    public Log getLog() {
        return log;
    }

    /** {@return the Redis settings} */
    public Redis getRedis() {
        return redis;
    }

    /** {@return the Spring AI settings} */
    public SpringAi getSpringAi() {
        return springAi;
    }

    /** Request logs: one JSON line per finished request (the gateway's trace, no prompts, no secrets). */
    public static class Log {
        private boolean slf4j;
        private @Nullable Path jsonl;

        /** Creates the settings: no log. */
        public Log() {}

        /** {@return whether each request is logged through SLF4J, logger {@code switchboard.requests}} */
        public boolean isSlf4j() {
            return slf4j;
        }

        /**
         * Logs each request through SLF4J ({@code Slf4jLogSink}).
         *
         * @param slf4j true to log
         */
        public void setSlf4j(boolean slf4j) {
            this.slf4j = slf4j;
        }

        /** {@return the file each request is appended to; null for none} */
        public @Nullable Path getJsonl() {
            return jsonl;
        }

        /**
         * Appends each request to a file ({@code JsonlFileSink}; its folder must exist), closed with the context.
         *
         * @param jsonl the file
         */
        public void setJsonl(@Nullable Path jsonl) {
            this.jsonl = jsonl;
        }
    }

    /** Redis, for rate limits, budgets and the cache shared between JVMs ({@code plugins-redis} on the classpath). */
    public static class Redis {
        private @Nullable URI url;

        /** Creates the settings: no Redis. */
        public Redis() {}

        /** {@return the Redis address; null for in-memory state and cache} */
        public @Nullable URI getUrl() {
            return url;
        }

        /**
         * Keeps limits, budgets ({@code RedisStateStore}) and cached answers ({@code RedisCacheStore}) in Redis.
         *
         * @param url e.g. {@code redis://127.0.0.1:6379}; credentials in it are never logged
         */
        public void setUrl(@Nullable URI url) {
            this.url = url;
        }
    }

    /** Spring AI's OpenAI models ({@code OpenAiChatModel}, {@code OpenAiEmbeddingModel}) on the gateway's client. */
    public static class SpringAi {
        private boolean enabled = true;

        /** Creates the settings: enabled. */
        public SpringAi() {}

        /** {@return whether Spring AI's OpenAI models are built on the gateway's {@code OpenAIClient} (default true)} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Set false to leave Spring AI's own OpenAI auto-configuration (and its direct connection) alone.
         *
         * @param enabled whether to route Spring AI through the gateway
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
