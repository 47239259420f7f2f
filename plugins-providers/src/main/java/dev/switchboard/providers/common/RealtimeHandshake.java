package dev.switchboard.providers.common;

import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.UpstreamRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The WebSocket handshake of a Realtime session ({@code Endpoint.REALTIME}): an HTTP(S) base URL
 * turned into {@code ws://} / {@code wss://}, the caller's query kept (its {@code model} replaced by
 * the call's), and no body.
 *
 * <pre>{@code
 * RealtimeHandshake.request(call, "https://api.openai.com/v1", "/realtime", Map.of("model", "gpt-realtime"), headers);
 * // GET wss://api.openai.com/v1/realtime?model=gpt-realtime
 * }</pre>
 */
public final class RealtimeHandshake {
    private RealtimeHandshake() {}

    /**
     * Builds the handshake.
     *
     * @param call    the realtime call (its query string is kept, minus the parameters in {@code params})
     * @param httpBase the provider's base URL, {@code http://} or {@code https://}
     * @param path    appended to the base, e.g. {@code /realtime}
     * @param params  query parameters the adapter sets (null values are left out), first in the query
     * @param headers the handshake headers (auth included)
     * @return a {@code GET} to the {@code ws://} or {@code wss://} URL
     * @throws ProviderException when the base URL is not http or https
     */
    public static UpstreamRequest request(
            ProviderCall call, String httpBase, String path, Map<String, String> params, Map<String, String> headers) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null) {
                q.append(q.length() == 0 ? "" : "&")
                        .append(encode(k))
                        .append('=')
                        .append(encode(v));
            }
        });
        String given = call.query();
        if (given != null) {
            for (String pair : given.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                String name = pair.split("=", 2)[0];
                if (params.keySet().stream().noneMatch(p -> encode(p).equals(name))) {
                    q.append(q.length() == 0 ? "" : "&").append(pair);
                }
            }
        }
        String url = webSocketBase(httpBase) + path + (q.length() == 0 ? "" : "?" + q);
        return new UpstreamRequest("GET", URI.create(url), headers, null);
    }

    /** The forwarded client headers, without a content type (a handshake has no body). */
    public static Map<String, String> headers(ProviderCall call) {
        return new LinkedHashMap<>(call.forwardedHeaders());
    }

    /**
     * {@code https://…} → {@code wss://…}, {@code http://…} → {@code ws://…}, trailing slashes removed.
     *
     * @param httpBase an http or https URL
     * @return the WebSocket URL
     * @throws ProviderException for another scheme
     */
    public static String webSocketBase(String httpBase) {
        String base = httpBase;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return "wss://" + base.substring("https://".length());
        }
        if (lower.startsWith("http://")) {
            return "ws://" + base.substring("http://".length());
        }
        if (lower.startsWith("wss://") || lower.startsWith("ws://")) {
            return base;
        }
        throw new ProviderException("custom_host: expected an http or https URL for a realtime session");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
