package dev.switchboard.spring;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.switchboard.ConfigException;
import dev.switchboard.Gateway;
import dev.switchboard.accounting.JsonlFileSink;
import dev.switchboard.accounting.KeysFile;
import dev.switchboard.accounting.Slf4jLogSink;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.openai.SwitchboardOpenAI;
import dev.switchboard.redis.RedisCacheStore;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.Embedder;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatProperties;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingProperties;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

/**
 * Builds a {@link Gateway} bean from the {@code switchboard.*} properties ({@link SwitchboardProperties})
 * and closes it with the application context; exposes the OpenAI SDK's {@link OpenAIClient} and
 * {@link OpenAIClientAsync} running through it in-process ({@link SwitchboardOpenAI}). Each part below
 * switches on by itself:
 *
 * <ul>
 *   <li>every {@link LogSink}, {@link StateStore}, {@link CacheStore}, {@link Embedder} and
 *       {@link CallListener.Factory} bean of the application goes into the gateway, and every
 *       {@link SwitchboardGatewayCustomizer} runs on its builder;</li>
 *   <li>{@code switchboard.log.slf4j}, {@code switchboard.log.jsonl}: the matching log sinks;</li>
 *   <li>{@code switchboard.redis.url} with {@code plugins-redis} on the classpath: Redis state and cache stores;</li>
 *   <li>a {@code MeterRegistry} bean (Micrometer): {@link SwitchboardMetrics};</li>
 *   <li>Boot's {@code spring-boot-health} (Actuator): {@link SwitchboardHealthIndicator}, named {@code switchboard};</li>
 *   <li>Spring AI 2.x's OpenAI module: its {@code OpenAiChatModel} and {@code OpenAiEmbeddingModel} are
 *       built here on the gateway's clients, from Spring AI's own {@code spring.ai.openai.chat.*} and
 *       {@code spring.ai.openai.embedding.*} options, so Spring AI's auto-configuration (which would
 *       open its own connection to OpenAI) backs off; {@code switchboard.spring-ai.enabled=false}
 *       turns this off.</li>
 * </ul>
 *
 * Any bean defined by the application of the same type ({@code Gateway}, {@code OpenAIClient}, the
 * Spring AI models) replaces the one here.
 */
@AutoConfiguration(
        afterName = {
            // a MeterRegistry bean, when there is one, is defined by then (Boot 4, then Boot 3)
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
        },
        beforeName = {
            // our models first, so Spring AI's @ConditionalOnMissingBean ones back off
            "org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration",
            "org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration"
        })
@EnableConfigurationProperties(SwitchboardProperties.class)
public class SwitchboardAutoConfiguration {
    /** Created by Spring. */
    public SwitchboardAutoConfiguration() {}

    /**
     * The gateway, closed with the context.
     *
     * @param properties  the {@code switchboard.*} properties
     * @param environment where {@code ${VAR}} references of the config and keys file are looked up
     * @param sinks       every log sink bean
     * @param stateStore  a state store bean, if any
     * @param cacheStore  a cache store bean, if any
     * @param embedder    an embedder bean (semantic cache), if any
     * @param listeners   every call-listener factory bean (metrics, tracing)
     * @param customizers every builder customizer bean, in order
     * @return the gateway
     * @throws IllegalStateException naming the property when the config or keys file is missing or invalid
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Gateway switchboardGateway(
            SwitchboardProperties properties,
            Environment environment,
            ObjectProvider<LogSink> sinks,
            ObjectProvider<StateStore> stateStore,
            ObjectProvider<CacheStore> cacheStore,
            ObjectProvider<Embedder> embedder,
            ObjectProvider<CallListener.Factory> listeners,
            ObjectProvider<SwitchboardGatewayCustomizer> customizers) {
        String where = configSource(properties);
        Gateway.Builder b = Gateway.builder().environment(environment::getProperty);
        try {
            if (properties.getConfig() != null) {
                b.config(read(properties.getConfig(), "switchboard.config"));
            } else {
                b.config(properties.getConfigJson());
            }
        } catch (ConfigException e) {
            throw new IllegalStateException(where + " is not a valid gateway config: " + e.getMessage(), e);
        }
        Resource keys = properties.getVirtualKeys();
        if (keys != null) {
            String text = read(keys, "switchboard.virtual-keys");
            try {
                KeysFile.parse(text, environment::getProperty).forEach(b::provider);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "switchboard.virtual-keys=" + describe(keys) + " is not a valid keys file: " + e.getMessage(),
                        e);
            }
        }
        if (properties.getMaxAnswerBytes() != null) {
            b.maxAnswerBytes(properties.getMaxAnswerBytes().toBytes());
        }
        sinks.orderedStream().forEach(b::logSink);
        stateStore.ifAvailable(b::stateStore);
        cacheStore.ifAvailable(b::cacheStore);
        embedder.ifAvailable(b::embedder);
        List<CallListener.Factory> factories = listeners.orderedStream().toList();
        if (!factories.isEmpty()) {
            b.callListenerFactory(factories.size() == 1 ? factories.get(0) : all(factories));
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new IllegalStateException(where + " is not a valid gateway config: " + e.getMessage(), e);
        }
    }

    /**
     * The OpenAI SDK's blocking client, running through the gateway in-process; closing it (with the
     * context) does not close the gateway.
     *
     * @param gateway the gateway
     * @return the client
     */
    @Bean
    @ConditionalOnMissingBean
    public OpenAIClient switchboardOpenAiClient(Gateway gateway) {
        return SwitchboardOpenAI.client(gateway);
    }

