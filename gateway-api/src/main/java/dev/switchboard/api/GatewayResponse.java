package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's answer: an HTTP-like status, headers (including {@code x-portkey-*}), and a JSON
 * body, bytes (e.g. audio: {@link #bytes()}, {@link #inputStream()}), bytes streamed as they arrive
 * (a binary download: {@link #isBinaryStream()}) or an {@link EventStream}. An error status is an
 * ordinary response, not an exception; call {@link #throwIfError()} to turn it into one.
 *
 * <p>Headers: {@link #header(String)} gives one value as an {@code Optional} (case-insensitive),
 * {@link #headers(String)} every value of a header HTTP allows to repeat; the same convention as
 * {@code HttpReply} and {@code UpstreamResponse}.
 */
public final class GatewayResponse {
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private volatile JsonNode json;
    private final EventStream stream;
    private final StreamedBody download;
    private final Map<String, List<String>> multi;
    private final RequestTrace trace;

    private GatewayResponse(
            int status,
            Map<String, String> headers,
            byte[] body,
            JsonNode json,
            EventStream stream,
            RequestTrace trace) {
        this(status, headers, null, body, json, stream, null, trace);
    }

    private GatewayResponse(
            int status,
            Map<String, String> headers,
            Map<String, List<String>> multi,
            byte[] body,
            JsonNode json,
            EventStream stream,
            StreamedBody download,
            RequestTrace trace) {
        this.status = status;
        this.headers = headers;
        this.multi = multi;
        this.download = download;
        this.body = body;
        this.json = json;
        this.stream = stream;
        this.trace = trace;
    }

    /**
     * A JSON answer.
     *
     * @param status  the HTTP status
     * @param headers response headers (names are lower-cased)
     * @param json    the body
     * @param trace   what the gateway did for the request
     * @return the response
     */
    public static GatewayResponse ofJson(int status, Map<String, String> headers, JsonNode json, RequestTrace trace) {
        return new GatewayResponse(status, lower(headers), null, json, null, trace);
    }

    /**
     * A raw answer (already-serialised JSON or another content type).
     *
     * @param status  the HTTP status
     * @param headers response headers (names are lower-cased)
     * @param body    the body bytes, not copied
     * @param trace   what the gateway did for the request
     * @return the response
     */
    public static GatewayResponse ofBytes(int status, Map<String, String> headers, byte[] body, RequestTrace trace) {
        return new GatewayResponse(status, lower(headers), body, null, null, trace);
    }

    /**
     * A streamed answer.
     *
     * @param status  the HTTP status
     * @param headers response headers (names are lower-cased)
     * @param stream  the events
     * @param trace   what the gateway did for the request; finished once the stream ends
     * @return the response
     */
    public static GatewayResponse ofStream(
            int status, Map<String, String> headers, EventStream stream, RequestTrace trace) {
        return new GatewayResponse(status, lower(headers), null, null, stream, trace);
    }

    /**
     * An answer with any kind of body and headers that may repeat.
     *
     * @param status  the HTTP status
     * @param headers response headers, each name with its values (names are lower-cased)
     * @param body    a {@link JsonBody}, {@link BytesBody} (not copied) or {@link StreamedBody}
     *                (read by the caller as it arrives)
     * @param trace   what the gateway did for the request
     * @return the response
     * @throws IllegalArgumentException for a {@link MultipartBody}: answers are not forms
     */
    public static GatewayResponse ofBody(int status, Map<String, List<String>> headers, Body body, RequestTrace trace) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        Map<String, String> first = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!v.isEmpty()) {
                String name = k.toLowerCase(Locale.ROOT);
                m.computeIfAbsent(name, x -> new ArrayList<>()).addAll(v);
                first.putIfAbsent(name, v.get(0));
            }
        });
        m.replaceAll((k, v) -> List.copyOf(v));
        Map<String, List<String>> multi = Collections.unmodifiableMap(m);
        Map<String, String> single = Collections.unmodifiableMap(first);
        if (body instanceof JsonBody j) {
            return new GatewayResponse(status, single, multi, null, j.json(), null, null, trace);
        }
        if (body instanceof BytesBody b) {
            return new GatewayResponse(status, single, multi, b.bytes(), null, null, null, trace);
        }
        if (body instanceof StreamedBody s) {
            return new GatewayResponse(status, single, multi, null, null, null, s, trace);
        }
        throw new IllegalArgumentException("an answer body is JSON, bytes or streamed bytes, found " + body);
    }

    private static Map<String, String> lower(Map<String, String> h) {
        boolean allLower = true;
        for (String k : h.keySet()) {
            if (!k.equals(k.toLowerCase(Locale.ROOT))) {
                allLower = false;
                break;
            }
        }
        if (allLower) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(h));
        }
        Map<String, String> m = new LinkedHashMap<>();
        h.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return Collections.unmodifiableMap(m);
    }

    /** {@return the HTTP status (provider errors keep theirs; 408, 412, 429, 446, 246 come from the gateway)} */
    public int status() {
        return status;
    }

    /** {@return whether the status is 2xx} */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** {@return the headers, names lower-cased; unmodifiable} */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * One header, e.g. {@code x-portkey-last-used-option-index}.
     *
     * @param name the header name, any case
     * @return its value, or empty when absent
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Every value of a header that HTTP allows to repeat (e.g. {@code set-cookie}).
     *
     * @param name the header name, any case
     * @return the values in order; empty when absent
     */
    public List<String> headers(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (multi != null) {
            return multi.getOrDefault(n, List.of());
        }
        String v = headers.get(n);
        return v == null ? List.of() : List.of(v);
    }

    /** {@return the {@code content-type} header, e.g. {@code audio/mpeg}, if any} */
    public Optional<String> contentType() {
        return header("content-type");
    }

    /** {@return whether the answer is bytes streamed as they arrive (a binary download): read {@link #inputStream()} once} */
    public boolean isBinaryStream() {
        return download != null;
    }

    /**
     * The body as a stream of bytes: a binary download as it arrives (once; closing it releases the
     * connection), or the bytes of a body in memory (JSON serialised).
     *
     * @return the stream
     * @throws IllegalStateException for an {@link EventStream}, or a download read before
     */
    public InputStream inputStream() {
        if (download != null) {
            return download.openStream();
        }
        return new ByteArrayInputStream(bytes());
    }

    /** {@return whether the answer is an {@link EventStream} rather than a body} */
    public boolean isStream() {
        return stream != null;
    }

    /**
     * The streamed answer.
     *
     * @return the events
     * @throws IllegalStateException for a non-streamed response
     */
    public EventStream stream() {
        if (stream == null) {
            throw new IllegalStateException("response is not a stream (status " + status + "); use json()");
        }
        return stream;
    }

    /**
     * The JSON body, parsed once.
     *
     * @return the body
     * @throws IllegalStateException    for a stream
     * @throws IllegalArgumentException for a body that is not JSON
     */
    public JsonNode json() {
        JsonNode j = json;
        if (j == null) {
            if (stream != null) {
                throw new IllegalStateException("response is a stream; use stream()");
            }
            if (download != null) {
                throw new IllegalStateException(
                        "response is a binary download (" + download.contentType() + "); use inputStream() or bytes()");
            }
            j = Json.parse(body);
            json = j;
        }
        return j;
    }

    /**
     * The body as text.
     *
     * @return the body decoded as UTF-8
     * @throws IllegalStateException for a stream
     */
    public String bodyAsString() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /**
     * The body bytes.
     *
     * @return a copy of the body (a JSON answer the gateway passed on unchanged is the provider's bytes as
     *     they came, its formatting kept; one it built or changed is serialised compactly; a binary
     *     download is read whole, once)
     * @throws IllegalStateException for an event stream, or a download read before
     */
    public byte[] bytes() {
        if (body != null) {
            return body.clone();
        }
        if (download != null) {
            return download.readAllBytes();
        }
        if (json != null) {
            byte[] source = Json.sourceOf(json); // an answer nobody changed: the provider's bytes as they came
            return source != null ? source.clone() : Json.bytes(json);
        }
        throw new IllegalStateException("response is a stream; use stream()");
    }

    /** {@return what the gateway did for the request: route, attempts, hooks, cache, usage, cost} */
    public RequestTrace trace() {
        return trace;
    }

    /**
     * Turns an error status into an exception.
     *
     * @return this response, when 2xx
     * @throws GatewayErrorException otherwise, with the status and the error envelope's type and message
     */
    public GatewayResponse throwIfError() {
        if (isSuccess()) {
            return this;
        }
        String message = "no error message";
        String type = null;
        try {
            JsonNode err = json().path("error");
            message = err.path("message").asText(message);
            type = err.path("type").isTextual() ? err.path("type").asText() : null;
        } catch (RuntimeException ignored) {
            // non-JSON body: keep the generic message
        }
        throw new GatewayErrorException(status, type, message);
    }

    @Override
    public String toString() {
        return "GatewayResponse{status=" + status + (stream != null ? ", stream" : "")
                + (download != null ? ", " + download.contentType() + " download" : "") + "}";
    }
}
