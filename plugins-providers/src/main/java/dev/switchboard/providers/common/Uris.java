package dev.switchboard.providers.common;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream addresses, parsed once: a provider builds the same few URLs (a base URL and an
 * endpoint's path) for every request, and parsing a {@link URI} costs more than the rest of building
 * the request. A bounded cache (cleared when full); an address whose query could carry a credential
 * ({@code key=}, {@code token=}, {@code sig}) is parsed every time and never kept.
 *
 * <pre>{@code
 * URI uri = Uris.of(baseUrl + "/chat/completions");
 * }</pre>
 */
public final class Uris {
    private static final int MAX = 1024;
    private static final ConcurrentHashMap<String, URI> CACHE = new ConcurrentHashMap<>();

    private Uris() {}

    /**
     * The address {@code uri} names.
     *
     * @param uri an absolute URI
     * @return it, parsed
     * @throws IllegalArgumentException when it is not a URI, as {@link URI#create} says
     */
    public static URI of(String uri) {
        URI u = CACHE.get(uri);
        if (u != null) {
            return u;
        }
        u = URI.create(uri);
        if (keepable(uri)) {
            if (CACHE.size() >= MAX) {
                CACHE.clear();
            }
            CACHE.put(uri, u);
        }
        return u;
    }

    private static boolean keepable(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return true;
        }
        String query = uri.substring(q).toLowerCase(Locale.ROOT);
        return !query.contains("key") && !query.contains("token") && !query.contains("sig");
    }
}
