package dev.switchboard.redis;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Jedis client a store talks through, plus what error messages may say about it. A client the
 * store opened from a URI is closed with the store; a client handed in by the caller is not.
 */
final class RedisConnection implements AutoCloseable {
    private final UnifiedJedis client;
    private final boolean owned;
    /** Where Redis is, without user name or password; safe for messages and logs. */
    private final String location;

    private RedisConnection(UnifiedJedis client, boolean owned, String location) {
        this.client = client;
        this.owned = owned;
        this.location = location;
    }

    static RedisConnection shared(UnifiedJedis client) {
        return new RedisConnection(
                Objects.requireNonNull(client, "redis client"), false, "a caller-supplied Redis client");
    }

    static RedisConnection open(URI uri) {
        Objects.requireNonNull(uri, "redis uri");
        String location = redact(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("Redis URI must start with redis:// or rediss://, got " + location);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Redis URI has no host: " + location);
        }
        // RedisClient holds a connection pool and connects lazily: a bad address shows up on first use.
        return new RedisConnection(RedisClient.create(uri), true, location);
    }

    /** {@code scheme://host:port/db} with any user info dropped. */
    static String redact(URI uri) {
        StringBuilder b = new StringBuilder();
        if (uri.getScheme() != null) {
            b.append(uri.getScheme()).append("://");
        }
        b.append(uri.getHost() == null ? "?" : uri.getHost());
        if (uri.getPort() >= 0) {
            b.append(':').append(uri.getPort());
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            b.append(uri.getPath());
        }
        return b.toString();
    }

    UnifiedJedis client() {
        return client;
    }

    String location() {
        return location;
    }

    /** Runs one Redis interaction, turning Jedis failures into a {@link RedisStoreException} that names the store. */
    <T> T call(String store, String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (JedisException e) {
            throw new RedisStoreException(
                    store + " at " + location + " could not " + operation + ": "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        if (owned) {
            client.close();
        }
    }
}
