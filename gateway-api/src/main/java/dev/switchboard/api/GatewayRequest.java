package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OpenAI-format request to the gateway. Immutable; the body is deep-copied on build and never
 * modified by the gateway (routing works on copies).
 *
 * <pre>{@code
 * GatewayRequest r = GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[...]}")
 *         .metadata("user_plan", "paid")
 *         .traceId("req-42")
 *         .build();
 * }</pre>
 */
public final class GatewayRequest {
    private final Endpoint endpoint;
    private final ObjectNode body;
    private final byte[] rawBody;
    private final Map<String, String> metadata;
    private final Map<String, String> headers;
    private final String traceId;
    private final JsonNode configOverride;

    private GatewayRequest(Builder b) {
        this.endpoint = b.endpoint;
        this.body = b.body == null ? null : b.body.deepCopy();
        this.rawBody = b.rawBody == null ? null : b.rawBody.clone();
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.traceId = b.traceId;
        this.configOverride = b.configOverride == null ? null : b.configOverride.deepCopy();
    }

    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    /** {@code builder(CHAT_COMPLETIONS).body(json)}. */
    public static Builder chat(String json) {
        return builder(Endpoint.CHAT_COMPLETIONS).body(json);
    }

    public static Builder chat(JsonNode json) {
        return builder(Endpoint.CHAT_COMPLETIONS).body(json);
    }

    public static Builder completions(String json) {
        return builder(Endpoint.COMPLETIONS).body(json);
    }

    public static Builder embeddings(String json) {
        return builder(Endpoint.EMBEDDINGS).body(json);
    }

    public static Builder embeddings(JsonNode json) {
        return builder(Endpoint.EMBEDDINGS).body(json);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The JSON body (a copy: changing it does not change this request); null for raw/multipart requests. */
    public ObjectNode body() {
        return body == null ? null : body.deepCopy();
    }

    /** The JSON body without copying; callers must not modify it. */
    public ObjectNode bodyView() {
        return body;
    }

    /** Raw bytes for non-JSON requests (multipart uploads, audio); null otherwise. */
    public byte[] rawBody() {
        return rawBody == null ? null : rawBody.clone();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Request headers, names lower-cased. */
    public Map<String, String> headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Caller-given trace id, if any (the gateway generates one otherwise). */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    /** A per-request config that replaces the gateway's config for this request, if any. */
    public Optional<JsonNode> configOverride() {
        return Optional.ofNullable(configOverride);
    }

    /** True when the body asks for {@code "stream": true}. */
    public boolean isStream() {
        return body != null && body.path("stream").asBoolean(false);
    }

    /** A builder pre-filled with this request, for derived requests. */
    public Builder toBuilder() {
        Builder b = new Builder(endpoint);
        b.body = body;
        b.rawBody = rawBody;
        b.metadata.putAll(metadata);
        b.headers.putAll(headers);
        b.traceId = traceId;
        b.configOverride = configOverride;
        return b;
    }

    @Override
    public String toString() {
        // headers may carry credentials: only their names are shown
        return "GatewayRequest{" + endpoint + ", model=" + (body == null ? null : body.path("model").asText(null))
                + ", stream=" + isStream() + ", metadata=" + metadata + ", headers=" + headers.keySet()
                + ", traceId=" + traceId + "}";
    }

    /** Builds a {@link GatewayRequest}. */
    public static final class Builder {
        private final Endpoint endpoint;
        private ObjectNode body;
        private byte[] rawBody;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String traceId;
        private JsonNode configOverride;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** JSON body as text; must be a JSON object. */
        public Builder body(String json) {
            Objects.requireNonNull(json, "body");
            JsonNode node = Json.parse(json);
            return body(node);
        }

        /** JSON body; must be an object. */
        public Builder body(JsonNode json) {
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("request body must be a JSON object, found "
                        + (json == null ? "null" : json.getNodeType().toString().toLowerCase(Locale.ROOT)));
            }
            this.body = (ObjectNode) json;
            return this;
        }

        public Builder rawBody(byte[] bytes) {
            this.rawBody = bytes;
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        public Builder metadata(Map<String, String> values) {
            values.forEach(this::metadata);
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "header value"));
            return this;
        }

        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        public Builder configOverride(JsonNode config) {
            this.configOverride = config;
            return this;
        }

        public GatewayRequest build() {
            if (body == null && rawBody == null && endpoint != Endpoint.MODELS) {
                throw new IllegalStateException("a " + endpoint + " request needs a body");
            }
            return new GatewayRequest(this);
        }
    }
}
