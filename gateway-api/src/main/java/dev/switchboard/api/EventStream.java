package dev.switchboard.api;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;

/**
 * A streamed answer: OpenAI {@code chat.completion.chunk} events ending with {@code data: [DONE]}.
 * Iterate it (blocking pull) or subscribe to {@link #publisher()} (push); use one view only.
 * Closing it cancels the upstream call and runs end-of-stream accounting.
 *
 * <pre>{@code
 * try (EventStream s = response.stream()) {
 *     for (ChatDelta d : s.deltas()) System.out.print(d.text());   // typed: text, tool calls, usage
 * }
 * try (EventStream s = response.stream()) {
 *     for (ServerSentEvent e : s) relay(e.toWire());                // raw: the events as they came
 * }
 * }</pre>
 */
public interface EventStream extends Iterable<ServerSentEvent>, AutoCloseable {
    /** {@return a push view of the same events; may be subscribed to once} */
    Flow.Publisher<ServerSentEvent> publisher();

    /**
     * A typed view of the same events (blocking pull, like iterating the stream itself): each chunk read
     * as {@link ChatDelta}s, {@code [DONE]} and non-chunk events skipped. Use one view only.
     * Iterating throws {@link GatewayErrorException} (status 502) at the error event that ends a stream
     * which failed after it started, so a text loop cannot mistake a cut answer for a whole one.
     *
     * @return an iterable that may be iterated once
     */
    default Iterable<ChatDelta> deltas() {
        Iterator<ServerSentEvent> events = iterator();
        return () -> new Iterator<>() {
            private Iterator<ChatDelta> current = List.<ChatDelta>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (!events.hasNext()) {
                        return false;
                    }
                    current = ChatDelta.of(events.next()).iterator();
                }
                return true;
            }

            @Override
            public ChatDelta next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** Cancels the upstream (if still open); idempotent. */
    @Override
    void close();
}
