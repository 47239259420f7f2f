package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
    private final @Nullable ObjectNode body;
    /** A non-JSON body (multipart, bytes); null for a JSON request. */
    private final @Nullable Body content;
    /** The multipart text fields as an object; null otherwise. */
    private final @Nullable ObjectNode fields;

    private final Map<String, String> metadata;
    private final Map<String, String> headers;
    private final String traceId;
    private final JsonNode configOverride;

    private GatewayRequest(Builder b) {
        this.endpoint = b.endpoint;
        this.body = b.body == null ? null : b.body.deepCopy();
        this.content = b.content;
        this.fields = b.content instanceof MultipartBody m ? m.fieldsAsJson() : null;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.traceId = b.traceId;
        this.configOverride = b.configOverride == null ? null : b.configOverride.deepCopy();
    }

    /**
     * Starts a request to any endpoint.
     *
     * @param endpoint the operation addressed
     * @return a builder; every endpoint but {@link Endpoint#MODELS} needs a body
     */
    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Starts a chat completion request: {@code builder(CHAT_COMPLETIONS).body(json)}.
     *
     * @param json the OpenAI request body, a JSON object
     * @return the builder
     * @throws IllegalArgumentException when {@code json} is malformed or not an object
     */
    public static Builder chat(String json) {
        return builder(Endpoint.CHAT_COMPLETIONS).body(json);
    }

    /**
     * Starts a chat completion request from a parsed body.
     *
     * @param json the OpenAI request body, a JSON object
     * @return the builder
     * @throws IllegalArgumentException when {@code json} is not an object
     */
    public static Builder chat(JsonNode json) {
        return builder(Endpoint.CHAT_COMPLETIONS).body(json);
    }

    /**
     * Starts a legacy text completion request.
     *
     * @param json the OpenAI request body, a JSON object
     * @return the builder
     * @throws IllegalArgumentException when {@code json} is malformed or not an object
     */
    public static Builder completions(String json) {
        return builder(Endpoint.COMPLETIONS).body(json);
    }

    /**
     * Starts an embeddings request.
     *
     * @param json the OpenAI request body, a JSON object
     * @return the builder
     * @throws IllegalArgumentException when {@code json} is malformed or not an object
     */
    public static Builder embeddings(String json) {
        return builder(Endpoint.EMBEDDINGS).body(json);
    }

    /**
     * Starts an embeddings request from a parsed body.
     *
     * @param json the OpenAI request body, a JSON object
     * @return the builder
     * @throws IllegalArgumentException when {@code json} is not an object
     */
    public static Builder embeddings(JsonNode json) {
        return builder(Endpoint.EMBEDDINGS).body(json);
    }

    /** {@return the operation this request addresses} */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@return the JSON body (a copy: changing it does not change this request); null for raw/multipart requests} */
    public @Nullable ObjectNode body() {
        return body == null ? null : body.deepCopy();
    }

    /** {@return the JSON body without copying; callers must not modify it} */
    public @Nullable ObjectNode bodyView() {
        return body;
    }

    /** {@return a copy of the raw bytes of a request built with {@link Builder#rawBody}; null otherwise} */
    public byte @Nullable [] rawBody() {
        return content instanceof BytesBody b ? b.bytes().clone() : null;
    }

    /**
     * The body in its general form: a {@link JsonBody} (a view of {@link #bodyView()}), a
     * {@link MultipartBody} or a {@link BytesBody}; null only for a bodiless {@link Endpoint#MODELS} request.
     *
     * @return the body; callers must not modify a JSON tree reached through it
     */
    public @Nullable Body content() {
        return content != null ? content : body == null ? null : new JsonBody(body);
    }

    /**
     * The request's parameters as JSON, without copying: the JSON body, or a multipart form's text
     * fields ({@link MultipartBody#fieldsAsJson()}). What conditions ({@code params.*}), hooks and the
     * cache key see.
     *
     * @return the parameters; null for a raw-bytes or bodiless request; callers must not modify it
     */
    public @Nullable ObjectNode paramsView() {
        return body != null ? body : fields;
    }

    /** {@return a copy of {@link #paramsView()} (null when it is null)} */
    public @Nullable ObjectNode params() {
        ObjectNode p = paramsView();
        return p == null ? null : p.deepCopy();
    }

    /** {@return the metadata conditions and logs can use ({@code metadata.*} in queries); unmodifiable} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the request headers, names lower-cased; unmodifiable} */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * One request header.
     *
     * @param name the header name, any case
     * @return its value, or empty when absent
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** {@return the caller-given trace id, if any (the gateway generates one otherwise)} */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    /** {@return a per-request config that replaces the gateway's config for this request, if any} */
    public Optional<JsonNode> configOverride() {
        return Optional.ofNullable(configOverride);
    }

    /** {@return true when the body asks for {@code "stream": true}} */
    public boolean isStream() {
        ObjectNode p = paramsView();
        return p != null && p.path("stream").asBoolean(false);
    }

    /** {@return a builder pre-filled with this request, for derived requests} */
    public Builder toBuilder() {
        Builder b = new Builder(endpoint);
        b.body = body;
        b.content = content;
        b.metadata.putAll(metadata);
        b.headers.putAll(headers);
        b.traceId = traceId;
        b.configOverride = configOverride;
        return b;
    }

    @Override
    public String toString() {
        // headers may carry credentials: only their names are shown
        return "GatewayRequest{" + endpoint + ", model="
                + (paramsView() == null ? null : paramsView().path("model").asText(null))
                + (content == null ? "" : ", " + content)
                + ", stream=" + isStream() + ", metadata=" + metadata + ", headers=" + headers.keySet()
                + ", traceId=" + traceId + "}";
    }

    /** Builds a {@link GatewayRequest}. */
    public static final class Builder {
        private final Endpoint endpoint;
        private ObjectNode body;
        private Body content;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String traceId;
        private JsonNode configOverride;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * Sets the JSON body from text.
         *
         * @param json a JSON object
         * @return this builder
         * @throws IllegalArgumentException when {@code json} is malformed or not an object
         */
        public Builder body(String json) {
            Objects.requireNonNull(json, "body");
            JsonNode node = Json.parse(json);
            return body(node);
        }

        /**
         * Sets the JSON body; the request keeps a deep copy.
         *
         * @param json a JSON object
         * @return this builder
         * @throws IllegalArgumentException when {@code json} is null or not an object
         */
        public Builder body(JsonNode json) {
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("request body must be a JSON object, found "
                        + (json == null ? "null" : json.getNodeType().toString().toLowerCase(Locale.ROOT)));
            }
            this.body = (ObjectNode) json;
            this.content = null;
            return this;
        }

        /**
         * Sets a non-JSON body (audio, a pre-encoded upload), sent to the provider as is; its
         * content type is the request's {@code content-type} header, else {@code application/octet-stream}.
         *
         * @param bytes the body; the request keeps a copy; null for none
         * @return this builder
         */
        public Builder rawBody(byte @Nullable [] bytes) {
            this.content = bytes == null ? null : new BytesBody(bytes.clone(), headers.get("content-type"));
            if (bytes != null) {
                this.body = null;
            }
            return this;
        }

        /**
         * Sets the body in any form: JSON, a multipart form (its text fields become {@code params.*})
         * or raw bytes. The request keeps the body as given (a JSON tree is deep-copied on build).
         *
         * @param body the body, not null
         * @return this builder
         * @throws IllegalArgumentException for a {@link StreamedBody}: a request body must be resendable
         *                                  on a retry; spool it into a {@link MultipartBody} part or bytes
         */
        public Builder body(Body body) {
            Objects.requireNonNull(body, "body");
            if (body instanceof JsonBody j) {
                return body(j.json());
            }
            if (body instanceof StreamedBody) {
                throw new IllegalArgumentException("a request body must be resendable on a retry; a StreamedBody"
                        + " is read once: use a MultipartBody part or a BytesBody");
            }
            this.content = body;
            this.body = null;
            return this;
        }

        /**
         * Adds one metadata entry, e.g. {@code user_plan = paid} for a conditional route.
         *
         * @param key   the key, not null
         * @param value the value, not null
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        /**
         * Adds every entry of {@code values} as metadata.
         *
         * @param values keys and values, none null
         * @return this builder
         */
        public Builder metadata(Map<String, String> values) {
            values.forEach(this::metadata);
            return this;
        }

        /**
         * Sets a request header, e.g. {@code x-portkey-request-timeout}; later calls for the same name win.
         *
         * @param name  the header name, any case (stored lower-cased)
         * @param value the value, not null
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "header value"));
            return this;
        }

        /**
         * Sets the trace id the gateway reports in {@code x-portkey-trace-id} and in the trace.
         *
         * @param traceId the id; null lets the gateway generate one
         * @return this builder
         */
        public Builder traceId(@Nullable String traceId) {
            this.traceId = traceId;
            return this;
        }

        /**
         * Routes this request with its own config instead of the gateway's.
         *
         * @param config a config in the same format as the gateway's; null for none
         * @return this builder
         */
        public Builder configOverride(JsonNode config) {
            this.configOverride = config;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the immutable request
         * @throws IllegalStateException when the request has no body and its endpoint needs one
         * @throws IllegalArgumentException when the body or the config override nests deeper than
         *                                  {@link Json#MAX_NESTING_DEPTH} levels (the limit parsed JSON has)
         */
        public GatewayRequest build() {
            if (body == null && content == null && endpoint != Endpoint.MODELS) {
                throw new IllegalStateException("a " + endpoint + " request needs a body");
            }
            // checked before the deep copies below, which recurse
            Json.checkDepth(body, "request body");
            Json.checkDepth(configOverride, "config override");
            return new GatewayRequest(this);
        }
    }
}
