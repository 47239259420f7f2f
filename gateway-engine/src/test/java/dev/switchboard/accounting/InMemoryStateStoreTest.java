package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.Charge;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-07-24T10:00:00Z"));
    private final InMemoryStateStore store = new InMemoryStateStore(clock);

    @Test
    void chargesAllCountersOrNone() {
        Charge a = new Charge("a", 5, 10, null);
        Charge b = new Charge("b", 5, 4, null);
        assertEquals(Optional.of(b), store.tryCharge(List.of(a, b)));
        assertEquals(0, store.current("a"), "a refused batch leaves every counter untouched");
        assertEquals(Optional.empty(), store.tryCharge(List.of(a, new Charge("b", 4, 4, null))));
        assertEquals(5, store.current("a"));
        assertEquals(4, store.current("b"));
    }

    @Test
    void refusesTheChargeThatWouldGoAboveItsLimit() {
        assertTrue(store.tryCharge(List.of(new Charge("k", 10, 10, null))).isEmpty());
        assertTrue(store.tryCharge(List.of(new Charge("k", 1, 10, null))).isPresent());
        assertTrue(store.tryCharge(List.of(new Charge("k", 0, 10, null))).isEmpty(), "a free request still fits");
    }

    @Test
    void adjustAddsUnconditionallyIncludingNegativeAmounts() {
        store.adjust(List.of(new Charge("k", 7, 0, null)));
        store.adjust(List.of(new Charge("k", -3, 0, null)));
        assertEquals(4, store.current("k"));
    }

    @Test
    void countersForgetThemselvesAfterTheirTtlOnTheInjectedClock() {
        store.tryCharge(
                List.of(new Charge("minute", 3, 10, Duration.ofSeconds(60)), new Charge("forever", 3, 10, null)));
        clock.advance(Duration.ofSeconds(59));
        assertEquals(3, store.current("minute"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, store.current("minute"));
        assertEquals(3, store.current("forever"));
        assertEquals(1, store.size());
    }

    @Test
    void ttlRunsFromCreationNotFromEachWrite() {
        store.tryCharge(List.of(new Charge("w", 1, 10, Duration.ofSeconds(60))));
        clock.advance(Duration.ofSeconds(50));
        store.tryCharge(List.of(new Charge("w", 1, 10, Duration.ofSeconds(60))));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(0, store.current("w"));
    }

    @Test
    void aChargeThatWouldOverflowIsRefusedNotWrappedAround() {
        assertTrue(store.tryCharge(List.of(new Charge("k", 1, Long.MAX_VALUE, null)))
                .isEmpty());
        Charge huge = new Charge("k", Long.MAX_VALUE, Long.MAX_VALUE, null);
        assertEquals(Optional.of(huge), store.tryCharge(List.of(huge)), "1 + Long.MAX_VALUE is above any limit");
        assertEquals(1, store.current("k"));
        Charge twice = new Charge("t", Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE, null);
        assertEquals(
                Optional.of(twice), store.tryCharge(List.of(twice, twice)), "the same key named twice sums, saturated");
        assertEquals(0, store.current("t"));
    }

    @Test
    void adjustSaturatesAtTheLongRange() {
        store.adjust(List.of(new Charge("k", Long.MAX_VALUE, 0, null), new Charge("k", Long.MAX_VALUE, 0, null)));
        assertEquals(Long.MAX_VALUE, store.current("k"));
        store.adjust(List.of(new Charge("n", Long.MIN_VALUE, 0, null), new Charge("n", -1, 0, null)));
        assertEquals(Long.MIN_VALUE, store.current("n"));
    }

    @Test
    void valuesLiveUntilTheirTtlAndCanBeReplacedOrRemoved() {
        assertTrue(store.putValue("v", "one", Duration.ofSeconds(10)));
        assertEquals(Optional.of("one"), store.getValue("v"));
        assertTrue(store.putValue("v", "two", Duration.ofSeconds(10)));
        assertEquals(Optional.of("two"), store.getValue("v"));
        clock.advance(Duration.ofSeconds(9));
        assertEquals(Optional.of("two"), store.getValue("v"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), store.getValue("v"), "expired at its TTL");
        assertEquals(false, store.removeValue("v"));
        store.putValue("w", "x", Duration.ofMinutes(1));
        assertTrue(store.removeValue("w"));
        assertEquals(Optional.empty(), store.getValue("w"));
        assertEquals(Optional.empty(), store.getValue("never"));
    }
}
