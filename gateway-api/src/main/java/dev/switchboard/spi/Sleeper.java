package dev.switchboard.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Schedules the waits between retries and the delays of hedged requests ({@code strategy.hedge}).
 * Never blocks a thread: the default completes the future from a scheduler; the testkit's manual
 * sleeper completes at once and advances a manual clock. A returned future may be cancelled by the
 * gateway when the wait is no longer needed (a hedged target answered in time).
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
