package dev.switchboard.redis;

import dev.switchboard.spi.VectorStore;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.search.Document;
import redis.clients.jedis.search.FTCreateParams;
import redis.clients.jedis.search.IndexDataType;
import redis.clients.jedis.search.Query;
import redis.clients.jedis.search.SearchResult;
import redis.clients.jedis.search.schemafields.TagField;
import redis.clients.jedis.search.schemafields.VectorField;

/**
 * A {@link VectorStore} on Redis's own vector search (the search module of Redis Stack, Redis 8,
 * or a managed Redis with it), so every JVM of a deployment shares the semantic cache's entries.
 *
 * <p>Each vector is one hash, {@code <prefix>v:<cache key>}, with the partition (a TAG), the
 * embedding (FLOAT32) and its expiry; {@code PEXPIREAT} lets Redis forget it with its answer. One
 * index per vector length, {@code <prefix>idx:<dimensions>}, created on first use with {@code
 * FT.CREATE … VECTOR HNSW … DISTANCE_METRIC COSINE}; a lookup is {@code FT.SEARCH … KNN 1}
 * filtered by partition, and the candidate's similarity is then computed here, exactly, from its
 * stored vector before it is compared with the threshold.
 *
 * <p>Without the search module (plain Redis; detected once with {@code FT._LIST}) every call goes to
 * the {@code fallback} store, with one WARN line saying so: semantic entries are then per JVM.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder().config(json).embedder(embedder)
 *         .cacheStore(new RedisCacheStore(uri))
 *         .vectorStore(new RedisVectorStore(uri, new InMemoryVectorStore()))
 *         .build();
 * }</pre>
 */
public final class RedisVectorStore implements VectorStore, AutoCloseable {
    /** The key prefix when none is given: hashes are {@code switchboard:vec:v:<key>}. */
    public static final String DEFAULT_PREFIX = "switchboard:vec:";

    /** Candidates Redis's HNSW keeps per lookup ({@code EF_RUNTIME}). */
    static final int EF_RUNTIME = 128;

    private static final Logger log = LoggerFactory.getLogger(RedisVectorStore.class);
    private static final String NAME = "RedisVectorStore";

    private final RedisConnection redis;
    private final String prefix;
    private final VectorStore fallback;
    private final Set<Integer> indexed = ConcurrentHashMap.newKeySet();
    /** Null until detected; then whether the server has the search module. */
    private volatile Boolean search;

    /**
     * Uses a client the caller owns and closes, with the default key prefix.
     *
     * @param client   the client; {@link #close()} leaves it open
     * @param fallback where vectors go when the server has no search module, e.g. {@code new InMemoryVectorStore()}
     */
    public RedisVectorStore(UnifiedJedis client, VectorStore fallback) {
        this(RedisConnection.shared(client), DEFAULT_PREFIX, fallback);
    }

    /**
     * Opens a pooled client; {@link #close()} closes it.
     *
     * @param uri      {@code redis://host:port[/db]}
     * @param fallback where vectors go when the server has no search module
     */
    public RedisVectorStore(URI uri, VectorStore fallback) {
        this(RedisConnection.open(uri), DEFAULT_PREFIX, fallback);
    }

    /**
     * Opens a pooled client with its own key prefix; {@link #close()} closes it.
     *
     * @param uri       {@code redis://host:port[/db]}
     * @param keyPrefix prepended to every key and index name, e.g. {@code myapp:vec:}
     * @param fallback  where vectors go when the server has no search module
     */
    public RedisVectorStore(URI uri, String keyPrefix, VectorStore fallback) {
        this(RedisConnection.open(uri), keyPrefix, fallback);
    }

    private RedisVectorStore(RedisConnection redis, String keyPrefix, VectorStore fallback) {
        this.redis = redis;
        this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * Whether vectors live in Redis: the server has the search module. Detected on first use (and
     * retried while Redis cannot be reached).
     *
     * @return true for Redis's vector search, false for the fallback store
     * @throws RedisStoreException when Redis cannot be reached
     */
    public boolean usesRedisSearch() {
        Boolean s = search;
        if (s == null) {
            s = detect();
        }
        return s;
    }

    private synchronized boolean detect() {
        if (search != null) {
            return search;
        }
        boolean has;
        try {
            redis.client().ftList();
            has = true;
        } catch (JedisConnectionException e) {
            throw new RedisStoreException(
                    NAME + " at " + redis.location() + " could not detect the search module: " + e.getMessage(), e);
        } catch (JedisDataException e) {
            has = false; // ERR unknown command 'FT._LIST'
            log.warn(
                    "{} at {}: the server has no search module (FT._LIST: {}); semantic cache vectors stay in this"
                            + " JVM ({}). Use Redis Stack or Redis 8 to share them.",
                    NAME,
                    redis.location(),
                    e.getMessage(),
                    fallback.getClass().getSimpleName());
        }
        search = has;
        return has;
    }

    @Override
    public void add(String partition, String key, float[] vector, Instant expiresAt) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(key, "key");
        if (!usesRedisSearch()) {
            fallback.add(partition, key, vector, expiresAt);
            return;
        }
        float[] unit = normalise(vector);
        if (unit == null) {
            return;
        }
        ensureIndex(unit.length);
        byte[] hash = hashKey(key);
        Map<byte[], byte[]> fields = Map.of(
                bytes("partition"), bytes(partition),
                bytes("key"), bytes(key),
                bytes("vec"), encode(unit),
                bytes("expires"), bytes(expiresAt == null ? "none" : Long.toString(expiresAt.toEpochMilli())));
        redis.call(NAME, "add " + prefix + "v:" + key, () -> {
            redis.client().del(hash); // a re-index may change the vector length
            redis.client().hset(hash, fields);
            if (expiresAt != null) {
                redis.client().pexpireAt(hash, expiresAt.toEpochMilli());
            }
            return null;
        });
    }

