package dev.switchboard.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The one outcome of a provider attempt: the provider's answer, the timeout or the caller's
 * cancellation, whichever comes first. The timer (or the cancelling thread) only claims the outcome
 * ({@link #timeOut}, {@link #cancel}): it interrupts a caller blocked in a
 * synchronous send (cheap, and nobody else could) and hands the timeout's answer and the upstream's
 * cancellation to the request's executor, so no request work runs on the timer thread. An attempt
 * without a timeout that its caller cannot cancel ({@code Gateway.execute}) keeps no cancel or
 * interrupt actions ({@link #timed()} is false): nothing could run them.
 */
final class AttemptOutcome {
    private static final Runnable NOTHING = () -> {};
    private static final VarHandle TIMED_OUT;

    static {
        try {
            TIMED_OUT = MethodHandles.lookup().findVarHandle(AttemptOutcome.class, "timedOut", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CompletableFuture<LeafResult> future = new CompletableFuture<>();
    private final boolean timed;

    @SuppressWarnings("unused") // set through TIMED_OUT
    private volatile boolean timedOut;

    private volatile Runnable cancelUpstream = NOTHING;
    private volatile Runnable interruptCaller = NOTHING;
    private volatile boolean byCaller;

    /** {@code timed}: the attempt has a timeout or can be cancelled, so cancel and interrupt actions are worth keeping. */
    AttemptOutcome(boolean timed) {
        this.timed = timed;
    }

    /** Whether the attempt has a timeout or can be cancelled (only then are {@link #onCancel} and {@link #onInterrupt} needed). */
    boolean timed() {
        return timed;
    }

    /** The attempt's result. */
    CompletableFuture<LeafResult> future() {
        return future;
    }

    /** Completes with the provider's answer unless the timeout claimed the outcome first. */
    boolean complete(LeafResult r) {
        return !timedOut && future.complete(r);
    }

    /** Whether the answer or the timeout is in. */
    boolean isDone() {
        return timedOut || future.isDone();
    }

    /** What aborts the upstream exchange now under way (a subscription, a future, a provider thread). */
    void onCancel(Runnable cancel) {
        cancelUpstream = cancel;
        if (timedOut && future.isDone()) {
            cancel.run(); // claimed while the exchange was being set up: abort it now (cancels are idempotent)
        }
    }

    /** Whether the outcome was claimed by the caller's cancellation (not the timeout). */
    boolean cancelledByCaller() {
        return byCaller;
    }

    /**
     * What wakes the caller's thread blocked in a synchronous send (run on the timer thread); run
     * at once when the outcome was claimed while the send was being set up, so the send cannot
     * start waiting unwoken.
     */
    void onInterrupt(Runnable interrupt) {
        interruptCaller = interrupt;
        if (timedOut) {
            interrupt.run();
        }
    }

    /** The synchronous send returned: nothing to interrupt any more. */
    void sendReturned() {
        interruptCaller = NOTHING;
    }

    /**
     * Called by the timer: claims the outcome for the timeout, interrupts a blocked caller, and hands
     * the rest to {@code executor}: completing with {@code timeoutResult}, then cancelling the
     * upstream.
     */
    void timeOut(Supplier<LeafResult> timeoutResult, Executor executor) {
        claim(timeoutResult, executor, false);
    }

    /**
     * Called when the caller cancelled the request: as {@link #timeOut}, with the cancellation's
     * result.
     */
    void cancel(Supplier<LeafResult> cancelledResult, Executor executor) {
        claim(cancelledResult, executor, true);
    }

    private void claim(Supplier<LeafResult> result, Executor executor, boolean caller) {
        if (future.isDone() || !TIMED_OUT.compareAndSet(this, false, true)) {
            return;
        }
        byCaller = caller;
        interruptCaller.run();
        executor.execute(() -> {
            if (future.complete(result.get())) {
                cancelUpstream.run();
            }
        });
    }
}
