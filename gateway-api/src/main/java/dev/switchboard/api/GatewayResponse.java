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

    /** A JSON answer. */
    public static GatewayResponse ofJson(int status, Map<String, String> headers, JsonNode json, RequestTrace trace) {
        return new GatewayResponse(status, lower(headers), null, json, null, trace);
    }

    /** A raw answer (already-serialised JSON or another content type). */
    public static GatewayResponse ofBytes(int status, Map<String, String> headers, byte[] body, RequestTrace trace) {
        return new GatewayResponse(status, lower(headers), body, null, null, trace);
    }

    /** A streamed answer. */
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

    public int status() {
        return status;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Headers with lower-case names. */
    public Map<String, String> headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean isStream() {
        return stream != null;
    }

    /** The streamed answer; throws {@link IllegalStateException} for a non-streamed response. */
    public EventStream stream() {
        if (stream == null) {
            throw new IllegalStateException("response is not a stream (status " + status + "); use json()");
        }
        return stream;
    }

    /** The JSON body; throws {@link IllegalStateException} for a stream or a non-JSON body. */
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

    public String bodyAsString() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        if (body != null) {
            return body.clone();
        }
        if (json != null) {
            return Json.bytes(json);
        }
        throw new IllegalStateException("response is a stream; use stream()");
    }

    public RequestTrace trace() {
        return trace;
    }

    /** Returns this response when 2xx, else throws {@link GatewayErrorException} with the error message. */
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
