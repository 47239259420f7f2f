package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.CachedAnswer;
import dev.switchboard.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryCacheStoreTest {
    private final ManualClock clock = ManualClock.start();

    private CachedAnswer answer(String text) {
        return new CachedAnswer(text.getBytes(StandardCharsets.UTF_8), Map.of("model", "m"), clock.instant());
    }

    @Test
    void anEntryLivesUntilItsTtlByTheClock() {
        InMemoryCacheStore store = new InMemoryCacheStore(clock, 10);
        store.put("k", answer("{}"), Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(9_999));
        assertTrue(store.get("k").isPresent());
        clock.advance(Duration.ofMillis(1));
        assertFalse(store.get("k").isPresent());
    }

    @Test
    void theLeastRecentlyUsedEntryIsEvictedPastTheBound() {
        InMemoryCacheStore store = new InMemoryCacheStore(clock, 2);
        store.put("a", answer("1"), Duration.ofHours(1));
        store.put("b", answer("2"), Duration.ofHours(1));
        store.get("a"); // a is now more recent than b
        store.put("c", answer("3"), Duration.ofHours(1));
        assertTrue(store.get("a").isPresent());
        assertFalse(store.get("b").isPresent());
        assertTrue(store.get("c").isPresent());
        assertEquals(2, store.size());
    }

    @Test
    void removeForgetsAnEntryAndABadTtlIsRefused() {
        InMemoryCacheStore store = new InMemoryCacheStore(clock, 2);
        store.put("a", answer("1"), null);
        store.remove("a");
        assertFalse(store.get("a").isPresent());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> store.put("a", answer("1"), Duration.ZERO));
        assertTrue(e.getMessage().contains("ttl"), e.getMessage());
    }
}
