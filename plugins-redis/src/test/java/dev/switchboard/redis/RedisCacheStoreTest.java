package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.CachedAnswer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedisCacheStoreTest {
    private static final String BODY = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"héllo\"}}]}";
    private static final Instant STORED_AT = Instant.parse("2025-11-25T12:00:00.123456789Z");

    private static RedisServerProcess server;
    private static RedisClient admin;

    private RedisCacheStore cache;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServerProcess.start();
        admin = RedisClient.create(server.uri());
    }

    @AfterAll
    static void stopRedis() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        admin.flushAll();
        cache = new RedisCacheStore(server.uri());
    }

    @AfterEach
    void closeCache() {
        cache.close();
    }

    @Test
    void aStoredAnswerComesBackWithItsBodyAttributesAndStoredAt() {
        cache.put("abc123", answer(), Duration.ofMinutes(5));

        CachedAnswer got = cache.get("abc123").orElseThrow();

        assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), got.body());
        assertEquals(
                List.of("provider", "model", "cost_usd"),
                List.copyOf(got.attributes().keySet()),
                "attribute order kept");
        assertEquals(answer().attributes(), got.attributes());
        assertEquals(STORED_AT, got.storedAt());
    }

    @Test
    void putSetsTheRedisExpiryFromTheTtl() {
        cache.put("abc123", answer(), Duration.ofSeconds(30));

        long pttl = admin.pttl("switchboard:cache:abc123");
        assertTrue(pttl > 0 && pttl <= 30_000, "PTTL " + pttl);
    }

    @Test
    void anAnswerStoredByOneGatewayIsAHitInAnother() {
        try (RedisCacheStore otherJvm = new RedisCacheStore(RedisClient.create(server.uri()))) {
            cache.put("shared", answer(), Duration.ofMinutes(1));

            Optional<CachedAnswer> got = otherJvm.get("shared");

            assertTrue(got.isPresent());
            assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), got.get().body());
            otherJvm.remove("shared");
            assertEquals(Optional.empty(), cache.get("shared"), "a remove by one is seen by the other");
        }
    }

    @Test
    void anExpiredEntryIsAMiss() {
        cache.put("old", answer(), Duration.ofMinutes(1));
        // an expiry time in the past makes Redis drop the key now, as the ttl running out would
        admin.pexpireAt("switchboard:cache:old", 1);

        assertEquals(Optional.empty(), cache.get("old"));
    }

    @Test
    void anUnknownKeyIsAMiss() {
        assertEquals(Optional.empty(), cache.get("nothing-here"));
    }

    @Test
    void anUnreadableValueIsAMissNotAnError() {
        admin.set("switchboard:cache:garbage", "not a cached answer");

        assertEquals(Optional.empty(), cache.get("garbage"));
    }

    @Test
    void aNullTtlKeepsTheAnswerWithoutExpiry() {
        cache.put("pinned", answer(), null);

        assertEquals(-1, admin.pttl("switchboard:cache:pinned"));
        assertTrue(cache.get("pinned").isPresent());
    }

    @Test
    void aZeroTtlIsRejectedWithAMessageNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> cache.put("k", answer(), Duration.ZERO));
        assertTrue(e.getMessage().contains("ttl"), e.getMessage());
        assertEquals(0, admin.exists("switchboard:cache:k") ? 1 : 0);
    }

    @Test
    void aCustomPrefixIsUsedForTheRedisKey() {
        try (RedisCacheStore tenant = new RedisCacheStore(server.uri(), "{t2}:cache:")) {
            tenant.put("k", answer(), Duration.ofMinutes(1));
            assertTrue(admin.exists("{t2}:cache:k"));
            assertEquals(Optional.empty(), cache.get("k"), "the default prefix does not see it");
        }
    }

    private static CachedAnswer answer() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("provider", "openai");
        attributes.put("model", "gpt-4o-mini");
        attributes.put("cost_usd", "0.000123");
        return new CachedAnswer(BODY.getBytes(StandardCharsets.UTF_8), attributes, STORED_AT);
    }
}
