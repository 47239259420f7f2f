package dev.switchboard.internal.runtime;

import dev.switchboard.spi.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon timer thread per gateway for timeouts and (by default) retry waits: waiting never
 * occupies a pool thread. Also the gateway's threads for in-process providers that may block
 * ({@link #blocking()}), created on demand.
 */
public final class Scheduler implements Sleeper, AutoCloseable {
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor blocking;

    public Scheduler() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = Executors.defaultThreadFactory().newThread(r);
            th.setName("switchboard-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        AtomicInteger n = new AtomicInteger();
        this.blocking = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread th = Executors.defaultThreadFactory().newThread(r);
                    th.setName("switchboard-provider-" + n.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                });
    }

    /**
     * Threads for in-process providers that may block (never the timer's): one per running call,
     * started when needed, ended after 30 s idle; none exist while no such provider runs.
     */
    public Executor blocking() {
        return blocking;
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
        blocking.shutdownNow();
    }
}
