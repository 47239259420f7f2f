package dev.switchboard.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Where cached answers live: in memory by default, Redis for several JVMs. Keys are opaque hashes
 * that already include the namespace. Thread-safe.
 */
public interface CacheStore {
    /**
     * Looks an answer up.
     *
     * @param key the entry's key
     * @return the answer, or empty when absent or expired
     */
    Optional<CachedAnswer> get(String key);

    /**
     * Stores an answer, replacing any entry with the same key.
     *
     * @param key    the entry's key
     * @param answer the answer
     * @param ttl    how long the entry may be served ({@code cache.max_age})
     */
    void put(String key, CachedAnswer answer, Duration ttl);

    /**
     * Forgets an entry; nothing happens when there is none.
     *
     * @param key the entry's key
     */
    void remove(String key);
}
