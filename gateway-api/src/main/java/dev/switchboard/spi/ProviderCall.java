package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Body;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.api.JsonBody;
import dev.switchboard.api.MultipartBody;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link Provider} needs to build one upstream call: the provider id, the endpoint,
 * the OpenAI-format body (after {@code override_params} and mutators), the target's options
 * ({@code api_key}, {@code custom_host} and provider-specific fields exactly as written in the config,
 * snake_case), the client headers selected by {@code forward_headers}, and a place to record what a
 * translating provider dropped. Adapters must not modify {@link #body()}: copy it.
 *
 * <p>A request that is not JSON (a multipart upload, raw bytes) is {@link #content()}; for a
 * multipart form {@link #body()} holds its text fields (as conditions and hooks saw them, after
 * {@code override_params}), and {@link #multipart()} is the form with those fields, ready to send.
 *
 * <p>When {@link #body()} is exactly what the caller sent (no {@code override_params}, no hook
 * rewrite, nothing the gateway adds) and the caller gave it as text, {@link #rawJson()} holds that
 * text: an adapter that sends OpenAI's format unchanged sends {@link #jsonBytes()}, the caller's
 * bytes as they are, instead of serialising the tree again.
 */
public final class ProviderCall {
    private final String providerId;
    private final Endpoint endpoint;
    private final String method;
    private final String path;
    private final @Nullable String query;
    private final boolean hasBody;
    private final ObjectNode body;
    private final Body content;
    private final java.util.function.@Nullable Supplier<byte @Nullable []> rawJson;
    private final ObjectNode options;
    private final Map<String, String> forwardedHeaders;
    private final boolean stream;
    private final Transport transport;
    private final Clock clock;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    private ProviderCall(Builder b) {
        this.providerId = Objects.requireNonNull(b.providerId, "providerId");
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.method = b.method == null ? endpoint.method() : b.method;
        this.path = b.path == null ? endpoint.path() : b.path;
        this.query = b.query;
        this.hasBody = b.body != null || b.content != null;
        this.body = b.body == null ? Json.object() : b.body;
        this.content = b.content;
        this.rawJson = b.body == null || b.content != null ? null : b.rawJson;
        this.options = b.options == null ? Json.object() : b.options;
        this.forwardedHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.forwardedHeaders));
        this.stream = b.stream;
        this.transport = b.transport;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    /**
     * Starts a call; the gateway builds one per attempt, adapter tests build their own.
     *
     * @param providerId the provider id, e.g. {@code anthropic}
     * @param endpoint   the operation asked for
     * @return the builder
     */
    public static Builder builder(String providerId, Endpoint endpoint) {
        return new Builder(providerId, endpoint);
    }

    /** {@return the provider id, e.g. {@code anthropic}} */
    public String providerId() {
        return providerId;
    }

    /** {@return the operation asked for} */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@return the HTTP method the caller used, upper-case (the endpoint's own for a named endpoint)} */
    public String method() {
        return method;
    }

    /** {@return the caller's path from {@code /v1/} on, without the query (the endpoint's own for a named endpoint)} */
    public String path() {
        return path;
    }

    /** {@return the caller's raw query string without the {@code ?}, or null} */
    public @Nullable String query() {
        return query;
    }

    /**
     * The path relative to a provider's {@code /v1} base URL, with the query string: what a
     * pass-through adapter appends to its base URL ({@code /files/file-abc/content?x=1}).
     *
     * @return the path after {@code /v1}, and {@code ?query} when there is one
     */
    public String relativePathAndQuery() {
        String rel = path.startsWith("/v1/") ? path.substring(3) : path;
        return query == null ? rel : rel + "?" + query;
    }

    /** {@return whether the caller sent a body (a bodiless GET or DELETE has none; {@link #body()} is then empty)} */
    public boolean hasBody() {
        return hasBody;
    }

    /** {@return the OpenAI-format request body; read-only by contract} */
    public ObjectNode body() {
        return body;
    }

    /**
     * The caller's own JSON text of {@link #body()}, as UTF-8 bytes, when the body is unchanged
     * from what the caller sent and the caller sent it as text: its whitespace, key order, escapes and
     * number spellings as written — or, for a stream whose caller sent no {@code stream_options}, that
     * text with {@code "stream_options":{"include_usage":true}} put in front (usage is needed for
     * accounting). Null when the gateway changed the body otherwise ({@code override_params}, a hook's
     * rewrite, {@code include_usage} set inside the caller's own {@code stream_options}) or it was
     * given as a tree.
     *
     * @return the bytes, not copied (must not be modified), or null
     */
    public byte @Nullable [] rawJson() {
        return rawJson == null ? null : rawJson.get();
    }

    /**
     * The body to send for an adapter that passes OpenAI's format through unchanged: the caller's
     * own bytes ({@link #rawJson()}) when the gateway has them, else {@link #body()} serialised.
     *
     * @return UTF-8 JSON; not to be modified
     */
    public byte[] jsonBytes() {
        byte[] raw = rawJson();
        return raw != null ? raw : Json.bytes(body);
    }

    /**
     * The bytes of a body an adapter built from {@link #body()} copy-on-write: the caller's own
     * ({@link #rawJson()}) when {@code sent} is {@link #body()} itself (no quirk changed it), else
     * {@code sent} serialised.
     *
     * <pre>{@code
     * ObjectNode sent = editor.current();            // body() itself unless a quirk copied it
     * UpstreamRequest.post(uri, headers, call.jsonBytes(sent));
     * }</pre>
     *
     * @param sent the body the adapter sends
     * @return UTF-8 JSON; not to be modified
     */
    public byte[] jsonBytes(ObjectNode sent) {
        return sent == body ? jsonBytes() : Json.bytes(sent);
    }

    /**
     * The request body in its general form.
     *
     * @return a {@link JsonBody} of {@link #body()} for a JSON request, else the upload as the caller gave it
     */
    public Body content() {
        return content != null ? content : new JsonBody(body);
    }

    /**
     * The multipart upload with its text fields as {@link #body()} has them (a target's
     * {@code override_params} and mutators applied); the same form when nothing changed, so a
     * retry sends the same bytes.
     *
     * @return the form, or null when the request is not multipart
     */
    public MultipartBody multipart() {
        return content instanceof MultipartBody m ? m.withFields(body) : null;
    }

    /** {@return the target's fields ({@code api_key}, {@code custom_host}, provider-specific); read-only by contract} */
    public ObjectNode options() {
        return options;
    }

    /**
     * One target field as text.
     *
     * @param name the field, e.g. {@code aws_region}
     * @return its text (a non-text value as JSON), or null when absent or blank
     */
    public @Nullable String option(String name) {
        JsonNode n = options.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.isBlank() ? null : s;
    }

    /** {@return the {@code api_key} of the target (or of its virtual key), or null} */
    public @Nullable String apiKey() {
        return option("api_key");
    }

    /**
     * The base URL to call.
     *
     * @param defaultBaseUrl the provider's own base URL
     * @return {@code custom_host} when set, else {@code defaultBaseUrl}; without trailing slashes
     */
    public String baseUrl(String defaultBaseUrl) {
        String custom = option("custom_host");
        String base = custom != null ? custom : defaultBaseUrl;
        while (base != null && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    /** {@return the client headers to copy to the upstream request verbatim (names lower-cased)} */
    public Map<String, String> forwardedHeaders() {
        return forwardedHeaders;
    }

    /** {@return whether the caller asked for a stream} */
    public boolean isStream() {
        return stream;
    }

    /** {@return a transport for auxiliary calls (e.g. minting an OAuth token); null when none was given} */
    public @Nullable Transport transport() {
        return transport;
    }

    /** {@return the gateway's clock (for signatures and token expiry)} */
    public Clock clock() {
        return clock;
    }

    /**
     * Records a translation decision for the trace.
     *
     * @param note e.g. {@code "dropped logit_bias: not supported by anthropic"}
     */
    public void note(String note) {
        notes.add(note);
    }

    /**
     * Records that a request field could not be expressed and was left out.
     *
     * @param field the request field, e.g. {@code logit_bias}
     * @param why   the reason, e.g. {@code not supported by anthropic}
     */
    public void dropped(String field, String why) {
        notes.add("dropped " + field + ": " + why);
    }

    /** {@return the notes recorded so far, in order} */
    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    @Override
    public String toString() {
        return "ProviderCall{" + providerId + " " + endpoint
                + (endpoint == Endpoint.PROXY ? " " + method + " " + path : "") + ", stream=" + stream + "}";
    }

    /** Builds a {@link ProviderCall}. */
    public static final class Builder {
        private final String providerId;
        private final Endpoint endpoint;
        private String method;
        private String path;
        private String query;
        private ObjectNode body;
        private Body content;
        private java.util.function.Supplier<byte @Nullable []> rawJson;
        private ObjectNode options;
        private final Map<String, String> forwardedHeaders = new LinkedHashMap<>();
        private boolean stream;
        private Transport transport;
        private Clock clock;

        private Builder(String providerId, Endpoint endpoint) {
            this.providerId = providerId;
            this.endpoint = endpoint;
        }

        /**
         * Sets the HTTP method, path and query the caller used (for {@link Endpoint#PROXY} calls and
         * calls on existing objects); by default the endpoint's own.
         *
         * @param method the method, e.g. {@code GET}
         * @param path   the path from {@code /v1/} on, without the query
         * @param query  the raw query string without {@code ?}; null for none
         * @return this builder
         */
        public Builder target(String method, String path, @Nullable String query) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(java.util.Locale.ROOT);
            this.path = Objects.requireNonNull(path, "path");
            this.query = query;
            return this;
        }

        /**
         * Sets the OpenAI-format body.
         *
         * @param body the body, not copied; null for an empty object
         * @return this builder
         */
        public Builder body(@Nullable ObjectNode body) {
            this.body = body;
            return this;
        }

        /**
         * Sets where the caller's own JSON text of the body comes from, for {@link ProviderCall#rawJson()}:
         * only when the body set with {@link #body(ObjectNode)} is exactly the tree parsed from that text
         * (the gateway sets it when nothing rewrote the body). Asked for at most when an adapter sends it.
         *
         * @param rawJson gives the UTF-8 bytes (or null when there are none); null for none
         * @return this builder
         */
        public Builder rawJson(java.util.function.@Nullable Supplier<byte @Nullable []> rawJson) {
            this.rawJson = rawJson;
            return this;
        }

        /**
         * Sets a non-JSON request body (multipart upload, raw bytes); {@link #body(ObjectNode)} then
         * holds the form's text fields.
         *
         * @param content the body; null (or a JSON body) for a JSON request
         * @return this builder
         */
        public Builder content(Body content) {
            this.content = content instanceof JsonBody ? null : content;
            return this;
        }

        /**
         * Sets the target's fields.
         *
         * @param options snake_case fields as in the config; null for none
         * @return this builder
         */
        public Builder options(@Nullable ObjectNode options) {
            this.options = options;
            return this;
        }

        /**
         * Adds a client header to copy upstream.
         *
         * @param name  the header name, any case
         * @param value its value
         * @return this builder
         */
        public Builder forwardedHeader(String name, String value) {
            forwardedHeaders.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        /**
         * Marks a streamed call.
         *
         * @param stream whether the caller asked for a stream
         * @return this builder
         */
        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        /**
         * Sets the transport for auxiliary calls.
         *
         * @param transport the transport; null for none
         * @return this builder
         */
        public Builder transport(@Nullable Transport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param clock the clock; null for the system UTC clock
         * @return this builder
         */
        public Builder clock(@Nullable Clock clock) {
            this.clock = clock;
            return this;
        }

        /** {@return the call} */
        public ProviderCall build() {
            return new ProviderCall(this);
        }
    }
}
