package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link Provider} needs to build one upstream call: the provider id, the endpoint,
 * the OpenAI-format body (after {@code override_params} and mutators), the target's options
 * ({@code api_key}, {@code custom_host} and provider-specific fields exactly as written in the config,
 * snake_case), the client headers selected by {@code forward_headers}, and a place to record what a
 * translating provider dropped. Adapters must not modify {@link #body()}: copy it.
 */
public final class ProviderCall {
    private final String providerId;
    private final Endpoint endpoint;
    private final ObjectNode body;
    private final ObjectNode options;
    private final Map<String, String> forwardedHeaders;
    private final boolean stream;
    private final Transport transport;
    private final Clock clock;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    private ProviderCall(Builder b) {
        this.providerId = Objects.requireNonNull(b.providerId, "providerId");
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.body = b.body == null ? Json.object() : b.body;
        this.options = b.options == null ? Json.object() : b.options;
        this.forwardedHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.forwardedHeaders));
        this.stream = b.stream;
        this.transport = b.transport;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    public static Builder builder(String providerId, Endpoint endpoint) {
        return new Builder(providerId, endpoint);
    }

    public String providerId() {
        return providerId;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The OpenAI-format request body; read-only by contract. */
    public ObjectNode body() {
        return body;
    }

    /** The target's fields (api_key, custom_host, provider-specific), read-only by contract. */
    public ObjectNode options() {
        return options;
    }

    /** A text option, or null when absent/blank. */
    public String option(String name) {
        JsonNode n = options.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.isBlank() ? null : s;
    }

    /** {@code api_key} of the target (or of its virtual key), or null. */
    public String apiKey() {
        return option("api_key");
    }

    /** {@code custom_host} when set (trailing slash removed), else the given default base URL. */
    public String baseUrl(String defaultBaseUrl) {
        String custom = option("custom_host");
        String base = custom != null ? custom : defaultBaseUrl;
        while (base != null && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    /** Client headers to copy to the upstream request verbatim (names lower-cased). */
    public Map<String, String> forwardedHeaders() {
        return forwardedHeaders;
    }

    public boolean isStream() {
        return stream;
    }

    /** A transport for auxiliary calls (e.g. minting an OAuth token); null when none was given. */
    public Transport transport() {
        return transport;
    }

    public Clock clock() {
        return clock;
    }

    /** Records a translation decision for the trace, e.g. {@code "dropped logit_bias: not supported by anthropic"}. */
    public void note(String note) {
        notes.add(note);
    }

    /** Records that a request field could not be expressed and was left out. */
    public void dropped(String field, String why) {
        notes.add("dropped " + field + ": " + why);
    }

    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    @Override
    public String toString() {
        return "ProviderCall{" + providerId + " " + endpoint + ", stream=" + stream + "}";
    }

    /** Builds a {@link ProviderCall}. */
    public static final class Builder {
        private final String providerId;
        private final Endpoint endpoint;
        private ObjectNode body;
        private ObjectNode options;
        private final Map<String, String> forwardedHeaders = new LinkedHashMap<>();
        private boolean stream;
        private Transport transport;
        private Clock clock;

        private Builder(String providerId, Endpoint endpoint) {
            this.providerId = providerId;
            this.endpoint = endpoint;
        }

        public Builder body(ObjectNode body) {
            this.body = body;
            return this;
        }

        public Builder options(ObjectNode options) {
            this.options = options;
            return this;
        }

        public Builder forwardedHeader(String name, String value) {
            forwardedHeaders.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public ProviderCall build() {
            return new ProviderCall(this);
        }
    }
}
