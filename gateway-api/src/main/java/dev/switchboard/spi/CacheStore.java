package dev.switchboard.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Where cached answers live: in memory by default, Redis for several JVMs. Keys are opaque hashes
 * that already include the namespace. Thread-safe.
 */
public interface CacheStore {
    Optional<CachedAnswer> get(String key);

    void put(String key, CachedAnswer answer, Duration ttl);

    void remove(String key);
}
