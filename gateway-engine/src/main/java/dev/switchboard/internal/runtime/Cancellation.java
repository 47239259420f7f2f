package dev.switchboard.internal.runtime;

/**
 * A request's cancellation by its caller ({@code executeAsync}'s future cancelled): the one
 * attempt under way registers what aborts it ({@link #onCancel}), and no attempt starts after it.
 * An attempt registered after the cancel runs its action at once. Thread-safe.
 */
final class Cancellation {
    private volatile boolean cancelled;
    private Runnable action; // guarded by this

    /** Whether the caller cancelled the request. */
    boolean isCancelled() {
        return cancelled;
    }

    /** {@code abort} aborts the attempt under way; run at once when the request is already cancelled. */
    void onCancel(Runnable abort) {
        synchronized (this) {
            if (!cancelled) {
                action = abort;
                return;
            }
        }
        abort.run();
    }

    /** The attempt that registered {@code abort} is over. */
    synchronized void clear(Runnable abort) {
        if (action == abort) {
            action = null;
        }
    }

    /** Cancels the request: aborts the attempt under way, once. */
    void cancel() {
        Runnable a;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            a = action;
            action = null;
        }
        if (a != null) {
            a.run();
        }
    }
}