    @Override
    public Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now) {
        if (!usesRedisSearch()) {
            return fallback.nearest(partition, vector, threshold, now);
        }
        float[] q = normalise(vector);
        if (q == null) {
            return Optional.empty();
        }
        String index = indexName(q.length);
        Query query = knnQuery(partition, encode(q));
        SearchResult result;
        try {
            result = redis.call(NAME, "search " + index, () -> redis.client().ftSearch(index, query));
        } catch (RedisStoreException e) {
            if (e.getCause() instanceof JedisDataException d
                    && String.valueOf(d.getMessage())
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("no such index")) {
                return Optional.empty(); // nothing of this length stored yet
            }
            throw e;
        }
        for (Document d : result.getDocuments()) {
            byte[] hash = bytes(d.getId());
            List<byte[]> stored = redis.call(NAME, "read " + d.getId(), () -> redis.client()
                    .hmget(hash, bytes("key"), bytes("vec"), bytes("expires")));
            if (stored.get(0) == null || stored.get(1) == null) {
                continue; // expired in between
            }
            String expires = new String(stored.get(2), StandardCharsets.UTF_8);
            if (!expires.equals("none") && now.toEpochMilli() >= Long.parseLong(expires)) {
                continue;
            }
            float[] unit = decode(stored.get(1));
            if (unit.length != q.length) {
                continue;
            }
            double sim = dot(unit, q);
            // a float rounding slack, so an identical prompt still matches a threshold of 1
            if (sim + 1e-6 < threshold) {
                return Optional.empty();
            }
            return Optional.of(new Match(new String(stored.get(0), StandardCharsets.UTF_8), Math.min(1, sim)));
        }
        return Optional.empty();
    }

    @Override
    public void remove(String key) {
        if (!usesRedisSearch()) {
            fallback.remove(key);
            return;
        }
        byte[] hash = hashKey(key);
        redis.call(NAME, "remove " + prefix + "v:" + key, () -> redis.client().del(hash));
    }

    /** Closes the Redis client if this store opened it from a URI. */
    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        Boolean s = search;
        String mode = s == null ? "undetected" : s ? "redis search" : "fallback " + fallback;
        return NAME + "[" + redis.location() + ", prefix=" + prefix + ", " + mode + "]";
    }

    private void ensureIndex(int dimensions) {
        if (indexed.contains(dimensions)) {
            return;
        }
        String index = indexName(dimensions);
        redis.call(NAME, "create index " + index, () -> {
            try {
                redis.client()
                        .ftCreate(
                                index,
                                FTCreateParams.createParams()
                                        .on(IndexDataType.HASH)
                                        .prefix(prefix + "v:"),
                                List.of(
                                        TagField.of("partition"),
                                        VectorField.builder()
                                                .fieldName("vec")
                                                .algorithm(VectorField.VectorAlgorithm.HNSW)
                                                .attributes(Map.of(
                                                        "TYPE", "FLOAT32",
                                                        "DIM", dimensions,
                                                        "DISTANCE_METRIC", "COSINE"))
                                                .build()));
            } catch (JedisDataException e) {
                if (!String.valueOf(e.getMessage()).contains("already exists")) {
                    throw e;
                }
            }
            return null;
        });
        indexed.add(dimensions);
    }

    String indexName(int dimensions) {
        return prefix + "idx:" + dimensions;
    }

    private byte[] hashKey(String key) {
        return bytes(prefix + "v:" + key);
    }

    /** The KNN query: the nearest vector of one partition, its distance, nothing else. */
    static Query knnQuery(String partition, byte[] vector) {
        return new Query("(@partition:{" + escapeTag(partition) + "})=>[KNN 1 @vec $q EF_RUNTIME " + EF_RUNTIME
                        + " AS dist]")
                .addParam("q", vector)
                .returnFields("dist")
                .setSortBy("dist", true)
                .limit(0, 1)
                .dialect(2);
    }

    /** A TAG value with every character the query syntax gives a meaning escaped. */
    static String escapeTag(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** FLOAT32 little-endian, the layout Redis's vector fields read. */
    static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static float[] decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float[] normalise(float[] v) {
        if (v == null || v.length == 0) {
            return null;
        }
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        if (n == 0 || Double.isNaN(n) || Double.isInfinite(n)) {
            return null;
        }
        double inv = 1 / Math.sqrt(n);
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] * inv);
        }
        return u;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
