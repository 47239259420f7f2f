package dev.switchboard.internal.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an index's writes one at a time, in submission order, on an {@link Executor}, so the thread
 * that submits one never waits for it. At most {@code capacity} writes wait; past that a write is
 * dropped (DEBUG log, {@link #dropped()} counts it): a cache entry may be lost, an answer never is.
 *
 * <p>With {@code Runnable::run} as the executor the writes run on the submitting thread (or on
 * the thread already draining the queue), which is how tests keep an index synchronous.
 */
public final class SerialWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SerialWriter.class);

    /** How long the default writer thread waits for more work before it ends. */
    static final long IDLE_SECONDS = 10;

    private final Executor executor;
    private final int capacity;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Writes queued or running. */
    private final AtomicInteger pending = new AtomicInteger();

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final Object idle = new Object();

    /**
     * A writer running on {@code executor}.
     *
     * @param executor runs the queue's drain; need not be serial itself, at most one drain is
     *     submitted at a time
     * @param capacity the most writes waiting; more are dropped
     * @throws IllegalArgumentException when {@code capacity} is below 1
     */
    public SerialWriter(Executor executor, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("pending writes bound must be at least 1, got " + capacity);
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.capacity = capacity;
    }

    /**
     * The default executor: one daemon thread named {@code name}, started on the first write and
     * ended after 10 s without one, so an index that is no longer used (its
     * gateway closed) holds no thread and never keeps the JVM alive.
     *
     * @param name the thread's name
     * @return a fresh single-thread executor
     */
    public static Executor daemonThread(String name) {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Queues a write.
     *
     * @param what  names the write in the DEBUG line of a drop (no vector, no secret)
     * @param write the write
     * @return false when the queue was full and the write was dropped
     */
    public boolean submit(String what, Runnable write) {
        if (pending.incrementAndGet() > capacity) {
            done();
            long n = dropped.incrementAndGet();
            LOG.debug(
                    "semantic index write queue full ({} pending): dropped {} ({} dropped so far)", capacity, what, n);
            return false;
        }
        tasks.add(write);
        schedule();
        return true;
    }

    private void schedule() {
        while (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                draining.set(false);
                int lost = 0;
                for (Runnable r; (r = tasks.poll()) != null; ) {
                    lost++;
                    done();
                }
                dropped.addAndGet(lost);
                LOG.debug("semantic index writer rejected its work ({}): dropped {} writes", e.toString(), lost);
                return;
            }
        }
    }

    private void drain() {
        try {
            for (Runnable r; (r = tasks.poll()) != null; ) {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("semantic index write failed: {}", e.toString());
                } finally {
                    done();
                }
            }
        } finally {
            draining.set(false);
        }
        schedule(); // a write queued between the last poll and the reset
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no write is queued or running.
     *
     * @param timeout the longest wait
     * @return true when idle, false when the timeout passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    /** {@return the writes dropped so far because the queue was full} */
    public long dropped() {
        return dropped.get();
    }

    /** {@return the writes queued or running} */
    public int pending() {
        return Math.max(0, pending.get());
    }
}
