package dev.switchboard.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one outcome of a provider attempt: the provider's answer or the timeout, whichever comes
 * first. The timer only claims the outcome ({@link #timeOut}): it interrupts a caller blocked in a
 * synchronous send (cheap, and nobody else could) and hands the timeout's answer and the upstream's
 * cancellation to the request's executor, so no request work runs on the timer thread.
 */
final class AttemptOutcome {
    private final CompletableFuture<LeafResult> future = new CompletableFuture<>();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final AtomicReference<Runnable> cancelUpstream = new AtomicReference<>(() -> {});
    private final AtomicReference<Runnable> interruptCaller = new AtomicReference<>(() -> {});

    /** The attempt's result. */
    CompletableFuture<LeafResult> future() {
        return future;
    }

    /** Completes with the provider's answer unless the timeout claimed the outcome first. */
    boolean complete(LeafResult r) {
        return !timedOut.get() && future.complete(r);
    }

    /** Whether the answer or the timeout is in. */
    boolean isDone() {
        return timedOut.get() || future.isDone();
    }

    /** What aborts the upstream exchange now under way (a subscription, a future, a provider thread). */
    void onCancel(Runnable cancel) {
        cancelUpstream.set(cancel);
    }

    /** What wakes the caller's thread blocked in a synchronous send (run on the timer thread). */
    void onInterrupt(Runnable interrupt) {
        interruptCaller.set(interrupt);
    }

    /** The synchronous send returned: nothing to interrupt any more. */
    void sendReturned() {
        interruptCaller.set(() -> {});
    }

    /**
     * Called by the timer: claims the outcome for the timeout, interrupts a blocked caller, and hands
     * the rest to {@code executor}: completing with {@code timeoutResult}, then cancelling the
     * upstream.
     */
    void timeOut(Supplier<LeafResult> timeoutResult, Executor executor) {
        if (future.isDone() || !timedOut.compareAndSet(false, true)) {
            return;
        }
        interruptCaller.get().run();
        executor.execute(() -> {
            if (future.complete(timeoutResult.get())) {
                cancelUpstream.get().run();
            }
        });
    }
}
