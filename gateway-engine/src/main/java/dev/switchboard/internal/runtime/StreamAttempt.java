package dev.switchboard.internal.runtime;

import dev.switchboard.api.Usage;
import dev.switchboard.internal.failure.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Links a streamed attempt to its trace entry: the stream ends after the leaf returned, so the
 * attempt is recorded first and completed here when the pump reports the end.
 */
public final class StreamAttempt {
    /** How the stream ended. */
    public record End(Usage usage, Failure failure, long nanos) {}

    private final List<Consumer<End>> actions = new ArrayList<>(2);
    private End ended;

    /**
     * Registers an action for the end, run in registration order (the attempt is recorded before
     * the trace is finished); runs at once when the stream already ended.
     */
    public void onEnd(Consumer<End> action) {
        End e;
        synchronized (this) {
            if (ended == null) {
                actions.add(action);
                return;
            }
            e = ended;
        }
        action.accept(e);
    }

    public void end(End e) {
        List<Consumer<End>> run;
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = e;
            run = List.copyOf(actions);
        }
        for (Consumer<End> a : run) {
            a.accept(e);
        }
    }
}
