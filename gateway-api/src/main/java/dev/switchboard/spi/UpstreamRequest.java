package dev.switchboard.spi;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request to a provider, as built by a {@link Provider} and sent by a {@link Transport}.
 * {@link #toString()} shows header names only: header values carry credentials.
 */
public record UpstreamRequest(String method, URI uri, Map<String, String> headers, byte[] body) {
    /**
     * Checks method and URI; copies the headers; a null body becomes empty.
     *
     * @param method  the HTTP method; not null
     * @param uri     the provider URL; not null
     * @param headers request headers, credentials included
     * @param body    the body; may be null
     */
    public UpstreamRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
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

    @Override
    public String toString() {
        String u = uri.getRawQuery() == null ? uri.toString()
                : uri.toString().substring(0, uri.toString().indexOf('?')) + "?…";
        return "UpstreamRequest{" + method + " " + u + ", headers=" + headers.keySet() + ", " + body.length + " bytes}";
    }
}
