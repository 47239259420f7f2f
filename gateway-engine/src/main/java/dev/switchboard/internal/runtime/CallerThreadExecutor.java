package dev.switchboard.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor of a request whose caller blocks ({@code Gateway.execute}): work handed off by the
 * timer or by a transport's thread (the rest of the request after a retry wait, a timeout or an
 * asynchronous answer) is queued and run by the caller's own thread in {@link #runUntil}, as gRPC's
 * blocking stubs do. Once the caller stopped waiting (its answer is there, e.g. a stream's first
 * event), later tasks go to the gateway's executor.
 */
final class CallerThreadExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(CallerThreadExecutor.class);
    private static final Runnable WAKE = () -> {};

    private final Executor afterwards;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private boolean waiting = true; // guarded by this

    /** {@code afterwards}: where tasks go once the caller stopped waiting. */
    CallerThreadExecutor(Executor afterwards) {
        this.afterwards = afterwards;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (waiting) {
                tasks.add(task);
                return;
            }
        }
        afterwards.execute(task);
    }

    /**
     * Runs the queued tasks on the calling thread until {@code answer} completes.
     *
     * @throws InterruptedException when the caller is interrupted; queued and later tasks then run
     *                              on the gateway's executor, so the request still finishes
     */
    <T> T runUntil(CompletableFuture<T> answer) throws InterruptedException, ExecutionException {
        answer.whenComplete((v, e) -> tasks.add(WAKE));
        try {
            while (!answer.isDone()) {
                Runnable task = tasks.take();
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("request task failed on the caller's thread: {}", e.toString());
                }
            }
        } finally {
            List<Runnable> rest = new ArrayList<>();
            synchronized (this) {
                waiting = false;
                tasks.drainTo(rest);
            }
            for (Runnable r : rest) {
                if (r != WAKE) {
                    afterwards.execute(r);
                }
            }
        }
        return answer.get();
    }
}
