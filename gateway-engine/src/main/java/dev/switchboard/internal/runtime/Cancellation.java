package dev.switchboard.internal.runtime;

import dev.switchboard.internal.failure.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's cancellation by its caller ({@code executeAsync}'s future cancelled): the one
 * attempt under way registers what aborts it ({@link #onCancel}), and no attempt starts after it.
 * An attempt registered after the cancel runs its action at once. A hedge runs two attempts at
 * once, each under its own {@link #child()}: cancelling the request cancels both, and the hedge
 * cancels the losing one alone, with its own {@link #reason()}. Thread-safe.
 */
final class Cancellation {
    private volatile boolean cancelled;
    private volatile Failure reason;
    private Runnable action; // guarded by this
    private List<Cancellation> children; // guarded by this

    /** Whether the caller cancelled the request. */
    boolean isCancelled() {
        return cancelled;
    }

    /** Why: the caller's cancellation, or the hedge's ("the other attempt answered first"). */
    Failure reason() {
        Failure r = reason;
        return r != null ? r : ProviderCallStage.CALLER_CANCELLED;
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

    /**
     * A cancellation of its own for one side of a hedge, cancelled with this one (already cancelled
     * when this one is). Forget it with {@link #forget} when its side is over.
     */
    Cancellation child() {
        Cancellation c = new Cancellation();
        synchronized (this) {
            if (!cancelled) {
                if (children == null) {
                    children = new ArrayList<>(2);
                }
                children.add(c);
                return c;
            }
        }
        c.cancel(reason);
        return c;
    }

    /** The side that owned {@code child} is over. */
    synchronized void forget(Cancellation child) {
        if (children != null) {
            children.remove(child);
        }
    }

    /** Cancels the request: aborts the attempt under way, once. */
    void cancel() {
        cancel(null);
    }

    /** Cancels with a reason of its own ({@code null}: the caller's), aborting the attempt under way and every child. */
    void cancel(Failure why) {
        Runnable a;
        List<Cancellation> kids;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            reason = why;
            cancelled = true;
            a = action;
            action = null;
            kids = children;
            children = null;
        }
        if (a != null) {
            a.run();
        }
        if (kids != null) {
            for (Cancellation k : kids) {
                k.cancel(why);
            }
        }
    }
}
