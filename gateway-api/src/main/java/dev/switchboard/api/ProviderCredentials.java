package dev.switchboard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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

    public static Builder builder(String providerId) {
        return new Builder(providerId);
    }

    public String providerId() {
        return providerId;
    }

    /** The secret; keep it out of logs. */
    public Optional<String> secret() {
        return Optional.ofNullable(secret);
    }

    public Optional<String> organization() {
        return Optional.ofNullable(organization);
    }

    public Optional<String> project() {
        return Optional.ofNullable(project);
    }

    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** Provider-specific target fields (e.g. {@code resource_name}, {@code aws_region}); a copy. */
    public ObjectNode options() {
        return options.deepCopy();
    }

    /** The key's rate limits and budgets, enforced by the gateway; empty when the key has none. */
    public Optional<KeyLimits> limits() {
        return Optional.ofNullable(limits);
    }

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

        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        public Builder organization(String organization) {
            this.organization = organization;
            return this;
        }

        public Builder project(String project) {
            this.project = project;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** Provider-specific fields, as they would be written on a config target. */
        public Builder options(ObjectNode options) {
            this.options = options;
            return this;
        }

        public Builder option(String key, String value) {
            if (options == null) {
                options = Json.object();
            }
            options.put(key, value);
            return this;
        }

        /** Rate limits and budgets for this key (null for none); see {@link KeyLimits}. */
        public Builder limits(KeyLimits limits) {
            this.limits = limits;
            return this;
        }

        public ProviderCredentials build() {
            return new ProviderCredentials(this);
        }
    }
}
