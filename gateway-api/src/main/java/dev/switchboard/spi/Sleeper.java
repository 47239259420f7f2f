package dev.switchboard.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Schedules the waits between retries. Never blocks a thread: the default completes the future
 * from a scheduler; the testkit's manual sleeper completes at once and advances a manual clock.
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Waits without blocking.
     *
     * @param duration how long
     * @return a future completed once {@code duration} has passed
     */
    CompletableFuture<Void> sleep(Duration duration);
}
