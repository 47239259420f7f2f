package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ManualSleeperTest {
    @Test
    void sleepRecordsAdvancesTheClockAndCompletesAtOnce() {
        ManualClock clock = ManualClock.start();
        ManualSleeper sleeper = new ManualSleeper(clock);

        CompletableFuture<Void> first = sleeper.sleep(Duration.ofSeconds(1));
        CompletableFuture<Void> second = sleeper.sleep(Duration.ofSeconds(2));

        assertTrue(first.isDone() && second.isDone());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeper.sleeps());
        assertEquals(Duration.ofSeconds(3), sleeper.total());
        assertEquals(ManualClock.DEFAULT_START.plusSeconds(3), clock.instant());
    }

    @Test
    void worksWithoutAClock() {
        ManualSleeper sleeper = new ManualSleeper(null);

        sleeper.sleep(Duration.ofMillis(250));

        assertEquals(Duration.ofMillis(250), sleeper.total());
    }

    @Test
    void resetForgetsSleepsButNotTheClocksTime() {
        ManualClock clock = ManualClock.start();
        ManualSleeper sleeper = new ManualSleeper(clock);
        sleeper.sleep(Duration.ofMinutes(1));

        sleeper.reset();

        assertTrue(sleeper.sleeps().isEmpty());
        assertEquals(Duration.ZERO, sleeper.total());
        assertEquals(ManualClock.DEFAULT_START.plusSeconds(60), clock.instant());
    }

    @Test
    void negativeSleepIsRejected() {
        ManualSleeper sleeper = new ManualSleeper(null);

        assertThrows(IllegalArgumentException.class, () -> sleeper.sleep(Duration.ofMillis(-1)));
        assertTrue(sleeper.sleeps().isEmpty());
    }
}
