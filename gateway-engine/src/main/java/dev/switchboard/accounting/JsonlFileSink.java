package dev.switchboard.accounting;

import dev.switchboard.api.RequestTrace;
import dev.switchboard.spi.LogSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON line per request ({@link TraceJson}) to a file, flushed per line so a crash loses
 * at most the line being written. Thread-safe; close it with the gateway.
 *
 * <pre>{@code
 * try (JsonlFileSink sink = new JsonlFileSink(Path.of("requests.jsonl"))) {
 *     Gateway g = Gateway.builder().config(json).logSink(sink).build();
 *     ...
 * }
 * }</pre>
 */
public final class JsonlFileSink implements LogSink, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private boolean closed;

    /**
     * Opens {@code file} for appending, creating it (not its folders) when missing.
     *
     * @param file the request log
     * @throws java.io.UncheckedIOException when the file cannot be opened
     */
    public JsonlFileSink(Path file) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(
                    file,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open request log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void log(RequestTrace trace) {
        String line = TraceJson.toLine(trace); // serialise outside the lock
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("request log " + file + " is closed");
            }
            try {
                out.write(line);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write request log " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@return the file the lines go to} */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close request log " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
