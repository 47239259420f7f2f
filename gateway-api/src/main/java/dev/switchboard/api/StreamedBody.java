package dev.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bytes read once, as they arrive: a binary download such as text-to-speech audio, never held
 * whole in memory by the gateway. {@link #openStream()} hands the stream out once; closing the
 * body (or the stream) releases the connection.
 *
 * <pre>{@code
 * try (InputStream audio = response.inputStream()) {
 *     Files.copy(audio, Path.of("speech.mp3"));
 * }
 * }</pre>
 */
public final class StreamedBody implements Body, AutoCloseable {
    private final InputStream in;
    private final String contentType;
    private final long length;
    private final AtomicBoolean opened = new AtomicBoolean();

    StreamedBody(InputStream in, String contentType, long length) {
        this.in = Objects.requireNonNull(in, "in");
        this.contentType = contentType == null ? BytesBody.OCTET_STREAM : contentType;
        this.length = length;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public long contentLength() {
        return length;
    }

    /**
     * The bytes, once.
     *
     * @return the stream
     * @throws IllegalStateException when it was opened (or read) before
     */
    @Override
    public InputStream openStream() {
        if (!opened.compareAndSet(false, true)) {
            throw new IllegalStateException("a streamed body can be read once; it was read before");
        }
        return in;
    }

    /** {@return false: the bytes are read as they arrive and not kept} */
    @Override
    public boolean replayable() {
        return false;
    }

    /**
     * Reads every byte (buffering the whole body: for small answers and tests).
     *
     * @return the bytes
     * @throws UncheckedIOException  when reading fails
     * @throws IllegalStateException when the body was read before
     */
    public byte[] readAllBytes() {
        try (InputStream s = openStream()) {
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading a streamed body failed: " + e.getMessage(), e);
        }
    }

    /** Closes the stream (cancels a download still arriving); idempotent. */
    @Override
    public void close() {
        opened.set(true);
        try {
            in.close();
        } catch (IOException ignored) {
            // closing only releases the connection
        }
    }

    @Override
    public String toString() {
        return "StreamedBody{" + contentType + (length >= 0 ? ", " + length + " bytes" : "") + "}";
    }
}
