package dev.switchboard.providers.bedrock;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of an HTTP request that SigV4 signs. {@code rawPath} and {@code rawQuery} are exactly as
 * sent on the wire (already percent-encoded where the URL needs it); the signer encodes path
 * segments once more, as AWS requires for every service but S3. Headers are an ordered list so a
 * repeated header name keeps all its values in order.
 *
 * <pre>{@code
 * SigningRequest r = SigningRequest.of("POST", URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse"),
 *         List.of(Map.entry("content-type", "application/json")), body);
 * }</pre>
 */
public record SigningRequest(
        String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body) {
    public SigningRequest {
        Objects.requireNonNull(method, "method");
        rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        rawQuery = rawQuery == null || rawQuery.isEmpty() ? null : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A request to {@code uri}; adds the {@code host} header the server will see (port only when not the scheme default). */
    public static SigningRequest of(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body) {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        all.add(Map.entry("host", hostHeader(uri)));
        all.addAll(headers);
        return new SigningRequest(method, uri.getRawPath(), uri.getRawQuery(), all, body);
    }

    static String hostHeader(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("URI has no host: " + uri.getScheme() + "://…");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return "SigningRequest{" + method + " " + rawPath + ", " + headers.size() + " headers, " + body.length
                + " bytes}";
    }
}
