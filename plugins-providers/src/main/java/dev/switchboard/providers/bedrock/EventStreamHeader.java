package dev.switchboard.providers.bedrock;

import java.util.Objects;
import java.util.UUID;

/**
 * One header of an AWS event-stream message. {@code type} is the wire type code; {@code value} is
 * the matching Java value: 0/1 {@link Boolean}, 2 {@link Byte}, 3 {@link Short}, 4 {@link Integer},
 * 5 {@link Long}, 6 {@code byte[]}, 7 {@link String}, 8 {@link Long} (epoch milliseconds),
 * 9 {@link UUID}.
 *
 * <pre>{@code
 * EventStreamHeader h = EventStreamHeader.string(":event-type", "contentBlockDelta");
 * }</pre>
 */
public record EventStreamHeader(String name, int type, Object value) {
    public static final int BOOL_TRUE = 0;
    public static final int BOOL_FALSE = 1;
    public static final int BYTE = 2;
    public static final int INT16 = 3;
    public static final int INT32 = 4;
    public static final int INT64 = 5;
    public static final int BYTES = 6;
    public static final int STRING = 7;
    public static final int TIMESTAMP = 8;
    public static final int UUID_TYPE = 9;

    public EventStreamHeader {
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
                        throw new IllegalArgumentException("unknown event-stream header type " + type + " for " + name);
                };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("header " + name + " of type " + type + " needs a "
                    + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
        }
    }

    public static EventStreamHeader string(String name, String value) {
        return new EventStreamHeader(name, STRING, value);
    }

    /** The value as text: strings as is, other types via their natural string form. */
    public String asText() {
        return value instanceof byte[] b
                ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventStreamHeader h
                && h.name.equals(name)
                && h.type == type
                && (value instanceof byte[] b
                        ? h.value instanceof byte[] hb && java.util.Arrays.equals(b, hb)
                        : value.equals(h.value));
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, value instanceof byte[] b ? java.util.Arrays.hashCode(b) : value);
    }
}
