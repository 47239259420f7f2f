package dev.switchboard.spi;

import dev.switchboard.api.Body;
import dev.switchboard.api.BytesBody;
import dev.switchboard.api.JsonBody;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request to a provider, as built by a {@link Provider} and sent by a {@link Transport}.
 * The body is bytes ({@link #body()}, JSON providers) or any {@link Body} ({@link #content()}: a
 * multipart upload encoded as it is sent, replayable on a retry). {@link #toString()} shows header
 * names only: header values carry credentials.
 */
public final class UpstreamRequest {
    private static final byte[] EMPTY = new byte[0];

    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Body content;

    /**
     * Checks method and URI; copies the headers; a null body becomes empty.
     *
     * @param method  the HTTP method; not null
     * @param uri     the provider URL; not null
     * @param headers request headers, credentials included
     * @param body    the body, not copied; may be null
     */
    public UpstreamRequest(String method, URI uri, Map<String, String> headers, byte @Nullable [] body) {
        this(method, uri, headers, body == null ? EMPTY : body, null);
    }

    private UpstreamRequest(
            String method, URI uri, Map<String, String> headers, byte @Nullable [] body, @Nullable Body content) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body;
        this.content = content;
    }

    /**
     * A request with a body of any kind. For a {@link dev.switchboard.api.MultipartBody} the
     * transport sends the body's own {@code Content-Type} (it names the boundary); for other bodies
     * it sends the body's content type unless {@code headers} has one.
     *
     * @param method  the HTTP method; not null
     * @param uri     the provider URL; not null
     * @param headers request headers, credentials included
     * @param content the body; a {@link BytesBody} is kept as bytes
     * @return the request
     */
    public static UpstreamRequest of(String method, URI uri, Map<String, String> headers, Body content) {
        Objects.requireNonNull(content, "content");
        if (content instanceof BytesBody b) {
            Map<String, String> h = withContentType(headers, b.contentType());
            return new UpstreamRequest(method, uri, h, b.bytes(), null);
        }
        if (content instanceof JsonBody j) {
            Map<String, String> h = withContentType(headers, JsonBody.CONTENT_TYPE);
            return new UpstreamRequest(method, uri, h, dev.switchboard.api.Json.bytes(j.json()), null);
        }
        return new UpstreamRequest(method, uri, headers, null, content);
    }

    private static Map<String, String> withContentType(Map<String, String> headers, String type) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase("content-type")) {
                return headers;
            }
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("content-type", type);
        return h;
    }

    /**
     * A {@code POST}.
     *
     * @param uri     the provider URL
     * @param headers request headers, credentials included
     * @param body    the body, not copied
     * @return the request
     */
    public static UpstreamRequest post(URI uri, Map<String, String> headers, byte[] body) {
        return new UpstreamRequest("POST", uri, headers, body);
    }

    /**
     * A {@code POST} with a body of any kind (see {@link #of}).
     *
     * @param uri     the provider URL
     * @param headers request headers, credentials included
     * @param content the body
     * @return the request
     */
    public static UpstreamRequest post(URI uri, Map<String, String> headers, Body content) {
        return of("POST", uri, headers, content);
    }

    /** {@return the HTTP method} */
    public String method() {
        return method;
    }

    /** {@return the provider URL} */
    public URI uri() {
        return uri;
    }

    /** {@return the request headers, credentials included; unmodifiable} */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@return whether the body is bytes in memory ({@link #body()}) rather than a streamed {@link #content()}} */
    public boolean hasBytes() {
        return content == null;
    }

    /**
     * The body bytes.
     *
     * @return the bytes, not copied (empty when there is no body)
     * @throws IllegalStateException for a streamed body (a multipart upload): it is never held whole in memory;
     *                               use {@link #content()}
     */
    public byte[] body() {
        if (content != null) {
            throw new IllegalStateException("the request body is " + content + ", sent as it is read; use content()");
        }
        return body;
    }

    /** {@return the body in its general form (bytes wrapped as a {@link BytesBody})} */
    public Body content() {
        if (content != null) {
            return content;
        }
        String type = null;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("content-type")) {
                type = e.getValue();
            }
        }
        return new BytesBody(body, type);
    }

    @Override
    public String toString() {
        String u = uri.getRawQuery() == null
                ? uri.toString()
                : uri.toString().substring(0, uri.toString().indexOf('?')) + "?…";
        return "UpstreamRequest{" + method + " " + u + ", headers=" + headers.keySet() + ", "
                + (content != null ? content.toString() : body.length + " bytes") + "}";
    }
}
