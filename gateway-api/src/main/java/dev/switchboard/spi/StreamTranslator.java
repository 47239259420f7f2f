package dev.switchboard.spi;

import java.nio.ByteBuffer;

/**
 * Turns a provider's streamed body into OpenAI stream events, incrementally: each call gets the
 * next bytes as they arrived (any split, even mid-character) and emits the events they complete.
 * Memory is bounded by one event. One instance per stream; called from one thread at a time.
 * The gateway appends {@code data: [DONE]} itself: translators swallow the upstream's terminator.
 */
public interface StreamTranslator {
    /**
     * Takes the next bytes of the upstream body.
     *
     * @param bytes the bytes as they arrived; consumed entirely
     * @param sink  receives the events these bytes complete
     */
    void onBytes(ByteBuffer bytes, StreamSink sink);

    /**
     * The upstream body ended without a network error; flush and report a protocol-level cut via {@link StreamSink#fail}.
     *
     * @param sink receives any last events, or the failure
     */
    void onEnd(StreamSink sink);
}
