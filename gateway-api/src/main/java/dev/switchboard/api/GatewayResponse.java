package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's answer: an HTTP-like status, headers (including {@code x-portkey-*}), and either a
 * JSON body or an {@link EventStream}. An error status is an ordinary response, not an exception;
 * call {@link #throwIfError()} to turn it into one.
 */
public final class GatewayResponse {
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private volatile JsonNode json;
    private final EventStream stream;
    private final RequestTrace trace;

    private GatewayResponse(int status, Map<String, String> headers, byte[] body, JsonNode json,
                            EventStream stream, RequestTrace trace) {
        this.status = status;
        this.headers = headers;
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
    public static GatewayResponse ofStream(int status, Map<String, String> headers, EventStream stream,
                                           RequestTrace trace) {
        return new GatewayResponse(status, lower(headers), null, null, stream, trace);
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
     * @return a copy of the body (JSON answers are serialised)
     * @throws IllegalStateException for a stream
     */
    public byte[] bytes() {
        if (body != null) {
            return body.clone();
        }
        if (json != null) {
            return Json.bytes(json);
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
        return "GatewayResponse{status=" + status + (stream != null ? ", stream" : "") + "}";
    }
}
