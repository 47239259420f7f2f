package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    @Test
    void startsAtNewYear2026InUtc() {
        ManualClock clock = ManualClock.start();

        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), clock.instant());
        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertEquals(clock.instant().toEpochMilli(), clock.millis());
    }

    @Test
    void movesOnlyWhenAdvancedOrSet() {
        ManualClock clock = ManualClock.at(Instant.EPOCH);
        assertEquals(Instant.EPOCH, clock.instant());

        assertEquals(Instant.ofEpochSecond(90), clock.advance(Duration.ofSeconds(90)));
        assertEquals(Instant.ofEpochSecond(90), clock.instant());

        clock.set(Instant.ofEpochSecond(5));
        assertEquals(Instant.ofEpochSecond(5), clock.instant());
    }

    @Test
    void refusesToAdvanceBackwards() {
        ManualClock clock = ManualClock.start();

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));

        assertEquals(ManualClock.DEFAULT_START, clock.instant());
        assertEquals("cannot advance a clock by a negative duration: PT-1S", e.getMessage());
    }

    @Test
    void aZonedViewSharesTheTime() {
        ManualClock clock = ManualClock.start();
        ManualClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
        assertEquals(clock.instant(), paris.instant());
    }

    @Test
    void concurrentAdvancesAreAllApplied() throws Exception {
        ManualClock clock = ManualClock.at(Instant.EPOCH);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertEquals(Instant.ofEpochMilli(4000), clock.instant());
    }
}
