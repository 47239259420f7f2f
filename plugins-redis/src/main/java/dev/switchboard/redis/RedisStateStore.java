package dev.switchboard.redis;

import dev.switchboard.spi.Charge;
import dev.switchboard.spi.StateStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link StateStore} in Redis, so every JVM of a deployment shares one set of rate-limit and
 * budget counters. {@link #tryCharge} is a single Lua script: the check of every counter and the
 * increments happen in one atomic step on the server, so concurrent admissions from any number of
 * processes can never take a counter above its limit.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder()
 *         .config(json)
 *         .stateStore(new RedisStateStore(URI.create("redis://127.0.0.1:6379")))
 *         .build();
 * }</pre>
 *
 * <p>Counters are plain integer keys named {@code <prefix><charge key>}. A charge with a positive
 * ttl sets the key's expiry; a later charge never shortens it but lengthens it when it asks for
 * more (the longer TTL wins), so a fixed window should carry its window in the key. For Redis
 * Cluster, put a hash tag in the prefix ({@code {switchboard}:}) so one script's keys share a slot.
 *
 * <p>Amounts, limits and counters stay within ± {@link #MAX_COUNTER} (2^53 − 1), where the scripts'
 * Lua numbers are exact: nothing overflows, and a charge is never admitted above its limit through
 * rounding.
 */
public final class RedisStateStore implements StateStore, AutoCloseable {
    /** The key prefix when none is given: counters are {@code switchboard:<charge key>}. */
    public static final String DEFAULT_PREFIX = "switchboard:";

    /**
     * The largest amount, limit and counter value this store handles, 2^53 − 1 (9,007,199,254,740,991):
     * the largest integer Lua's numbers (doubles) hold exactly. Larger amounts and limits are capped to
     * it (a limit at the cap is effectively no limit: 9 × 10^15 tokens, or $9 billion in micro-dollars);
     * {@link #adjust} saturates counters at ± this value.
     */
    public static final long MAX_COUNTER = (1L << 53) - 1;

    // Counters must be integers; the check phase sums per key so a key named twice is checked once
    // with its total. Returns the 0-based index of the first refused charge, or -1 when all applied.
    // Lua numbers are doubles, exact only up to 2^53: the Java side caps every amount and limit at
    // MAX_COUNTER = 2^53 - 1, so a sum Lua has to round is above 2^53, and rounding is monotonic, so
    // it stays above every limit; counters themselves only grow here through INCRBY within a limit.
    private static final LuaScript TRY_CHARGE = new LuaScript(
            "tryCharge",
            """
            local function keepLongerTtl(key, ttl, existed)
              if ttl <= 0 then return end
              local remaining = redis.call('PTTL', key)
              if (remaining == -1 and not existed) or (remaining >= 0 and remaining < ttl) then
                redis.call('PEXPIRE', key, ttl)
              end
            end
            local existed = {}
            local pending = {}
            for i = 1, #KEYS do
              local key = KEYS[i]
              local raw = redis.call('GET', key)
              existed[key] = raw ~= false
              local current = tonumber(raw or '0')
              if current == nil then
                return redis.error_reply('counter ' .. key .. ' does not hold an integer')
              end
              pending[key] = (pending[key] or 0) + tonumber(ARGV[3 * i - 2])
              if current + pending[key] > tonumber(ARGV[3 * i - 1]) then
                return i - 1
              end
            end
            for i = 1, #KEYS do
              redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
              keepLongerTtl(KEYS[i], tonumber(ARGV[3 * i]), existed[KEYS[i]])
            end
            return -1
            """);

    // Adds unconditionally, but keeps every counter within -MAX_COUNTER ... MAX_COUNTER (saturating)
    // instead of letting INCRBY fail on a 64-bit overflow or Lua lose precision past 2^53.
    private static final LuaScript ADJUST = new LuaScript(
            "adjust",
            """
            local cap = %d
            for i = 1, #KEYS do
              local key = KEYS[i]
              local delta = tonumber(ARGV[2 * i - 1])
              local ttl = tonumber(ARGV[2 * i])
              if delta ~= 0 then
                local raw = redis.call('GET', key)
                local existed = raw ~= false
                local current = tonumber(raw or '0')
                if current == nil then
                  return redis.error_reply('counter ' .. key .. ' does not hold an integer')
                end
                if current + delta > cap then
                  delta = cap - current
                elseif current + delta < -cap then
                  delta = -cap - current
                end
                redis.call('INCRBY', key, string.format('%%.0f', delta))
                if ttl > 0 then
                  local remaining = redis.call('PTTL', key)
                  if (remaining == -1 and not existed) or (remaining >= 0 and remaining < ttl) then
                    redis.call('PEXPIRE', key, ttl)
                  end
                end
              end
            end
            return #KEYS
            """
                    .formatted(RedisStateStore.MAX_COUNTER));

    private static final String NAME = "RedisStateStore";
    private static final Duration LONGEST_TTL = Duration.ofDays(36_525);

    private final RedisConnection redis;
    private final String prefix;

    /**
     * Uses a client the caller owns and closes (a {@code JedisPooled} or {@code RedisClient}), with the default key prefix.
     *
     * @param client the client; {@link #close()} leaves it open
     */
    public RedisStateStore(UnifiedJedis client) {
        this(client, DEFAULT_PREFIX);
    }

    /**
     * Uses a client the caller owns and closes, with its own key prefix.
     *
     * @param client    the client; {@link #close()} leaves it open
     * @param keyPrefix prepended to every counter key; for Redis Cluster a hash tag such as {@code {switchboard}:}
     */
    public RedisStateStore(UnifiedJedis client, String keyPrefix) {
        this(RedisConnection.shared(client), keyPrefix);
    }

    /**
     * Opens a pooled client; {@link #close()} closes it.
     *
     * @param uri {@code redis://host:port[/db]}
     */
    public RedisStateStore(URI uri) {
        this(uri, DEFAULT_PREFIX);
    }

    /**
     * Opens a pooled client with its own key prefix; {@link #close()} closes it.
     *
     * @param uri       {@code redis://host:port[/db]}
     * @param keyPrefix prepended to every counter key
     */
    public RedisStateStore(URI uri, String keyPrefix) {
        this(RedisConnection.open(uri), keyPrefix);
    }

    private RedisStateStore(RedisConnection redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public Optional<Charge> tryCharge(List<Charge> charges) {
        Objects.requireNonNull(charges, "charges");
        if (charges.isEmpty()) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>(charges.size());
        List<String> args = new ArrayList<>(charges.size() * 3);
        for (int i = 0; i < charges.size(); i++) {
            Charge c = element(charges, i, "charges");
            keys.add(prefix + c.key());
            args.add(Long.toString(capped(c.amount())));
            args.add(Long.toString(capped(c.limit())));
            args.add(Long.toString(ttlMillis(c.ttl())));
        }
        Object result = redis.call(NAME, "tryCharge " + keys, () -> TRY_CHARGE.run(redis.client(), keys, args));
        int refused = Math.toIntExact((Long) result);
        return refused < 0 ? Optional.empty() : Optional.of(charges.get(refused));
    }

    @Override
    public void adjust(List<Charge> deltas) {
        Objects.requireNonNull(deltas, "deltas");
        if (deltas.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(deltas.size());
        List<String> args = new ArrayList<>(deltas.size() * 2);
        for (int i = 0; i < deltas.size(); i++) {
            Charge c = element(deltas, i, "deltas");
            keys.add(prefix + c.key());
            args.add(Long.toString(capped(c.amount())));
            args.add(Long.toString(ttlMillis(c.ttl())));
        }
        redis.call(NAME, "adjust " + keys, () -> ADJUST.run(redis.client(), keys, args));
    }

    @Override
    public long current(String key) {
        Objects.requireNonNull(key, "key");
        String fullKey = prefix + key;
        String value = redis.call(NAME, "read " + fullKey, () -> redis.client().get(fullKey));
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RedisStoreException(
                    NAME + " at " + redis.location() + ": counter " + fullKey + " does not hold an integer", e);
        }
    }

    /** Keeps the value as a plain string key {@code <prefix><key>} with a millisecond expiry (SET PX). */
    @Override
    public boolean putValue(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        String fullKey = prefix + key;
        long ms = ttlMillis(ttl);
        redis.call(
                NAME,
                "put " + fullKey,
                () -> ms > 0
                        ? redis.client()
                                .set(fullKey, value, SetParams.setParams().px(ms))
                        : redis.client().set(fullKey, value));
        return true;
    }

    @Override
    public Optional<String> getValue(String key) {
        Objects.requireNonNull(key, "key");
        String fullKey = prefix + key;
        return Optional.ofNullable(
                redis.call(NAME, "get " + fullKey, () -> redis.client().get(fullKey)));
    }

    @Override
    public boolean removeValue(String key) {
        Objects.requireNonNull(key, "key");
        String fullKey = prefix + key;
        Long n = redis.call(NAME, "delete " + fullKey, () -> redis.client().del(fullKey));
        return n != null && n > 0;
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

    /** The SHA1 Redis knows the tryCharge script by; tests use it to see the script cache. */
    static String tryChargeScriptSha1() {
        return TRY_CHARGE.sha1();
    }

    /** {@code v} limited to ± {@link #MAX_COUNTER}, where Lua's doubles are still exact. */
    static long capped(long v) {
        return Math.max(-MAX_COUNTER, Math.min(MAX_COUNTER, v));
    }

    private static Charge element(List<Charge> list, int index, String name) {
        Charge c = list.get(index);
        if (c == null) {
            throw new NullPointerException(name + "[" + index + "] is null");
        }
        return c;
    }

    /**
     * Milliseconds for PEXPIRE; 0 means "no expiry". A positive sub-millisecond ttl rounds up to
     * 1 ms; a ttl beyond a century is treated as no expiry (Redis rejects expiry times that overflow).
     */
    static long ttlMillis(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(LONGEST_TTL) > 0) {
            return 0;
        }
        long millis = ttl.toMillis();
        return millis == 0 ? 1 : millis;
    }
}
