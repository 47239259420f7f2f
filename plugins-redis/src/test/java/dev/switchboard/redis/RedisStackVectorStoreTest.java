package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.spi.VectorStore;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Redis vector store on Redis's own vector search: needs a Redis Stack (or Redis 8) server, so
 * it carries the tag {@code redis-stack}, which plugins-redis leaves out of its default run. Run it
 * with {@code mvn -pl plugins-redis test -Dsb.excludedGroups= -Dgroups=redis-stack
 * -Dswitchboard.redisStack=redis://127.0.0.1:6379} (e.g. {@code docker run -p 6379:6379 redis/redis-stack-server}).
 * It writes under its own key prefix and removes what it wrote.
 */
@Tag("redis-stack")
class RedisStackVectorStoreTest {
    @Test
    void twoStoresOnOneRedisShareVectorsThroughItsVectorSearch() {
        String uri = System.getProperty("switchboard.redisStack");
        assumeTrue(uri != null, "set -Dswitchboard.redisStack=redis://host:port to a Redis Stack server");
        String prefix = "switchboard-test:" + System.nanoTime() + ":";
        VectorStore unused = new VectorStore() {
            @Override
            public void add(String partition, String key, float[] vector, Instant expiresAt) {
                throw new AssertionError("the fallback must not be used on Redis Stack");
            }

            @Override
            public Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now) {
                throw new AssertionError("the fallback must not be used on Redis Stack");
            }

            @Override
            public void remove(String key) {
                throw new AssertionError("the fallback must not be used on Redis Stack");
            }
        };
        Instant now = Instant.now();
        List<String> keys = new ArrayList<>();
        try (RedisVectorStore writer = new RedisVectorStore(URI.create(uri), prefix, unused);
                RedisVectorStore reader = new RedisVectorStore(URI.create(uri), prefix, unused)) {
            assertTrue(writer.usesRedisSearch());
            writer.add("part-1", "a", new float[] {1, 0, 0}, now.plusSeconds(60));
            writer.add("part-1", "b", new float[] {0.6f, 0.8f, 0}, now.plusSeconds(60));
            writer.add("part-2", "c", new float[] {0, 1, 0}, now.plusSeconds(60));
            keys.addAll(List.of("a", "b", "c"));

            VectorStore.Match m =
                    reader.nearest("part-1", new float[] {0, 2, 0}, 0.5, now).orElseThrow();
            assertEquals("b", m.key(), "nearest of its partition, found by another store");
            assertEquals(0.8, m.similarity(), 1e-6, "similarity computed exactly");
            assertTrue(reader.nearest("part-1", new float[] {0, 0, 1}, 0.5, now).isEmpty(), "below the threshold");
            assertTrue(reader.nearest("part-3", new float[] {0, 1, 0}, 0.5, now).isEmpty(), "other partition");

            writer.remove("b");
            keys.remove("b");
            assertEquals(
                    "a",
                    reader.nearest("part-1", new float[] {0, 2, 0}, -1, now)
                            .orElseThrow()
                            .key());
        } finally {
            try (RedisVectorStore cleanup = new RedisVectorStore(URI.create(uri), prefix, unused)) {
                keys.forEach(cleanup::remove);
            }
        }
    }
}