    /**
     * The OpenAI SDK's asynchronous client, running through the gateway in-process.
     *
     * @param gateway the gateway
     * @return the client
     */
    @Bean
    @ConditionalOnMissingBean
    public OpenAIClientAsync switchboardOpenAiClientAsync(Gateway gateway) {
        return SwitchboardOpenAI.asyncClient(gateway);
    }

    /**
     * One JSON line per request through SLF4J, logger {@code switchboard.requests}.
     *
     * @return the sink
     */
    @Bean
    @ConditionalOnProperty(name = "switchboard.log.slf4j", havingValue = "true")
    public Slf4jLogSink switchboardSlf4jLogSink() {
        return new Slf4jLogSink();
    }

    /**
     * One JSON line per request appended to {@code switchboard.log.jsonl}; closed with the context,
     * after the gateway.
     *
     * @param properties the properties
     * @return the sink
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "switchboard.log.jsonl")
    public JsonlFileSink switchboardJsonlFileSink(SwitchboardProperties properties) {
        return new JsonlFileSink(properties.getLog().getJsonl());
    }

    /** Redis stores from {@code switchboard.redis.url}, when {@code plugins-redis} is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.switchboard.redis.RedisStateStore")
    @ConditionalOnProperty(name = "switchboard.redis.url")
    static class RedisStores {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(StateStore.class)
        RedisStateStore switchboardRedisStateStore(SwitchboardProperties properties) {
            return new RedisStateStore(properties.getRedis().getUrl());
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(CacheStore.class)
        RedisCacheStore switchboardRedisCacheStore(SwitchboardProperties properties) {
            return new RedisCacheStore(properties.getRedis().getUrl());
        }
    }

    /** Micrometer meters, when the application has a {@code MeterRegistry} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean
        SwitchboardMetrics switchboardMetrics(MeterRegistry registry) {
            return new SwitchboardMetrics(registry);
        }
    }

    /** The health indicator, with Boot 4's health module (Actuator). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthCheck {
        @Bean
        @ConditionalOnMissingBean
        SwitchboardHealthIndicator switchboardHealthIndicator(Gateway gateway) {
            return new SwitchboardHealthIndicator(gateway);
        }
    }

    /**
     * Spring AI 2.x's OpenAI models on the gateway's clients. Spring AI's own auto-configuration builds
     * them on an OkHttp client it makes itself and takes no {@code OpenAIClient} bean; defining the
     * models here (its beans are {@code @ConditionalOnMissingBean}) is the one supported way in. The
     * {@code OpenAiSetup} condition keeps Spring AI 1.x (not on the official SDK) out.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                "org.springframework.ai.openai.OpenAiChatModel",
                "org.springframework.ai.openai.setup.OpenAiSetup",
                "org.springframework.ai.model.openai.autoconfigure.OpenAiChatProperties"
            })
    @ConditionalOnProperty(name = "switchboard.spring-ai.enabled", havingValue = "true", matchIfMissing = true)
    @EnableConfigurationProperties({OpenAiChatProperties.class, OpenAiEmbeddingProperties.class})
    static class SpringAi {
        // the ToolCallingManager bean, as Spring AI's own auto-configuration passes it (deprecated in 2.0
        // for ChatClient's ToolCallingAdvisor, still what the model uses for tools called without one)
        @SuppressWarnings("removal")
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "openai", matchIfMissing = true)
        OpenAiChatModel openAiChatModel(
                OpenAIClient client,
                OpenAIClientAsync asyncClient,
                OpenAiChatProperties chatProperties,
                ObjectProvider<ToolCallingManager> toolCallingManager,
                ObjectProvider<ObservationRegistry> observationRegistry,
                ObjectProvider<ChatModelObservationConvention> observationConvention) {
            ObservationRegistry observations = observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP);
            OpenAiChatModel model = OpenAiChatModel.builder()
                    .openAiClient(client)
                    .openAiClientAsync(asyncClient)
                    .options(chatProperties.toOptions())
                    .toolCallingManager(toolCallingManager.getIfAvailable(() -> ToolCallingManager.builder()
                            .observationRegistry(observations)
                            .build()))
                    .observationRegistry(observations)
                    .build();
            observationConvention.ifAvailable(model::setObservationConvention);
            return model;
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(name = "spring.ai.model.embedding", havingValue = "openai", matchIfMissing = true)
        OpenAiEmbeddingModel openAiEmbeddingModel(
                OpenAIClient client,
                OpenAiEmbeddingProperties embeddingProperties,
                ObjectProvider<ObservationRegistry> observationRegistry,
                ObjectProvider<EmbeddingModelObservationConvention> observationConvention) {
            OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder()
                    .openAiClient(client)
                    .metadataMode(embeddingProperties.getMetadataMode())
                    .options(embeddingProperties.toOptions())
                    .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
                    .build();
            observationConvention.ifAvailable(model::setObservationConvention);
            return model;
        }
    }

    /** Where the config comes from, for messages; exactly one of the two properties must be set. */
    private static String configSource(SwitchboardProperties p) {
        boolean file = p.getConfig() != null;
        boolean inline = p.getConfigJson() != null && !p.getConfigJson().isBlank();
        if (file && inline) {
            throw new IllegalStateException("switchboard.config and switchboard.config-json are both set; expected"
                    + " one of them: the config file (e.g. switchboard.config=classpath:gateway.json) or the inline"
                    + " JSON");
        }
        if (!file && !inline) {
            throw new IllegalStateException("switchboard.config is not set; expected the gateway's config, e.g."
                    + " switchboard.config=classpath:gateway.json (a Portkey-format JSON file), or inline JSON in"
                    + " switchboard.config-json");
        }
        return file ? "switchboard.config=" + describe(p.getConfig()) : "switchboard.config-json";
    }

