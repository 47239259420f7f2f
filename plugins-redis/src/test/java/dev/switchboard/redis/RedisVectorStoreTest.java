package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cache.InMemoryVectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The Redis vector store on a Redis without the search module (the tests' redis-server): it detects
 * that and keeps vectors in the fallback store. The path on Redis's own vector search is {@link
 * RedisStackVectorStoreTest} (tag {@code redis-stack}, needs a Redis Stack).
 */
class RedisVectorStoreTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static RedisServerProcess server;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutTheSearchModuleVectorsGoToTheFallbackAndNothingToRedis() throws InterruptedException {
        InMemoryVectorStore fallback = new InMemoryVectorStore(Clock.fixed(NOW, ZoneOffset.UTC), 100);
        try (RedisVectorStore store = new RedisVectorStore(server.uri(), fallback);
                RedisClient admin = RedisClient.create(server.uri())) {
            admin.flushAll();
            assertFalse(store.usesRedisSearch(), "plain redis-server has no FT._LIST");
            assertTrue(store.toString().contains("fallback InMemoryVectorStore"), store.toString());

            store.add("p", "a", new float[] {1, 0}, NOW.plusSeconds(60));
            store.add("p", "b", new float[] {0, 1}, NOW.plusSeconds(60));
            assertTrue(fallback.awaitIdle(Duration.ofSeconds(10)), "the fallback's writer indexed both");
            assertEquals(2, fallback.size());
            assertEquals(0, admin.dbSize(), "nothing written to Redis");

            Optional<dev.switchboard.spi.VectorStore.Match> m = store.nearest("p", new float[] {0.1f, 1}, 0.9, NOW);
            assertEquals("b", m.orElseThrow().key());
            assertTrue(store.nearest("p", new float[] {1, 1}, 0.9, NOW).isEmpty(), "below the threshold");

            store.remove("b");
            assertTrue(fallback.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(1, fallback.size());
        }
    }

    @Test
    void vectorsTravelAsLittleEndianFloat32AndTagsAreEscaped() {
        float[] v = {1.5f, -0.25f, 3e-8f};
        byte[] bytes = RedisVectorStore.encode(v);
        assertEquals(12, bytes.length);
        assertEquals(0, bytes[0]);
        assertEquals((byte) 0xC0, bytes[2]);
        assertEquals(0x3F, bytes[3], "1.5f = 0x3FC00000, little-endian");
        assertArrayEquals(v, RedisVectorStore.decode(bytes));
        assertEquals("ab12", RedisVectorStore.escapeTag("ab12"));
        assertEquals("a\\-b\\ c\\}\\|", RedisVectorStore.escapeTag("a-b c}|"));
    }
}
