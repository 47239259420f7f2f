package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as {@link StubUpstream} received it. Header names are lower-case; a header sent
 * several times is joined with {@code ", "}. {@link #toString()} shows header names only, because
 * header values carry API keys.
 *
 * <pre>{@code
 * RecordedRequest r = stub.lastRequest();
 * assertEquals("/v1/chat/completions", r.path());
 * assertEquals("Bearer sk-test", r.header("Authorization"));
 * assertEquals("gpt-4o", r.json().path("model").asText());
 * }</pre>
 */
public final class RecordedRequest {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, String> headers;
    private final byte[] body;
    private final RecordedMultipart multipart;
    private final String bodySha256;
    private final long bodyLength;

    /**
     * A request as received; tests of stub clients may build their own.
     *
     * @param method HTTP method, e.g. {@code POST}
     * @param path   the request path without the query
     * @param query  the raw query string (without {@code ?}), or null when there is none
     * @param headers header names to values; names are lower-cased here
     * @param body   the decoded body (chunked transfer coding removed); null means empty
     */
    public RecordedRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.query = query;
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body == null ? new byte[0] : body.clone();
        this.multipart = null;
        this.bodySha256 = null;
        this.bodyLength = this.body.length;
    }

    /** A multipart request as the stub parsed it while it arrived; {@code body} null when not kept. */
    RecordedRequest(
            String method,
            String path,
            String query,
            Map<String, String> headers,
            byte[] body,
            RecordedMultipart multipart,
            String bodySha256,
            long bodyLength) {
        this.method = method;
        this.path = path;
        this.query = query;
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body == null ? new byte[0] : body;
        this.multipart = multipart;
        this.bodySha256 = bodySha256;
        this.bodyLength = bodyLength;
    }

    /**
     * The parsed {@code multipart/form-data} body.
     *
     * @return the form, or null when the request was not multipart
     */
    public RecordedMultipart multipart() {
        return multipart;
    }

    /** {@return the body's length in bytes (also for a large multipart body whose bytes were not kept)} */
    public long bodyLength() {
        return bodyLength;
    }

    /**
     * The SHA-256 of the whole body, lower-case hex: compares large uploads byte for byte without
     * keeping them (a multipart body above {@link RecordedMultipart#KEPT_PART_BYTES} is not kept:
     * {@link #body()} is then empty).
     *
     * @return the digest
     */
    public String bodySha256() {
        if (bodySha256 != null) {
            return bodySha256;
        }
        return java.util.HexFormat.of().formatHex(RecordedMultipart.sha256().digest(body));
    }

    /** {@return the HTTP method, e.g. {@code POST}} */
    public String method() {
        return method;
    }

    /** {@return the path without the query, e.g. {@code /v1/chat/completions}} */
    public String path() {
        return path;
    }

    /** {@return the raw query string without {@code ?}, or null when the request had none} */
    public String query() {
        return query;
    }

    /**
     * One header.
     *
     * @param name the header name, any case
     * @return its value (repeated headers joined with {@code ", "}), or null when absent
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** {@return all headers, lower-case name to value, in arrival order (unmodifiable)} */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@return a copy of the body bytes (empty when there was no body)} */
    public byte[] body() {
        return body.clone();
    }

    /** {@return the body as UTF-8 text} */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON.
     *
     * @return the body's tree
     * @throws IllegalArgumentException when the body is empty or not JSON
     */
    public JsonNode json() {
        if (body.length == 0) {
            throw new IllegalArgumentException("request body of " + method + " " + path + " is empty, not JSON");
        }
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "request body of " + method + " " + path + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The parsed body, or null when it is not JSON (for response factories that adapt to the request). */
    JsonNode jsonOrNull() {
        return OpenAiPayloads.parseOrNull(body);
    }

    @Override
    public String toString() {
        return "RecordedRequest{" + method + " " + path + (query == null ? "" : "?…") + ", headers=" + headers.keySet()
                + ", " + body.length + " bytes}";
    }
}
