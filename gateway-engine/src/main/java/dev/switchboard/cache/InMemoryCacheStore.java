package dev.switchboard.cache;

import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CachedAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link CacheStore}: one JVM's memory, bounded by a number of entries with
 * least-recently-used eviction, each entry expiring after its ttl by the injected {@link Clock}
 * (so expiry tests move a manual clock instead of sleeping). Thread-safe.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder().config(json)
 *         .cacheStore(new InMemoryCacheStore(Clock.systemUTC(), 50_000))
 *         .build();
 * }</pre>
 */
public final class InMemoryCacheStore implements CacheStore {
    /** The bound when none is given: 10,000 answers. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private record Entry(CachedAnswer answer, Instant expiresAt) {}

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long evictions;

    /** The system clock and {@link #DEFAULT_MAX_ENTRIES}. */
    public InMemoryCacheStore() {
        this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
    }

    /**
     * A store with its own clock and bound.
     *
     * @param clock      the clock entries expire by; the gateway's own, so tests can move it
     * @param maxEntries the most answers kept; the least recently used goes first
     * @throws IllegalArgumentException when {@code maxEntries} is below 1
     */
    public InMemoryCacheStore(Clock clock, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public synchronized Optional<CachedAnswer> get(String key) {
        Entry e = entries.get(Objects.requireNonNull(key, "key"));
        if (e == null) {
            return Optional.empty();
        }
        if (e.expiresAt() != null && !clock.instant().isBefore(e.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.answer());
    }

    /**
     * Stores the answer for {@code ttl}; a null ttl keeps it until it is evicted.
     *
     * @throws IllegalArgumentException if the ttl is zero or negative
     */
    @Override
    public synchronized void put(String key, CachedAnswer answer, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(answer, "answer");
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw new IllegalArgumentException("cache ttl must be positive, got " + ttl + " for key " + key);
        }
        entries.put(key, new Entry(answer, ttl == null ? null : clock.instant().plus(ttl)));
        if (entries.size() > maxEntries) {
            evict();
        }
    }

    @Override
    public synchronized void remove(String key) {
        entries.remove(key);
    }

    /** {@return the number of entries held, expired ones included until they are met or evicted} */
    public synchronized int size() {
        return entries.size();
    }

    private void evict() {
        // a full sweep of expired entries costs O(n): do it once per maxEntries evictions (amortised
        // O(1) per put); in between, the least recently used entry goes, and an expired entry met
        // by get() is dropped there
        if (++evictions % maxEntries == 0) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> e.expiresAt() != null && !now.isBefore(e.expiresAt()));
        }
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    @Override
    public synchronized String toString() {
        return "InMemoryCacheStore[" + entries.size() + "/" + maxEntries + " entries]";
    }
}
