package dev.switchboard.spi;

import dev.switchboard.api.ServerSentEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental server-sent-events parser (WHATWG rules): bytes may arrive split anywhere, even inside
 * a UTF-8 character or a CRLF; lines end with LF, CR or CRLF; comment lines are ignored; multiple
 * {@code data:} lines are joined with LF; an event is dispatched at a blank line. Memory is bounded
 * by the event being read. Not thread-safe: one decoder per stream.
 */
public final class SseDecoder {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean lastWasCr;
    private String event;
    private String id;
    private StringBuilder data;

    /** Feeds bytes; every completed event goes to {@code out}. */
    public void feed(ByteBuffer bytes, Consumer<ServerSentEvent> out) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false;
                    continue;
                }
                endLine(out);
            } else if (b == '\r') {
                lastWasCr = true;
                endLine(out);
            } else {
                lastWasCr = false;
                line.write(b);
            }
        }
    }

    /** Convenience for byte arrays. */
    public void feed(byte[] bytes, Consumer<ServerSentEvent> out) {
        feed(ByteBuffer.wrap(bytes), out);
    }

    /** At end of input: dispatches a final event that lacked its blank line; returns true when one did. */
    public boolean finish(Consumer<ServerSentEvent> out) {
        if (line.size() > 0) {
            endLine(out);
        }
        if (data != null) {
            dispatch(out);
            return true;
        }
        return false;
    }

    /** True when bytes of an unfinished event are buffered. */
    public boolean hasPartialEvent() {
        return line.size() > 0 || data != null;
    }

    private void endLine(Consumer<ServerSentEvent> out) {
        String l = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (l.isEmpty()) {
            if (data != null) {
                dispatch(out);
            } else {
                event = null;
                id = null;
            }
            return;
        }
        if (l.charAt(0) == ':') {
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            }
            case "event" -> event = value;
            case "id" -> id = value;
            default -> {
                // retry and unknown fields are ignored
            }
        }
    }

    private void dispatch(Consumer<ServerSentEvent> out) {
        ServerSentEvent e = new ServerSentEvent(event, data.toString(), id);
        data = null;
        event = null;
        id = null;
        out.accept(e);
    }
}
