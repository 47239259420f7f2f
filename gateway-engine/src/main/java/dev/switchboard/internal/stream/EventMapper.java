package dev.switchboard.internal.stream;

import dev.switchboard.api.ServerSentEvent;
import java.util.List;

/**
 * Rewrites the events a caller reads, one event in, any number out, including the events the
 * gateway itself adds at the end (the error event and {@code [DONE]}). Stateful: one instance per
 * stream, called on the reading thread, one event at a time.
 */
public interface EventMapper {
    /**
     * Maps one event.
     *
     * @param event the event as the stages delivered it
     * @return the events the caller reads instead, in order; empty to drop it
     */
    List<ServerSentEvent> map(ServerSentEvent event);
}
