package dev.switchboard.api;

import java.io.InputStream;
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

    /**
     * The same events as SSE wire bytes ({@link ServerSentEvent#toWireBytes()} per event, {@code [DONE]}
     * included), for clients that parse server-sent events themselves (the OpenAI SDK, a relay to a
     * browser). Each read returns what has arrived and blocks only while nothing has; closing the stream
     * closes this event stream, which cancels the upstream. Use one view only.
     *
     * <pre>{@code
     * try (InputStream wire = response.stream().asInputStream()) {
     *     wire.transferTo(servletResponse.getOutputStream());
     * }
     * }</pre>
     *
     * @return an input stream that may be read once
     */
    default InputStream asInputStream() {
        Iterator<ServerSentEvent> events = iterator();
        EventStream owner = this;
        return new InputStream() {
            private byte[] buffer = new byte[0];
            private int position;
            private boolean closed;

            /** Makes bytes available; false at the end of the stream. */
            private boolean fill() {
                while (position >= buffer.length) {
                    if (closed || !events.hasNext()) {
                        return false;
                    }
                    buffer = events.next().toWireBytes();
                    position = 0;
                }
                return true;
            }

            @Override
            public int read() {
                return fill() ? buffer[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, buffer.length - position);
                System.arraycopy(buffer, position, b, off, n);
                position += n;
                return n;
            }

            @Override
            public int available() {
                return buffer.length - position;
            }

            @Override
            public void close() {
                closed = true;
                owner.close();
            }
        };
    }

    /** Cancels the upstream (if still open); idempotent. */
    @Override
    void close();
}
