package dev.switchboard.internal.runtime;

import dev.switchboard.spi.Sleeper;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon timer thread per gateway for timeouts and (by default) retry waits: waiting never
 * occupies a pool thread. The timer only decides <em>when</em> (Caffeine's {@code Scheduler}): what
 * follows a wait or a timeout is handed to the request's executor ({@link AttemptOutcome},
 * {@link RetryStage}), so no stage, store, sink or hook ever runs on it. Also the gateway's threads
 * for in-process providers that may block ({@link #blocking()}), created on demand.
 *
 * <p>Closing: timers already scheduled (the timeouts of attempts under way) still fire, so those
 * attempts finish or time out as they would have; {@link #schedule} after close throws
 * {@link GatewayClosedException}; every wait passed through {@link #untilClosed} ends at once with
 * {@link GatewayClosedException}, so a request waiting to retry is not kept waiting. In-process provider
 * calls under way finish; none starts after close.
 */
public final class Scheduler implements Sleeper, AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor blocking;
    private final ThreadPoolExecutor sending;
    private final Set<Runnable> onClose = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

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
        this.blocking =
                new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread th = Executors.defaultThreadFactory().newThread(r);
                    th.setName("switchboard-provider-" + n.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                });
        AtomicInteger s = new AtomicInteger();
        this.sending =
                new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread th = Executors.defaultThreadFactory().newThread(r);
                    th.setName("switchboard-send-" + s.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                });
    }

    /**
     * Threads that wait in the JDK client's synchronous send for an {@code executeAsync} request or a
     * stream not sent from a waiting caller: one per exchange waiting for its answer (a stream's:
     * for its headers only), reused from one request to the next, ended after 30 s idle. The JDK's
     * own {@code sendAsync} hands every response to {@code CompletableFuture}'s default executor,
     * which is a new thread per task when the common pool has fewer than 2 threads (any machine with
     * 2 cores or fewer); the synchronous send does not. Refuses work after {@link #close()}.
     */
    public Executor sending() {
        return sending;
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
        ScheduledFuture<?> s;
        try {
            s = schedule(() -> f.complete(null), TimeUnit.NANOSECONDS, duration.toNanos());
        } catch (GatewayClosedException e) {
            f.completeExceptionally(e);
            return f;
        }
        f.whenComplete((v, e) -> s.cancel(false));
        return f;
    }

    /**
     * Runs {@code action} after {@code delayMs}; cancel the returned handle to prevent it.
     *
     * @throws GatewayClosedException after {@link #close()}
     */
    public ScheduledFuture<?> schedule(Runnable action, long delayMs) {
        return schedule(action, TimeUnit.MILLISECONDS, delayMs);
    }

    private ScheduledFuture<?> schedule(Runnable action, TimeUnit unit, long delay) {
        if (closed) {
            throw new GatewayClosedException();
        }
        try {
            return timer.schedule(action, delay, unit);
        } catch (RejectedExecutionException e) {
            throw new GatewayClosedException(); // closed between the check and the call
        }
    }

    /**
     * {@code wait}, unless the scheduler is closed first: then the returned future fails with
     * {@link GatewayClosedException} at once (also when it is already closed).
     */
    public <T> CompletableFuture<T> untilClosed(CompletableFuture<T> wait) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Runnable fail = () -> out.completeExceptionally(new GatewayClosedException());
        onClose.add(fail);
        if (closed && onClose.remove(fail)) {
            fail.run();
        }
        wait.whenComplete((v, e) -> {
            onClose.remove(fail);
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Idempotent. Lets scheduled timers run out; ends every {@link #untilClosed} wait now. */
    @Override
    public void close() {
        closed = true;
        timer.shutdown();
        blocking.shutdown();
        sending.shutdown();
        for (Runnable r : onClose) {
            if (onClose.remove(r)) {
                r.run();
            }
        }
    }
}