    private static String read(Resource resource, String property) {
        if (!resource.exists()) {
            throw new IllegalStateException(property + "=" + describe(resource) + ": found no such resource;"
                    + " expected a JSON file (on the classpath: src/main/resources/...)");
        }
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(property + "=" + describe(resource) + ": cannot be read", e);
        }
    }

    private static String describe(@Nullable Resource r) {
        return r == null ? "" : r.getDescription();
    }

    /** Every factory's listener for each request, in order. */
    private static CallListener.Factory all(List<CallListener.Factory> factories) {
        return (GatewayRequest request) -> {
            List<CallListener> each =
                    factories.stream().map(f -> f.create(request)).toList();
            return new FanOutListener(each);
        };
    }

    /** Tells every listener of a request; one that throws does not stop the others. */
    private record FanOutListener(List<CallListener> listeners) implements CallListener {
        @Override
        public void requestStart(GatewayRequest request) {
            each(l -> l.requestStart(request));
        }

        @Override
        public void attemptStart(String targetPath, String provider, @Nullable String model, int retryNumber) {
            each(l -> l.attemptStart(targetPath, provider, model, retryNumber));
        }

        @Override
        public void firstEvent(String targetPath) {
            each(l -> l.firstEvent(targetPath));
        }

        @Override
        public void attemptEnd(dev.switchboard.api.Attempt attempt) {
            each(l -> l.attemptEnd(attempt));
        }

        @Override
        public void cacheHit(String targetPath, dev.switchboard.api.CacheStatus status) {
            each(l -> l.cacheHit(targetPath, status));
        }

        @Override
        public void streamEnd(dev.switchboard.api.@Nullable Usage usage, @Nullable String errorClass) {
            each(l -> l.streamEnd(usage, errorClass));
        }

        @Override
        public void requestEnd(dev.switchboard.api.RequestTrace trace) {
            each(l -> l.requestEnd(trace));
        }

        private void each(java.util.function.Consumer<CallListener> call) {
            for (CallListener l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(SwitchboardAutoConfiguration.class)
                            .warn("a Switchboard call listener failed: {}", e.toString());
                }
            }
        }
    }
}
