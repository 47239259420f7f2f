package dev.switchboard.redis;

import dev.switchboard.spi.CachedAnswer;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes a {@link CachedAnswer} is stored as in Redis. Binary rather than JSON so a cached body
 * is stored as-is, without base64 growth or a parse on every hit:
 *
 * <pre>
 * 'S' 'B' version(1)
 * flags(1: bit 0 = storedAt present) [epochSecond(8) nano(4)]
 * attributeCount(4) { keyLength(4) key(UTF-8) valueLength(4) value(UTF-8) }*
 * bodyLength(4) body
 * </pre>
 */
final class CachedAnswerCodec {
    private static final byte MAGIC_0 = 'S';
    private static final byte MAGIC_1 = 'B';
    private static final byte VERSION = 1;

    private CachedAnswerCodec() {}

    static byte[] encode(CachedAnswer answer) {
        if (answer.body() == null) {
            throw new NullPointerException("cached answer body is null");
        }
        List<byte[]> strings = new ArrayList<>(answer.attributes().size() * 2);
        int size = 3 + 1 + 12 + 4 + 4 + answer.body().length;
        for (Map.Entry<String, String> e : answer.attributes().entrySet()) {
            byte[] k = utf8(e.getKey(), "attribute name");
            byte[] v = utf8(e.getValue(), "attribute " + e.getKey());
            strings.add(k);
            strings.add(v);
            size += 8 + k.length + v.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC_0).put(MAGIC_1).put(VERSION);
        Instant storedAt = answer.storedAt();
        out.put((byte) (storedAt == null ? 0 : 1));
        out.putLong(storedAt == null ? 0 : storedAt.getEpochSecond());
        out.putInt(storedAt == null ? 0 : storedAt.getNano());
        out.putInt(answer.attributes().size());
        for (byte[] s : strings) {
            out.putInt(s.length).put(s);
        }
        out.putInt(answer.body().length).put(answer.body());
        return out.array();
    }

    /** @throws IllegalArgumentException when the bytes are not an encoded answer (another writer, an old format, corruption) */
    static CachedAnswer decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.get() != MAGIC_0 || in.get() != MAGIC_1) {
                throw new IllegalArgumentException("not a Switchboard cached answer (bad magic bytes)");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported cached answer format version " + version);
            }
            boolean hasStoredAt = (in.get() & 1) != 0;
            long seconds = in.getLong();
            int nanos = in.getInt();
            Instant storedAt = hasStoredAt ? Instant.ofEpochSecond(seconds, nanos) : null;
            int count = length(in, "attribute count");
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = string(in);
                attributes.put(key, string(in));
            }
            byte[] body = new byte[length(in, "body length")];
            in.get(body);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the body");
            }
            return new CachedAnswer(body, attributes, storedAt);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("cached answer is truncated (" + bytes.length + " bytes)", e);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[length(in, "string length")];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int length(ByteBuffer in, String what) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException(what + " " + n + " does not fit the " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static byte[] utf8(String s, String what) {
        if (s == null) {
            throw new NullPointerException(what + " is null");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
