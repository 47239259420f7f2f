package dev.switchboard.testkit.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Encodes AWS event-stream messages ({@code application/vnd.amazon.eventstream}), the binary framing
 * of Bedrock's ConverseStream (PROVIDERS.md §6.5):
 * {@code [total_length][headers_length][prelude_crc][headers][payload][message_crc]}, big-endian,
 * both CRCs CRC-32 (IEEE).
 *
 * <pre>{@code
 * byte[] frame = EventStreamFrames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
 * byte[] error = EventStreamFrames.exception("throttlingException", "{\"message\":\"slow down\"}");
 * }</pre>
 *
 * <p>Only stubs and tests need to write frames (the gateway only reads them), so the encoder lives
 * in the testkit.
 */
public final class EventStreamFrames {
    private EventStreamFrames() {}

    /**
     * One header of a message. {@code type} is the wire type code; {@code value} is the matching Java
     * value: 0/1 {@link Boolean}, 2 {@link Byte}, 3 {@link Short}, 4 {@link Integer}, 5 {@link Long},
     * 6 {@code byte[]}, 7 {@link String}, 8 {@link Long} (epoch milliseconds), 9 {@link UUID}.
     *
     * @param name  the header name, at most 255 UTF-8 bytes
     * @param type  the wire type code
     * @param value the value, of the Java type matching {@code type}
     */
    public record Header(String name, int type, Object value) {
        /** Type code of a boolean {@code true} (no value bytes). */
        public static final int BOOL_TRUE = 0;
        /** Type code of a boolean {@code false} (no value bytes). */
        public static final int BOOL_FALSE = 1;
        /** Type code of a signed byte. */
        public static final int BYTE = 2;
        /** Type code of a 16-bit integer. */
        public static final int INT16 = 3;
        /** Type code of a 32-bit integer. */
        public static final int INT32 = 4;
        /** Type code of a 64-bit integer. */
        public static final int INT64 = 5;
        /** Type code of a byte array (16-bit length prefix). */
        public static final int BYTES = 6;
        /** Type code of a UTF-8 string (16-bit length prefix). */
        public static final int STRING = 7;
        /** Type code of a timestamp in epoch milliseconds. */
        public static final int TIMESTAMP = 8;
        /** Type code of a UUID. */
        public static final int UUID_TYPE = 9;

        /**
         * Checks that the value fits the type.
         *
         * @param name  the header name
         * @param type  the wire type code
         * @param value the value
         * @throws IllegalArgumentException for an unknown type or a value of the wrong Java type
         */
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Class<?> expected =
                    switch (type) {
                        case BOOL_TRUE, BOOL_FALSE -> Boolean.class;
                        case BYTE -> Byte.class;
                        case INT16 -> Short.class;
                        case INT32 -> Integer.class;
                        case INT64, TIMESTAMP -> Long.class;
                        case BYTES -> byte[].class;
                        case STRING -> String.class;
                        case UUID_TYPE -> UUID.class;
                        default ->
                            throw new IllegalArgumentException(
                                    "unknown event-stream header type " + type + " for " + name);
                    };
            if (!expected.isInstance(value)) {
                throw new IllegalArgumentException("event-stream header " + name + " of type " + type + " needs a "
                        + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
            }
        }

        /**
         * A string header, the only kind Bedrock sends ({@code :event-type}, {@code :message-type}…).
         *
         * @param name  the header name
         * @param value its value
         * @return the header
         */
        public static Header string(String name, String value) {
            return new Header(name, STRING, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h
                    && h.name.equals(name)
                    && h.type == type
                    && (value instanceof byte[] b
                            ? h.value instanceof byte[] hb && Arrays.equals(b, hb)
                            : value.equals(h.value));
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, type, value instanceof byte[] b ? Arrays.hashCode(b) : value);
        }
    }

    /**
     * Encodes one complete message.
     *
     * @param headers the headers, in order
     * @param payload the payload bytes
     * @return the frame, CRCs included
     */
    public static byte[] encode(List<Header> headers, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (Header header : headers) {
            writeHeader(h, header);
        }
        byte[] headerBytes = h.toByteArray();
        int total = 16 + headerBytes.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headerBytes.length);
        b.putInt(crc(b.array(), 8));
        b.put(headerBytes).put(payload);
        b.putInt(crc(b.array(), total - 4));
        return b.array();
    }

    /**
     * A Bedrock event: {@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event}.
     *
     * @param eventType   e.g. {@code contentBlockDelta}
     * @param jsonPayload the event's JSON
     * @return the frame
     */
    public static byte[] event(String eventType, String jsonPayload) {
        return encode(
                List.of(
                        Header.string(":event-type", eventType),
                        Header.string(":content-type", "application/json"),
                        Header.string(":message-type", "event")),
                jsonPayload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Bedrock exception message.
     *
     * @param exceptionType e.g. {@code throttlingException}
     * @param jsonPayload   the exception's JSON, e.g. {@code {"message":"..."}}
     * @return the frame
     */
    public static byte[] exception(String exceptionType, String jsonPayload) {
        return encode(
                List.of(
                        Header.string(":exception-type", exceptionType),
                        Header.string(":content-type", "application/json"),
                        Header.string(":message-type", "exception")),
                jsonPayload.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeHeader(ByteArrayOutputStream out, Header header) {
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
            case Header.BOOL_TRUE, Header.BOOL_FALSE -> {
                return;
            }
            case Header.BYTE -> b = ByteBuffer.allocate(1).put((Byte) v);
            case Header.INT16 -> b = ByteBuffer.allocate(2).putShort((Short) v);
            case Header.INT32 -> b = ByteBuffer.allocate(4).putInt((Integer) v);
            case Header.INT64, Header.TIMESTAMP -> b = ByteBuffer.allocate(8).putLong((Long) v);
            case Header.BYTES -> b = lengthPrefixed((byte[]) v, header.name());
            case Header.STRING -> b = lengthPrefixed(((String) v).getBytes(StandardCharsets.UTF_8), header.name());
            case Header.UUID_TYPE ->
                b = ByteBuffer.allocate(16)
                        .putLong(((UUID) v).getMostSignificantBits())
                        .putLong(((UUID) v).getLeastSignificantBits());
            default -> throw new IllegalArgumentException("unknown header type " + header.type());
        }
        out.writeBytes(b.array());
    }

    private static ByteBuffer lengthPrefixed(byte[] value, String name) {
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("event-stream header value longer than 65535 bytes: " + name);
        }
        return ByteBuffer.allocate(2 + value.length)
                .putShort((short) value.length)
                .put(value);
    }

    private static int crc(byte[] b, int length) {
        CRC32 c = new CRC32();
        c.update(b, 0, length);
        return (int) c.getValue();
    }
}
