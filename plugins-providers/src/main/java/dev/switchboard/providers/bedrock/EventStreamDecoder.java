package dev.switchboard.providers.bedrock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Incremental decoder for AWS event-stream framing: bytes may be split anywhere and a frame may span
 * any number of chunks. Frame layout: total length (u32), headers length (u32), CRC32 of those 8
 * bytes, headers, payload, CRC32 of everything before it. Both checksums are verified; memory is one
 * frame (capped by {@code maxMessageBytes}). Not thread-safe: one decoder per stream. After an
 * {@link EventStreamException} the decoder stays failed.
 *
 * <pre>{@code
 * EventStreamDecoder decoder = new EventStreamDecoder();
 * decoder.feed(chunk, message -> handle(message.header(":event-type"), message.payload()));
 * }</pre>
 */
public final class EventStreamDecoder {
    /** AWS limits: 16 MiB payload plus 128 KiB headers plus the 16 framing bytes. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 128 * 1024 + 16;

    private static final int PRELUDE = 12;
    private static final int MIN_MESSAGE = 16;

    private final int maxMessageBytes;
    private final byte[] prelude = new byte[PRELUDE];
    private int preludeFill;
    private byte[] frame;
    private int frameFill;
    private boolean failed;

    public EventStreamDecoder() {
        this(DEFAULT_MAX_MESSAGE_BYTES);
    }

    public EventStreamDecoder(int maxMessageBytes) {
        if (maxMessageBytes < MIN_MESSAGE) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 16, got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Consumes all of {@code bytes}; every completed message goes to {@code out} in order. */
    public void feed(ByteBuffer bytes, Consumer<EventStreamMessage> out) {
        if (failed) {
            throw new IllegalStateException("event-stream decoder already failed on a corrupt frame");
        }
        try {
            while (bytes.hasRemaining()) {
                if (frame == null) {
                    int n = Math.min(PRELUDE - preludeFill, bytes.remaining());
                    bytes.get(prelude, preludeFill, n);
                    preludeFill += n;
                    if (preludeFill == PRELUDE) {
                        startFrame();
                    }
                } else {
                    int n = Math.min(frame.length - frameFill, bytes.remaining());
                    bytes.get(frame, frameFill, n);
                    frameFill += n;
                }
                if (frame != null && frameFill == frame.length) {
                    byte[] complete = frame;
                    frame = null;
                    frameFill = 0;
                    preludeFill = 0;
                    out.accept(decodeFrame(complete));
                }
            }
        } catch (EventStreamException e) {
            failed = true;
            throw e;
        }
    }

    /** True when some bytes of an unfinished message are buffered (a stream ending now was cut mid-frame). */
    public boolean hasPartialMessage() {
        return preludeFill > 0 || frame != null;
    }

    /** Decodes exactly one complete message (for tests and one-shot use). */
    public static EventStreamMessage decodeOne(byte[] message) {
        List<EventStreamMessage> out = new ArrayList<>(1);
        EventStreamDecoder d = new EventStreamDecoder(Math.max(MIN_MESSAGE, message.length));
        d.feed(ByteBuffer.wrap(message), out::add);
        if (out.size() != 1 || d.hasPartialMessage()) {
            throw new EventStreamException("expected exactly one event-stream message, got " + out.size()
                    + (d.hasPartialMessage() ? " and trailing bytes" : ""));
        }
        return out.get(0);
    }

    private void startFrame() {
        int total = readInt(prelude, 0);
        int headersLength = readInt(prelude, 4);
        int preludeCrc = readInt(prelude, 8);
        if (crc(prelude, 8) != preludeCrc) {
            throw new EventStreamException("Prelude checksum mismatch");
        }
        if (total < MIN_MESSAGE || total > maxMessageBytes) {
            throw new EventStreamException("event-stream message length " + Integer.toUnsignedString(total)
                    + " outside 16.." + maxMessageBytes);
        }
        if (headersLength < 0 || headersLength > total - MIN_MESSAGE) {
            throw new EventStreamException("event-stream headers length " + Integer.toUnsignedString(headersLength)
                    + " does not fit a message of " + total + " bytes");
        }
        frame = new byte[total];
        System.arraycopy(prelude, 0, frame, 0, PRELUDE);
        frameFill = PRELUDE;
    }

    private static EventStreamMessage decodeFrame(byte[] f) {
        int total = f.length;
        int messageCrc = readInt(f, total - 4);
        if (crc(f, total - 4) != messageCrc) {
            throw new EventStreamException("Message checksum mismatch");
        }
        int headersLength = readInt(f, 4);
        List<EventStreamHeader> headers = readHeaders(ByteBuffer.wrap(f, PRELUDE, headersLength));
        byte[] payload = new byte[total - headersLength - MIN_MESSAGE];
        System.arraycopy(f, PRELUDE + headersLength, payload, 0, payload.length);
        return new EventStreamMessage(total, headersLength, readInt(f, 8), messageCrc, headers, payload);
    }

    private static List<EventStreamHeader> readHeaders(ByteBuffer b) {
        List<EventStreamHeader> headers = new ArrayList<>();
        try {
            while (b.hasRemaining()) {
                int nameLength = b.get() & 0xff;
                byte[] name = new byte[nameLength];
                b.get(name);
                String n = new String(name, StandardCharsets.UTF_8);
                int type = b.get() & 0xff;
                Object value =
                        switch (type) {
                            case EventStreamHeader.BOOL_TRUE -> Boolean.TRUE;
                            case EventStreamHeader.BOOL_FALSE -> Boolean.FALSE;
                            case EventStreamHeader.BYTE -> b.get();
                            case EventStreamHeader.INT16 -> b.getShort();
                            case EventStreamHeader.INT32 -> b.getInt();
                            case EventStreamHeader.INT64, EventStreamHeader.TIMESTAMP -> b.getLong();
                            case EventStreamHeader.BYTES -> bytes(b);
                            case EventStreamHeader.STRING -> new String(bytes(b), StandardCharsets.UTF_8);
                            case EventStreamHeader.UUID_TYPE -> new UUID(b.getLong(), b.getLong());
                            default ->
                                throw new EventStreamException(
                                        "event-stream header " + n + " has unknown type " + type);
                        };
                headers.add(new EventStreamHeader(n, type, value));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new EventStreamException("event-stream header block is truncated");
        }
        return headers;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] v = new byte[b.getShort() & 0xffff];
        b.get(v);
        return v;
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static int crc(byte[] b, int length) {
        CRC32 c = new CRC32();
        c.update(b, 0, length);
        return (int) c.getValue();
    }
}
