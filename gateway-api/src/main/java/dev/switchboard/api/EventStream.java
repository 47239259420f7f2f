package dev.switchboard.api;

import java.util.concurrent.Flow;

/**
 * A streamed answer: OpenAI {@code chat.completion.chunk} events ending with {@code data: [DONE]}.
 * Iterate it (blocking pull) or subscribe to {@link #publisher()} (push); use one view only.
 * Closing it cancels the upstream call and runs end-of-stream accounting.
 *
 * <pre>{@code
 * try (EventStream s = response.stream()) {
 *     for (ServerSentEvent e : s) System.out.print(e.data());
 * }
 * }</pre>
 */
public interface EventStream extends Iterable<ServerSentEvent>, AutoCloseable {
    /** {@return a push view of the same events; may be subscribed to once} */
    Flow.Publisher<ServerSentEvent> publisher();

    /** Cancels the upstream (if still open); idempotent. */
    @Override
    void close();
}
