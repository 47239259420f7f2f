package dev.switchboard.providers.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Builds AWS event-stream messages, the inverse of {@link EventStreamDecoder}: used by tests and by
 * local stubs that imitate Bedrock's ConverseStream.
 *
 * <pre>{@code
 * byte[] frame = EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
 * }</pre>
 */
public final class EventStreamEncoder {
    private EventStreamEncoder() {}

    public static byte[] encode(List<EventStreamHeader> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (EventStreamHeader header : headers) {
            writeHeader(h, header);
        }
        byte[] headerBytes = h.toByteArray();
        int total = 16 + headerBytes.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headerBytes.length);
        b.putInt(EventStreamDecoder.crc(b.array(), 8));
        b.put(headerBytes).put(payload);
        b.putInt(EventStreamDecoder.crc(b.array(), total - 4));
        return b.array();
    }

    /** A Bedrock-style event: {@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event}. */
    public static byte[] event(String eventType, String jsonPayload) {
        return encode(List.of(EventStreamHeader.string(":event-type", eventType),
                EventStreamHeader.string(":content-type", "application/json"),
                EventStreamHeader.string(":message-type", "event")), jsonPayload.getBytes(StandardCharsets.UTF_8));
    }

    /** A Bedrock-style exception message, e.g. {@code throttlingException} with {@code {"message":"..."}}. */
    public static byte[] exception(String exceptionType, String jsonPayload) {
        return encode(List.of(EventStreamHeader.string(":exception-type", exceptionType),
                EventStreamHeader.string(":content-type", "application/json"),
                EventStreamHeader.string(":message-type", "exception")), jsonPayload.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeHeader(ByteArrayOutputStream out, EventStreamHeader header) {
        byte[] name = header.name().getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("event-stream header name longer than 255 bytes: " + header.name());
        }
        out.write(name.length);
        out.writeBytes(name);
        out.write(header.type());
        Object v = header.value();
        ByteBuffer b;
        switch (header.type()) {
            case EventStreamHeader.BOOL_TRUE, EventStreamHeader.BOOL_FALSE -> {
                return;
            }
            case EventStreamHeader.BYTE -> b = ByteBuffer.allocate(1).put((Byte) v);
            case EventStreamHeader.INT16 -> b = ByteBuffer.allocate(2).putShort((Short) v);
            case EventStreamHeader.INT32 -> b = ByteBuffer.allocate(4).putInt((Integer) v);
            case EventStreamHeader.INT64, EventStreamHeader.TIMESTAMP -> b = ByteBuffer.allocate(8).putLong((Long) v);
            case EventStreamHeader.BYTES -> b = lengthPrefixed((byte[]) v, header.name());
            case EventStreamHeader.STRING -> b = lengthPrefixed(((String) v).getBytes(StandardCharsets.UTF_8), header.name());
            case EventStreamHeader.UUID_TYPE -> b = ByteBuffer.allocate(16)
                    .putLong(((UUID) v).getMostSignificantBits()).putLong(((UUID) v).getLeastSignificantBits());
            default -> throw new IllegalArgumentException("unknown header type " + header.type());
        }
        out.writeBytes(b.array());
    }

    private static ByteBuffer lengthPrefixed(byte[] value, String name) {
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("event-stream header value longer than 65535 bytes: " + name);
        }
        return ByteBuffer.allocate(2 + value.length).putShort((short) value.length).put(value);
    }
}
