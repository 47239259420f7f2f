package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-format request to the gateway. Immutable; a body given as a tree is deep-copied on
 * build (one given as text keeps the text, {@link #rawJsonView()}), and the body is never
 * modified by the gateway (routing works on copies).
 *
 * <pre>{@code
 * GatewayRequest r = GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[...]}")
 *         .metadata("user_plan", "paid")
 *         .traceId("req-42")
 *         .build();
 * }</pre>
 *
 * <p>Every request also carries its HTTP method, path and query string: for the named endpoints
 * they are the endpoint's own; a request built with {@link #builder(String, String)} keeps the ones
 * given, so calls on existing objects ({@code GET /v1/files/file-abc/content}, {@code DELETE
 * /v1/models/ft:…}, {@code GET /v1/batches?limit=2}) reach the provider unchanged
 * ({@link Endpoint#PROXY} when the path names no endpoint).
 */
public final class GatewayRequest {
    private final Endpoint endpoint;
    private final String method;
    private final String path;
    private final @Nullable String query;
    private final @Nullable ObjectNode body;
    /** A non-JSON body (multipart, bytes); null for a JSON request. */
    private final @Nullable Body content;
    /** The multipart text fields as an object; null otherwise. */
    private final @Nullable ObjectNode fields;
    /**
     * The JSON text {@link #body} was parsed from, as the caller gave it: a {@code byte[]} (UTF-8) or
     * a {@code String} encoded on first use; null when the body was given as a tree.
     */
    private final @Nullable Object source;
    /** Marks a text that has no UTF-8 form (a lone surrogate): the tree is sent instead. */
    private static final byte[] NO_BYTES = new byte[0];

    /** {@link #source} as UTF-8 bytes, once asked for. */
    private volatile byte @Nullable [] sourceBytes;

    private final Map<String, String> metadata;
    private final Map<String, String> headers;
    private final Map<String, List<String>> headerValues;
    private final String traceId;
    private final JsonNode configOverride;

    private GatewayRequest(Builder b) {
        this.endpoint = b.endpoint;
        this.method = b.method;
        this.path = b.path;
        this.query = b.query;
        // a tree the builder parsed itself is nobody else's: no copy needed
        this.body = b.body == null ? null : b.source != null ? b.body : b.body.deepCopy();
        this.source = b.body == null ? null : b.source;
        this.sourceBytes = source instanceof byte[] bytes ? bytes : null;
        this.content = b.content;
        this.fields = b.content instanceof MultipartBody m ? m.fieldsAsJson() : null;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        Map<String, String> joined = new LinkedHashMap<>();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        b.headers.forEach((k, v) -> {
            joined.put(k, String.join(", ", v));
            lists.put(k, List.copyOf(v));
        });
        this.headers = Collections.unmodifiableMap(joined);
        this.headerValues = Collections.unmodifiableMap(lists);
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
     * Starts a request from its HTTP method and path, as an HTTP client or a server sees it: the
     * endpoint is {@link Endpoint#fromPath}'s ({@link Endpoint#PROXY} for a path under {@code /v1/}
     * that names no endpoint), and the method, path and query string travel with the request to the
     * provider unchanged.
     *
     * <pre>{@code
     * gateway.execute(GatewayRequest.builder("GET", "/v1/files/file-abc123/content").build());
     * gateway.execute(GatewayRequest.builder("GET", "/v1/batches?limit=2&after=batch_1").build());
     * }</pre>
     *
     * @param method the HTTP method, any case ({@code GET}, {@code POST}, {@code DELETE}, …)
     * @param pathAndQuery the path from {@code /v1/} on, with an optional {@code ?query} (kept as given, not decoded)
     * @return the builder; the body is optional for {@link Endpoint#PROXY} requests and for GET/DELETE
     * @throws IllegalArgumentException when the method is not a token or the path is not under {@code /v1/}
     */
    public static Builder builder(String method, String pathAndQuery) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "path");
        String m = method.toUpperCase(Locale.ROOT);
        if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("method: found \"" + excerpt(method, 20)
                    + "\", expected an HTTP method such as GET, POST or DELETE");
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 || q == pathAndQuery.length() - 1 ? null : pathAndQuery.substring(q + 1);
        for (int i = 0; i < pathAndQuery.length(); i++) {
            char c = pathAndQuery.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '#') {
                throw new IllegalArgumentException("path: found a control character, space or '#' at index " + i
                        + ", expected a percent-encoded path such as /v1/files/file-abc");
            }
        }
        if (!path.startsWith("/v1/") || path.contains("/../") || path.endsWith("/..") || path.contains("//")) {
            throw new IllegalArgumentException("path: found \"" + excerpt(path, 80)
                    + "\", expected a path under /v1/ without empty or '..' segments, such as /v1/files");
        }
        Endpoint endpoint = Endpoint.fromPath(m, path).orElse(Endpoint.PROXY);
        Builder b = new Builder(endpoint);
        b.method = m;
        b.path = path;
        b.query = query;
        return b;
    }

    private static String excerpt(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
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

    /**
     * Starts a request for a prompt template kept by the gateway ({@code Gateway.Builder.prompts}):
     * Portkey's route {@code POST /v1/prompts/{id}/completions} with body
     * {@code {"variables": {...}}}. The gateway renders the prompt with the variables and routes the
     * result as a chat completion request.
     *
     * <pre>{@code
     * gateway.execute(GatewayRequest.prompt("support-reply", Map.of("customer", "Ada")).build());
     * gateway.execute(GatewayRequest.prompt("support-reply@3", vars).build());   // version 3
     * }</pre>
     *
     * @param ref       the prompt id, optionally with {@code @version} ({@code support-reply@3}) or
     *                  {@code @latest}; without a version the newest is used
     * @param variables the template's variables: strings, numbers, booleans, lists, maps (dotted
     *                  names reach into maps) or Jackson nodes
     * @return the builder
     * @throws IllegalArgumentException when {@code ref} is not a prompt id with an optional version
     */
    public static Builder prompt(String ref, Map<String, ?> variables) {
        return prompt(ref, variables, Map.of());
    }

    /**
     * As {@link #prompt(String, Map)}, with parameters that replace the prompt's own for this
     * request (Portkey's "hyperparameters"), e.g. {@code Map.of("stream", true)} for a streamed
     * answer or {@code Map.of("temperature", 0)}.
     *
     * @param ref       the prompt id, optionally with {@code @version} or {@code @latest}
     * @param variables the template's variables
     * @param overrides request fields set over the rendered prompt ({@code stream}, {@code max_tokens},
     *                  {@code model}, …); not {@code messages} or {@code variables}
     * @return the builder
     * @throws IllegalArgumentException when {@code ref} is malformed, or {@code overrides} names
     *                                  {@code variables} or {@code messages}
     */
    public static Builder prompt(String ref, Map<String, ?> variables, Map<String, ?> overrides) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(overrides, "overrides");
        if (!PROMPT_REF.matcher(ref).matches()) {
            throw new IllegalArgumentException(
                    "prompt: found \"" + excerpt(ref, 80)
                            + "\", expected a prompt id such as \"support-reply\", optionally with @version (\"support-reply@3\")");
        }
        if (overrides.containsKey("variables") || overrides.containsKey("messages")) {
            throw new IllegalArgumentException("prompt overrides: found \""
                    + (overrides.containsKey("variables") ? "variables" : "messages")
                    + "\", expected request parameters such as stream or temperature (variables go in the"
                    + " variables argument; the messages come from the template)");
        }
        ObjectNode body = Json.object();
        overrides.forEach((k, v) -> body.set(k, Json.valueToTree(v)));
        body.set("variables", Json.valueToTree(variables));
        return builder("POST", PROMPT_PREFIX + ref + PROMPT_SUFFIX).body(body);
    }

    /** The path of Portkey's prompt route before the id: {@code /v1/prompts/}. */
    public static final String PROMPT_PREFIX = "/v1/prompts/";

    /** The path of Portkey's prompt route after the id: {@code /completions}. */
    public static final String PROMPT_SUFFIX = "/completions";

    private static final java.util.regex.Pattern PROMPT_REF =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(@([0-9]{1,9}|latest))?");

    /**
     * Starts a Realtime session request ({@code Gateway.realtime}): its parameters are
     * {@code {"model": model}}, which conditions see as {@code params.model} and a target's
     * {@code override_params} may change; nothing is sent as a body (the session is a WebSocket).
     * Add more parameters with {@code builder(Endpoint.REALTIME).body(json)}, e.g.
     * {@code max_output_tokens} to reserve less at admission.
     *
     * @param model the realtime model, e.g. {@code gpt-realtime}
     * @return the builder
     */
    public static Builder realtime(String model) {
        Objects.requireNonNull(model, "model");
        ObjectNode params = Json.object();
        params.put("model", model);
        return builder(Endpoint.REALTIME).body(params);
    }

    /** {@return the operation this request addresses} */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@return the HTTP method, upper-case: the endpoint's own unless the request was built from a method and path} */
    public String method() {
        return method;
    }

    /**
     * {@return the path from {@code /v1/} on, without the query string} The endpoint's own path
     * unless the request was built from a method and path ({@code /v1/files/file-abc/content}).
     */
    public String path() {
        return path;
    }

    /** {@return the raw query string without the {@code ?} (not decoded), if any} */
    public Optional<String> query() {
        return Optional.ofNullable(query);
    }

    /** {@return the JSON body (a copy: changing it does not change this request); null for raw/multipart requests} */
    public @Nullable ObjectNode body() {
        return body == null ? null : body.deepCopy();
    }

    /** {@return the JSON body without copying; callers must not modify it} */
    public @Nullable ObjectNode bodyView() {
        return body;
    }

    /**
     * The JSON text the body was parsed from, exactly as the caller gave it (its whitespace, key
     * order, escapes and number spellings), as UTF-8 bytes, without copying: present when the body was
     * set from text ({@link Builder#body(String)}, {@link Builder#body(byte[])},
     * {@link Builder#body(JsonNode, byte[])}), null when it was set as a tree. When nothing rewrites
     * the body on the way to a provider that takes OpenAI's format, these bytes are what is sent.
     *
     * @return the bytes, not copied (callers must not modify them), or null
     */
    public byte @Nullable [] rawJsonView() {
        byte[] b = sourceBytes;
        if (b == null && source instanceof String text) {
            b = utf8(text);
            sourceBytes = b == null ? NO_BYTES : b; // a benign race: every thread computes the same
        }
        return b == NO_BYTES ? null : b;
    }

    /**
     * The text as UTF-8, or null when it has a lone surrogate: Java's encoder would write {@code ?}
     * for it where the tree keeps it (serialised as a JSON escape), so the tree is sent instead.
     * The scan costs a fraction of the encoding (about 0.2 ms a MiB).
     */
    private static byte @Nullable [] utf8(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return null;
                }
            }
        }
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

    /**
     * {@return the request headers, names lower-cased; unmodifiable} A header given more than once
     * has its values joined with {@code ", "} here (the HTTP list form); {@link #headerValues()} keeps
     * them apart.
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@return every request header with each of its values in order, names lower-cased; unmodifiable} */
    public Map<String, List<String>> headerValues() {
        return headerValues;
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

    /**
     * {@return a per-request config that replaces the gateway's config for this request, if any} A request
     * without one may carry it as inline JSON in the {@code x-portkey-config} header instead (the gateway
     * reads that header when this is empty).
     */
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
        b.method = method;
        b.path = path;
        b.query = query;
        b.body = body;
        b.source = source;
        b.content = content;
        b.metadata.putAll(metadata);
        headerValues.forEach((k, v) -> b.headers.put(k, new ArrayList<>(v)));
        b.traceId = traceId;
        b.configOverride = configOverride;
        return b;
    }

    @Override
    public String toString() {
        // headers may carry credentials: only their names are shown
        return "GatewayRequest{" + endpoint + (endpoint == Endpoint.PROXY ? " " + method + " " + path : "")
                + ", model="
                + (paramsView() == null ? null : paramsView().path("model").asText(null))
                + (content == null ? "" : ", " + content)
                + ", stream=" + isStream() + ", metadata=" + metadata + ", headers=" + headers.keySet()
                + ", traceId=" + traceId + "}";
    }

    /** Builds a {@link GatewayRequest}. */
    public static final class Builder {
        private final Endpoint endpoint;
        private String method;
        private String path;
        private @Nullable String query;
        private ObjectNode body;
        /** The text {@link #body} was parsed from (String or byte[]); null when it was given as a tree. */
        private Object source;

        private Body content;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private String traceId;
        private JsonNode configOverride;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            this.method = endpoint.method();
            this.path = endpoint.path();
        }

        /**
         * Sets the JSON body from text. The request keeps the text: when nothing rewrites the body,
         * a provider that takes OpenAI's format is sent it as written ({@link #rawJsonView()}).
         *
         * @param json a JSON object
         * @return this builder
         * @throws IllegalArgumentException when {@code json} is malformed or not an object
         */
        public Builder body(String json) {
            Objects.requireNonNull(json, "body");
            JsonNode node;
            try {
                node = Json.parseStrict(json);
            } catch (IllegalArgumentException notExact) {
                // a repeated key or trailing content: the tree is what counts, the text is not sent
                return body(Json.parse(json));
            }
            body(node);
            this.source = json;
            return this;
        }

        /**
         * Sets the JSON body from UTF-8 bytes, as read from a socket or an SDK. The request keeps a
         * copy of the bytes: when nothing rewrites the body, a provider that takes OpenAI's format is
         * sent them as they are ({@link #rawJsonView()}), without serialising the parsed tree again.
         *
         * @param json a JSON object, UTF-8
         * @return this builder
         * @throws IllegalArgumentException when {@code json} is malformed or not an object
         */
        public Builder body(byte[] json) {
            Objects.requireNonNull(json, "body");
            Json.Parsed parsed = Json.parseKeepingSource(json);
            body(parsed.json());
            // a repeated key or trailing content: the tree is what counts, the bytes are not sent
            this.source = parsed.source() == null ? null : json.clone();
            return this;
        }

        /**
         * Sets the JSON body from a tree already parsed from {@code source} with
         * {@link Json#parseStrict(byte[])}, for callers that parsed it themselves to report their own
         * errors (a server, an SDK binding). The request keeps both, without copying either: neither
         * may change afterwards, and {@code source} must be the exact text {@code json} was strictly
         * parsed from, because it is what a provider that takes OpenAI's format is sent when nothing
         * rewrites the body (bytes only a lenient parse accepts go through {@link #body(JsonNode)}).
         *
         * @param json   the parsed body, a JSON object
         * @param source the UTF-8 bytes {@code json} was parsed from
         * @return this builder
         * @throws IllegalArgumentException when {@code json} is null or not an object
         */
        public Builder body(JsonNode json, byte[] source) {
            Objects.requireNonNull(source, "source");
            body(json);
            this.source = source;
            return this;
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
            this.source = null;
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
            List<String> type = headers.get("content-type");
            this.content = bytes == null ? null : new BytesBody(bytes.clone(), type == null ? null : type.get(0));
            if (bytes != null) {
                this.body = null;
                this.source = null;
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
            this.source = null;
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
            List<String> values = new ArrayList<>(1);
            values.add(Objects.requireNonNull(value, "header value"));
            headers.put(name.toLowerCase(Locale.ROOT), values);
            return this;
        }

        /**
         * Adds a value to a request header, keeping the values it already has (a header sent more
         * than once, as HTTP allows).
         *
         * @param name  the header name, any case (stored lower-cased)
         * @param value the value, not null
         * @return this builder
         */
        public Builder addHeader(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(Objects.requireNonNull(value, "header value"));
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
            if (endpoint == Endpoint.PROXY && Endpoint.PROXY.path().equals(path)) {
                throw new IllegalStateException("a PROXY request needs its method and path:"
                        + " use GatewayRequest.builder(method, path), e.g. builder(\"GET\", \"/v1/files/file-abc\")");
            }
            if (body == null && content == null && needsBody()) {
                throw new IllegalStateException("a " + endpoint + " request needs a body");
            }
            // checked before the deep copies below, which recurse
            Json.checkDepth(body, "request body");
            Json.checkDepth(configOverride, "config override");
            return new GatewayRequest(this);
        }

        private boolean needsBody() {
            return endpoint != Endpoint.PROXY
                    && endpoint != Endpoint.MODELS
                    && !"GET".equals(method)
                    && !"DELETE".equals(method)
                    && !"HEAD".equals(method);
        }
    }
}
