package dev.switchboard.guardrails.jwt;

import dev.switchboard.api.Json;
import dev.switchboard.guardrails.HttpCalls;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JWKS documents by URI, each kept for a maximum age measured on the given {@link Clock}.
 * Concurrent lookups of a missing or expired set share one fetch; a failed fetch is not cached.
 *
 * <pre>{@code
 * cache.keys(uri, transport, clock, Duration.ofDays(1), 3000).thenApply(keys -> ...);
 * }</pre>
 */
public final class JwksCache {
    private record Entry(CompletableFuture<List<JsonWebKey>> keys, Instant fetchedAt) {}

    private final Map<URI, Entry> entries = new ConcurrentHashMap<>();

    public CompletableFuture<List<JsonWebKey>> keys(
            URI uri, Transport transport, Clock clock, Duration maxAge, long timeoutMs) {
        Instant now = clock.instant();
        Entry entry = entries.compute(uri, (u, old) -> {
            if (old != null
                    && now.isBefore(old.fetchedAt().plus(maxAge))
                    && !old.keys().isCompletedExceptionally()) {
                return old;
            }
            return new Entry(fetch(u, transport, timeoutMs), now);
        });
        entry.keys().whenComplete((k, e) -> {
            if (e != null) {
                entries.remove(uri, entry);
            }
        });
        return entry.keys();
    }

    private static CompletableFuture<List<JsonWebKey>> fetch(URI uri, Transport transport, long timeoutMs) {
        UpstreamRequest get = new UpstreamRequest("GET", uri, Map.of("accept", "application/json"), null);
        return HttpCalls.send(transport, get, timeoutMs, "JWKS").thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new IllegalStateException("JWKS endpoint returned HTTP " + reply.status());
            }
            return JsonWebKey.parseSet(Json.parse(reply.body()));
        });
    }
}
