package dev.switchboard.spi.support;

import dev.switchboard.api.ServerSentEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental server-sent-events parser (WHATWG rules): bytes may arrive split anywhere, even inside
 * a UTF-8 character or a CRLF; lines end with LF, CR or CRLF; comment lines are ignored; multiple
 * {@code data:} lines are joined with LF; an event is dispatched at a blank line. Memory is bounded
 * by the event being read. Not thread-safe: one decoder per stream.
 */
public final class SseDecoder {
    private byte[] line = new byte[256];
    private int length;
    private boolean lastWasCr;
    private String event;
    private String id;
    private StringBuilder data;

    /**
     * Feeds bytes; every completed event goes to {@code out}.
     *
     * @param bytes the next bytes of the stream; consumed entirely
     * @param out   receives each event completed by these bytes
     */
    public void feed(ByteBuffer bytes, Consumer<ServerSentEvent> out) {
        if (bytes.hasArray()) {
            byte[] a = bytes.array();
            int from = bytes.arrayOffset() + bytes.position();
            int to = bytes.arrayOffset() + bytes.limit();
            for (int i = from; i < to; i++) {
                accept(a[i], out);
            }
            bytes.position(bytes.limit());
        } else {
            while (bytes.hasRemaining()) {
                accept(bytes.get(), out);
            }
        }
    }

    private void accept(byte b, Consumer<ServerSentEvent> out) {
        if (b == '\n') {
            if (lastWasCr) {
                lastWasCr = false;
                return;
            }
            endLine(out);
        } else if (b == '\r') {
            lastWasCr = true;
            endLine(out);
        } else {
            lastWasCr = false;
            if (length == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = b;
        }
    }

    /**
     * Feeds bytes from an array, as {@link #feed(ByteBuffer, Consumer)}.
     *
     * @param bytes the next bytes of the stream
     * @param out   receives each event completed by these bytes
     */
    public void feed(byte[] bytes, Consumer<ServerSentEvent> out) {
        feed(ByteBuffer.wrap(bytes), out);
    }

    /**
     * At end of input: dispatches a final event that lacked its blank line.
     *
     * @param out receives that event
     * @return true when there was one
     */
    public boolean finish(Consumer<ServerSentEvent> out) {
        if (length > 0) {
            endLine(out);
        }
        if (data != null) {
            dispatch(out);
            return true;
        }
        return false;
    }

    /** {@return true when bytes of an unfinished event are buffered} */
    public boolean hasPartialEvent() {
        return length > 0 || data != null;
    }

    private void endLine(Consumer<ServerSentEvent> out) {
        int n = length;
        length = 0;
        if (n == 0) {
            if (data != null) {
                dispatch(out);
            } else {
                event = null;
                id = null;
            }
            return;
        }
        if (line[0] == ':') {
            return;
        }
        int colon = -1;
        for (int i = 0; i < n; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        int fieldEnd = colon < 0 ? n : colon;
        int valueStart = colon < 0 ? n : colon + 1;
        if (valueStart < n && line[valueStart] == ' ') {
            valueStart++;
        }
        if (is(DATA, fieldEnd)) {
            String value = new String(line, valueStart, n - valueStart, StandardCharsets.UTF_8);
            if (data == null) {
                data = new StringBuilder(value.length());
            } else {
                data.append('\n');
            }
            data.append(value);
        } else if (is(EVENT, fieldEnd)) {
            event = new String(line, valueStart, n - valueStart, StandardCharsets.UTF_8);
        } else if (is(ID, fieldEnd)) {
            id = new String(line, valueStart, n - valueStart, StandardCharsets.UTF_8);
        }
        // retry and unknown fields are ignored
    }

    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] ID = {'i', 'd'};

    private boolean is(byte[] field, int fieldEnd) {
        if (fieldEnd != field.length) {
            return false;
        }
        for (int i = 0; i < fieldEnd; i++) {
            if (line[i] != field[i]) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(Consumer<ServerSentEvent> out) {
        ServerSentEvent e = new ServerSentEvent(event, data.toString(), id);
        data = null;
        event = null;
        id = null;
        out.accept(e);
    }
}
