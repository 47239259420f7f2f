package dev.switchboard.testkit;

import dev.switchboard.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Sleeper} that never waits: each sleep is recorded, moves the {@link ManualClock} (if any)
 * forward by its duration, and returns an already-completed future. Retry backoffs become
 * assertions instead of seconds of test time. Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.start();
 * ManualSleeper sleeper = new ManualSleeper(clock);
 * Gateway gateway = Gateway.builder().config(json).clock(clock).sleeper(sleeper).build();
 * gateway.execute(request);   // two retries
 * assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeper.sleeps());
 * }</pre>
 */
public final class ManualSleeper implements Sleeper {
    private final ManualClock clock;
    private final List<Duration> sleeps = new ArrayList<>(); // guarded by itself

    /** @param clock the clock each sleep advances, or null to only record */
    public ManualSleeper(ManualClock clock) {
        this.clock = clock;
    }

    /**
     * Records the sleep and advances the clock; the returned future is already complete.
     *
     * @throws IllegalArgumentException for a negative duration (a bug in the caller's backoff)
     */
    @Override
    public CompletableFuture<Void> sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot sleep a negative duration: " + duration);
        }
        synchronized (sleeps) {
            sleeps.add(duration);
            if (clock != null) {
                // Inside the lock, so the clock moves in the order the sleeps were recorded.
                clock.advance(duration);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** {@return the requested sleeps in call order (an immutable copy)} */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /** {@return the sum of all recorded sleeps} */
    public Duration total() {
        synchronized (sleeps) {
            Duration sum = Duration.ZERO;
            for (Duration d : sleeps) {
                sum = sum.plus(d);
            }
            return sum;
        }
    }

    /** Forgets the recorded sleeps (the clock keeps its time). */
    public void reset() {
        synchronized (sleeps) {
            sleeps.clear();
        }
    }

    @Override
    public String toString() {
        return "ManualSleeper{sleeps=" + sleeps() + "}";
    }
}
