package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/** A minimal event-stream reader for tests: checks both CRCs and reads string headers. */
final class FrameReader {
    record Frame(Map<String, String> headers, byte[] payload) {}

    private FrameReader() {}

    static List<Frame> readAll(byte[] stream) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(stream);
        while (b.hasRemaining()) {
            int start = b.position();
            int total = b.getInt();
            int headersLength = b.getInt();
            assertEquals(crc(stream, start, 8), b.getInt(), "prelude crc");
            Map<String, String> headers = new LinkedHashMap<>();
            int headersEnd = b.position() + headersLength;
            while (b.position() < headersEnd) {
                byte[] name = new byte[b.get() & 0xff];
                b.get(name);
                assertEquals(7, b.get(), "Bedrock headers are strings");
                byte[] value = new byte[b.getShort() & 0xffff];
                b.get(value);
                headers.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
            }
            byte[] payload = new byte[total - headersLength - 16];
            b.get(payload);
            assertEquals(crc(stream, start, total - 4), b.getInt(), "message crc");
            frames.add(new Frame(headers, payload));
        }
        return frames;
    }

    private static int crc(byte[] b, int offset, int length) {
        CRC32 c = new CRC32();
        c.update(b, offset, length);
        return (int) c.getValue();
    }
}
