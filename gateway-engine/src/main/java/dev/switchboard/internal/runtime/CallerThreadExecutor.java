package dev.switchboard.internal.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor of a request whose caller blocks ({@code Gateway.execute}): work handed off by the
 * timer or by a transport's thread (the rest of the request after a retry wait, a timeout or an
 * asynchronous answer) is queued and run by the caller's own thread in {@link #runUntil}, as gRPC's
 * blocking stubs do. Once the caller stopped waiting (its answer is there, e.g. a stream's first
 * event), later tasks go to the gateway's executor. A request answered without a hand-off (the
 * common case) allocates no queue.
 */
final class CallerThreadExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(CallerThreadExecutor.class);

    private final Executor afterwards;
    private ArrayDeque<Runnable> tasks; // guarded by this; made on the first hand-off
    private boolean waiting = true; // guarded by this

    /** {@code afterwards}: where tasks go once the caller stopped waiting. */
    CallerThreadExecutor(Executor afterwards) {
        this.afterwards = afterwards;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (waiting) {
                if (tasks == null) {
                    tasks = new ArrayDeque<>();
                }
                tasks.add(task);
                notifyAll();
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
        if (!answer.isDone()) {
            answer.whenComplete((v, e) -> wake());
            try {
                while (true) {
                    Runnable task;
                    synchronized (this) {
                        while ((tasks == null || tasks.isEmpty()) && !answer.isDone()) {
                            wait();
                        }
                        if (answer.isDone()) {
                            break; // answered: whatever is still queued goes to the gateway's executor
                        }
                        task = tasks.poll();
                    }
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("request task failed on the caller's thread: {}", e.toString());
                    }
                }
            } finally {
                stopWaiting();
            }
        } else {
            stopWaiting();
        }
        return answer.get();
    }

    private synchronized void wake() {
        notifyAll();
    }

    /** From now on tasks go to the gateway's executor; those still queued go there too. */
    private void stopWaiting() {
        ArrayDeque<Runnable> rest;
        synchronized (this) {
            waiting = false;
            rest = tasks;
            tasks = null;
        }
        if (rest != null) {
            for (Runnable r : rest) {
                afterwards.execute(r);
            }
        }
    }
}
