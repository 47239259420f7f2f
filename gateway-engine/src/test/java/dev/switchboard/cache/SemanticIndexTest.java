package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.internal.cache.SemanticIndex;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SemanticIndexTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(60);

    @Test
    void theNearestVectorOfThePartitionWinsAndOtherPartitionsAreNeverCompared() {
        SemanticIndex index = new SemanticIndex(10);
        index.add("p", "a", new float[] {1, 0}, LATER);
        index.add("p", "b", new float[] {0.6f, 0.8f}, LATER);
        index.add("q", "c", new float[] {0, 1}, LATER);
        assertEquals(
                "b",
                index.nearest("p", new float[] {0, 2}, 0.5, NOW).orElseThrow().key());
        assertTrue(index.nearest("p", new float[] {-1, 0}, 0.5, NOW).isEmpty());
        assertTrue(index.nearest("r", new float[] {0, 1}, 0.5, NOW).isEmpty());
    }

    @Test
    void theIndexIsBoundedAndForgetsTheOldestVector() {
        SemanticIndex index = new SemanticIndex(2);
        index.add("p", "a", new float[] {1, 0}, LATER);
        index.add("p", "b", new float[] {0, 1}, LATER);
        index.add("p", "c", new float[] {1, 1}, LATER);
        assertEquals(2, index.size());
        assertTrue(index.nearest("p", new float[] {1, 0}, 0.99, NOW).isEmpty(), "a was forgotten");
    }

    @Test
    void anExpiredVectorIsNotServed() {
        SemanticIndex index = new SemanticIndex(2);
        index.add("p", "a", new float[] {1, 0}, LATER);
        assertTrue(index.nearest("p", new float[] {1, 0}, 1.0, LATER).isEmpty());
        assertEquals(0, index.size());
    }
}
