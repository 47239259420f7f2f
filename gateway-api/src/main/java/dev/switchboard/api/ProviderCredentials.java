package dev.switchboard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A registered provider key ("virtual key"), addressed from a config as {@code "provider": "@slug"}.
 * The secret never appears in {@link #toString()}.
 *
 * <pre>{@code
 * ProviderCredentials.builder("openai").secret(System.getenv("OPENAI_API_KEY")).build();
 * }</pre>
 */
public final class ProviderCredentials {
    private final String providerId;
    private final String secret;
    private final String organization;
    private final String project;
    private final String baseUrl;
    private final Instant expiresAt;
    private final ObjectNode options;
    private final KeyLimits limits;

    private ProviderCredentials(Builder b) {
        this.providerId = Objects.requireNonNull(b.providerId, "providerId");
        this.secret = b.secret;
        this.organization = b.organization;
        this.project = b.project;
        this.baseUrl = b.baseUrl;
        this.expiresAt = b.expiresAt;
        this.options = b.options == null ? Json.object() : b.options.deepCopy();
        this.limits = b.limits;
    }

    /**
     * Starts a key for one provider.
     *
     * @param providerId the provider the key belongs to, e.g. {@code openai}
     * @return the builder
     */
    public static Builder builder(String providerId) {
        return new Builder(providerId);
    }

    /** {@return the provider the key belongs to, e.g. {@code openai}} */
    public String providerId() {
        return providerId;
    }

    /** {@return the secret (sent as the target's {@code api_key}); keep it out of logs} */
    public Optional<String> secret() {
        return Optional.ofNullable(secret);
    }

    /** {@return the OpenAI organization, sent as the target's {@code openai_organization}} */
    public Optional<String> organization() {
        return Optional.ofNullable(organization);
    }

    /** {@return the OpenAI project, sent as the target's {@code openai_project}} */
    public Optional<String> project() {
        return Optional.ofNullable(project);
    }

    /** {@return the base URL replacing the provider's default, as the target's {@code custom_host}} */
    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** {@return when the key stops working: from then on a call through it is refused with 401} */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** {@return a copy of the provider-specific target fields (e.g. {@code resource_name}, {@code aws_region})} */
    public ObjectNode options() {
        return options.deepCopy();
    }

    /**
     * {@return the key's rate limits and budgets ({@link KeyLimits}), enforced by the gateway; empty when
     * the key has none}
     */
    public Optional<KeyLimits> limits() {
        return Optional.ofNullable(limits);
    }

    /** {@return a builder pre-filled with this key, to derive a changed copy} */
    public Builder toBuilder() {
        Builder b = new Builder(providerId);
        b.secret = secret;
        b.organization = organization;
        b.project = project;
        b.baseUrl = baseUrl;
        b.expiresAt = expiresAt;
        b.options = options.deepCopy();
        b.limits = limits;
        return b;
    }

    @Override
    public String toString() {
        return "ProviderCredentials{provider=" + providerId + ", secret=" + (secret == null ? "none" : "****")
                + (organization == null ? "" : ", organization=" + organization)
                + (baseUrl == null ? "" : ", baseUrl=" + baseUrl)
                + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "}";
    }

    /** Builds {@link ProviderCredentials}. */
    public static final class Builder {
        private final String providerId;
        private String secret;
        private String organization;
        private String project;
        private String baseUrl;
        private Instant expiresAt;
        private ObjectNode options;
        private KeyLimits limits;

        private Builder(String providerId) {
            this.providerId = providerId;
        }

        /**
         * Sets the secret, e.g. an API key. Fields written on a config target override the key's.
         *
         * @param secret the secret; never shown by {@code toString()}
         * @return this builder
         */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /**
         * Sets the OpenAI organization header value.
         *
         * @param organization the organization id
         * @return this builder
         */
        public Builder organization(String organization) {
            this.organization = organization;
            return this;
        }

        /**
         * Sets the OpenAI project header value.
         *
         * @param project the project id
         * @return this builder
         */
        public Builder project(String project) {
            this.project = project;
            return this;
        }

        /**
         * Replaces the provider's base URL (a proxy, a regional host, a stub in tests).
         *
         * @param baseUrl the base URL, as a target's {@code custom_host}
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * Sets when the key expires; calls through it are refused (401) from then on.
         *
         * @param expiresAt the expiry instant; null for never
         * @return this builder
         */
        public Builder expiresAt(@Nullable Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /**
         * Sets provider-specific fields, as they would be written on a config target.
         *
         * @param options e.g. {@code {"resource_name": "acme-eu", "api_version": "2024-10-21"}}
         * @return this builder
         */
        public Builder options(ObjectNode options) {
            this.options = options;
            return this;
        }

        /**
         * Adds one provider-specific field.
         *
         * @param key   the target field name, e.g. {@code aws_region}
         * @param value its value
         * @return this builder
         */
        public Builder option(String key, String value) {
            if (options == null) {
                options = Json.object();
            }
            options.put(key, value);
            return this;
        }

        /**
         * Attaches rate limits and budgets to this key, enforced by the gateway; see {@link KeyLimits}.
         *
         * @param limits the limits; null for none
         * @return this builder
         */
        public Builder limits(@Nullable KeyLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Builds the key.
         *
         * @return the key
         * @throws IllegalArgumentException when the options nest deeper than {@link Json#MAX_NESTING_DEPTH} levels
         */
        public ProviderCredentials build() {
            Json.checkDepth(options, "provider options object");
            return new ProviderCredentials(this);
        }
    }
}
