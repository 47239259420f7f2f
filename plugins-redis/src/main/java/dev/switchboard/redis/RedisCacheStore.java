package dev.switchboard.redis;

import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CachedAnswer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link CacheStore} in Redis, so a cached answer stored by one JVM is a hit in every other.
 * Each answer is one key ({@code switchboard:cache:<key>}) written with {@code SET … PX}, so Redis
 * itself forgets it when the ttl runs out.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder()
 *         .config(json)
 *         .cacheStore(new RedisCacheStore(URI.create("redis://127.0.0.1:6379")))
 *         .build();
 * }</pre>
 *
 * <p>A value this store cannot decode (written by something else, or corrupted) is a miss, logged
 * at WARN; the next {@link #put} replaces it.
 */
public final class RedisCacheStore implements CacheStore, AutoCloseable {
    /** The key prefix when none is given: entries are {@code switchboard:cache:<hash>}. */
    public static final String DEFAULT_PREFIX = "switchboard:cache:";

    private static final Logger log = LoggerFactory.getLogger(RedisCacheStore.class);
    private static final String NAME = "RedisCacheStore";

    private final RedisConnection redis;
    private final String prefix;

    /**
     * Uses a client the caller owns and closes (a {@code JedisPooled} or {@code RedisClient}), with the default key prefix.
     *
     * @param client the client; {@link #close()} leaves it open
     */
    public RedisCacheStore(UnifiedJedis client) {
        this(client, DEFAULT_PREFIX);
    }

    /**
     * Uses a client the caller owns and closes, with its own key prefix.
     *
     * @param client    the client; {@link #close()} leaves it open
     * @param keyPrefix prepended to every key, e.g. {@code myapp:cache:}
     */
    public RedisCacheStore(UnifiedJedis client, String keyPrefix) {
        this(RedisConnection.shared(client), keyPrefix);
    }

    /**
     * Opens a pooled client; {@link #close()} closes it.
     *
     * @param uri {@code redis://host:port[/db]}
     */
    public RedisCacheStore(URI uri) {
        this(uri, DEFAULT_PREFIX);
    }

    /**
     * Opens a pooled client with its own key prefix; {@link #close()} closes it.
     *
     * @param uri       {@code redis://host:port[/db]}
     * @param keyPrefix prepended to every key
     */
    public RedisCacheStore(URI uri, String keyPrefix) {
        this(RedisConnection.open(uri), keyPrefix);
    }

    private RedisCacheStore(RedisConnection redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public Optional<CachedAnswer> get(String key) {
        byte[] fullKey = fullKey(key);
        byte[] value =
                redis.call(NAME, "get " + prefix + key, () -> redis.client().get(fullKey));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CachedAnswerCodec.decode(value));
        } catch (IllegalArgumentException e) {
            log.warn(
                    "{} at {}: ignoring unreadable cache entry {}{}: {}",
                    NAME,
                    redis.location(),
                    prefix,
                    key,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stores the answer for {@code ttl} (rounded up to whole milliseconds); a null ttl keeps it
     * until it is removed or Redis evicts it.
     *
     * @throws IllegalArgumentException if the ttl is zero or negative
     */
    @Override
    public void put(String key, CachedAnswer answer, Duration ttl) {
        Objects.requireNonNull(answer, "answer");
        byte[] fullKey = fullKey(key);
        byte[] value = CachedAnswerCodec.encode(answer);
        if (ttl == null) {
            redis.call(NAME, "put " + prefix + key, () -> redis.client().set(fullKey, value));
            return;
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cache ttl must be positive, got " + ttl + " for key " + key);
        }
        long millis = Math.max(1, ttl.plusNanos(999_999).toMillis());
        redis.call(NAME, "put " + prefix + key, () -> redis.client()
                .set(fullKey, value, SetParams.setParams().px(millis)));
    }

    @Override
    public void remove(String key) {
        byte[] fullKey = fullKey(key);
        redis.call(NAME, "remove " + prefix + key, () -> redis.client().del(fullKey));
    }

    /** Closes the Redis client if this store opened it from a URI. */
    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        return NAME + "[" + redis.location() + ", prefix=" + prefix + "]";
    }

    private byte[] fullKey(String key) {
        Objects.requireNonNull(key, "key");
        return (prefix + key).getBytes(StandardCharsets.UTF_8);
    }
}
