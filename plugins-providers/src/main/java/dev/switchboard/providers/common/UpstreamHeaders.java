package dev.switchboard.providers.common;

import dev.switchboard.spi.ProviderCall;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header map every adapter starts from: the client headers chosen by {@code forward_headers}
 * first, then {@code content-type: application/json}. Adapters put their auth headers after, so a
 * forwarded header can never replace the configured credentials. Names are lower-case.
 *
 * <pre>{@code
 * Map<String, String> h = UpstreamHeaders.json(call);
 * h.put("authorization", "Bearer " + call.apiKey());
 * }</pre>
 */
public final class UpstreamHeaders {
    private UpstreamHeaders() {}

    /** A mutable map with the forwarded headers and the JSON content type. */
    public static Map<String, String> json(ProviderCall call) {
        Map<String, String> h = new LinkedHashMap<>(call.forwardedHeaders());
        h.put("content-type", "application/json");
        return h;
    }

    /** Adds {@code authorization: Bearer <api_key>} when the call has a key. */
    public static void bearer(Map<String, String> headers, String token) {
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
    }

    /** Copies option {@code option} into header {@code header} when it is set. */
    public static void fromOption(Map<String, String> headers, ProviderCall call, String option, String header) {
        String v = call.option(option);
        if (v != null) {
            headers.put(header, v);
        }
    }
}
