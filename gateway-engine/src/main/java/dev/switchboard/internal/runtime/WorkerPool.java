package dev.switchboard.internal.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's default executor for request work that does not belong to the caller: the rest of
 * an {@code executeAsync} request after a retry wait, a timeout or an asynchronous answer (the next
 * attempt, cache reads and writes, hooks, accounting, log sinks). The timer thread only hands work
 * here; it never runs it.
 *
 * <p>Size: one thread per core, at least 2 and at most 8. The work is short (sends are asynchronous,
 * so no thread waits on a provider) but may include a blocking store or sink call (Redis, a log
 * pipeline): two threads keep one slow call from holding every other request, and more than a core
 * each would only queue on the CPU. Threads are daemons named {@code switchboard-worker-N}, start
 * when needed and end after 30 s idle. Closing the gateway shuts the pool down; work of requests
 * still under way that arrives afterwards runs on a fresh daemon thread, so they still finish.
 */
final class WorkerPool {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    private static final AtomicInteger LATE = new AtomicInteger();

    private WorkerPool() {}

    /** The number of threads of the default pool on this machine. */
    static int defaultSize() {
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /** A new default pool; shut it down with the gateway. */
    static ExecutorService create() {
        AtomicInteger n = new AtomicInteger();
        int size = defaultSize();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                size,
                size,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = Executors.defaultThreadFactory().newThread(r);
                    t.setName("switchboard-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                (task, executor) -> runLate(task));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * An executor that never loses a task: when {@code executor} refuses one (shut down, saturated),
     * it runs on a fresh daemon thread instead, so a request under way still finishes.
     */
    static Executor neverRejecting(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                runLate(task);
            }
        };
    }

    private static void runLate(Runnable task) {
        Thread t = new Thread(task, "switchboard-late-" + LATE.incrementAndGet());
        t.setDaemon(true);
        LOG.debug("the request executor refused a task; running it on {}", t.getName());
        t.start();
    }
}
