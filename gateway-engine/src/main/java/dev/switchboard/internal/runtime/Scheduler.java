package dev.switchboard.internal.runtime;

import dev.switchboard.spi.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon timer thread per gateway for timeouts and (by default) retry waits: waiting never
 * occupies a pool thread.
 */
public final class Scheduler implements Sleeper, AutoCloseable {
    private final ScheduledExecutorService timer;

    public Scheduler() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = Executors.defaultThreadFactory().newThread(r);
            th.setName("switchboard-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    @Override
    public CompletableFuture<Void> sleep(Duration duration) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (duration.isZero() || duration.isNegative()) {
            f.complete(null);
            return f;
        }
        ScheduledFuture<?> s = timer.schedule(() -> f.complete(null), duration.toNanos(), TimeUnit.NANOSECONDS);
        f.whenComplete((v, e) -> s.cancel(false));
        return f;
    }

    /** Runs {@code action} after {@code delay}; cancel the returned handle to prevent it. */
    public ScheduledFuture<?> schedule(Runnable action, long delayMs) {
        return timer.schedule(action, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
