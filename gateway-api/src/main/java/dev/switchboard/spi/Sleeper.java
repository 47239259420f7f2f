package dev.switchboard.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Schedules the waits between retries. Never blocks a thread: the default completes the future
 * from a scheduler; the testkit's manual sleeper completes at once and advances a manual clock.
 */
@FunctionalInterface
public interface Sleeper {
    CompletableFuture<Void> sleep(Duration duration);
}
