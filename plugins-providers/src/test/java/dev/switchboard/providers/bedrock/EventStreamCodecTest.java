package dev.switchboard.providers.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.wire.EventStreamFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class EventStreamCodecTest {
    private static final Path VECTORS = AwsTestData.dir("eventstream-vectors");

    @TestFactory
    Stream<DynamicTest> decodesEveryPositiveVectorFieldByField() throws IOException {
        return names("positive").stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    byte[] encoded = Files.readAllBytes(VECTORS.resolve("encoded/positive/" + name));
                    JsonNode expected = Json.parse(Files.readAllBytes(VECTORS.resolve("decoded/positive/" + name)));
                    assertMatches(expected, EventStreamDecoder.decodeOne(encoded));
                }));
    }

    @TestFactory
    Stream<DynamicTest> decodesEveryPositiveVectorFedOneByteAtATime() throws IOException {
        return names("positive").stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    byte[] encoded = Files.readAllBytes(VECTORS.resolve("encoded/positive/" + name));
                    JsonNode expected = Json.parse(Files.readAllBytes(VECTORS.resolve("decoded/positive/" + name)));
                    List<EventStreamMessage> out = new ArrayList<>();
                    EventStreamDecoder decoder = new EventStreamDecoder();
                    for (int i = 0; i < encoded.length; i++) {
                        assertTrue(out.isEmpty(), "no message before the last byte");
                        decoder.feed(ByteBuffer.wrap(encoded, i, 1), out::add);
                    }
                    assertEquals(1, out.size());
                    assertFalse(decoder.hasPartialMessage());
                    assertMatches(expected, out.get(0));
                }));
    }

    @TestFactory
    Stream<DynamicTest> encoderRebuildsEveryPositiveVectorByteForByte() throws IOException {
        return names("positive").stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    byte[] encoded = Files.readAllBytes(VECTORS.resolve("encoded/positive/" + name));
                    JsonNode expected = Json.parse(Files.readAllBytes(VECTORS.resolve("decoded/positive/" + name)));
                    List<EventStreamHeader> headers = new ArrayList<>();
                    expected.path("headers").forEach(h -> headers.add(header(h)));
                    byte[] payload =
                            Base64.getDecoder().decode(expected.path("payload").asText());
                    List<EventStreamFrames.Header> frameHeaders = new ArrayList<>();
                    headers.forEach(h -> frameHeaders.add(new EventStreamFrames.Header(h.name(), h.type(), h.value())));
                    assertArrayEquals(encoded, EventStreamFrames.encode(frameHeaders, payload));
                }));
    }

    @TestFactory
    Stream<DynamicTest> rejectsEveryNegativeVectorWithTheNamedChecksumError() throws IOException {
        return names("negative").stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    byte[] encoded = Files.readAllBytes(VECTORS.resolve("encoded/negative/" + name));
                    String expected = Files.readString(
                                    VECTORS.resolve("decoded/negative/" + name), StandardCharsets.UTF_8)
                            .strip();
                    EventStreamException e = assertThrows(EventStreamException.class, () -> new EventStreamDecoder()
                            .feed(ByteBuffer.wrap(encoded), m -> {}));
                    assertEquals(expected, e.getMessage());
                }));
    }

    @Test
    void decodesSeveralFramesSplitAcrossChunksAtEveryOffset() throws IOException {
        byte[] a = Files.readAllBytes(VECTORS.resolve("encoded/positive/all_headers"));
        byte[] b = Files.readAllBytes(VECTORS.resolve("encoded/positive/empty_message"));
        byte[] c = Files.readAllBytes(VECTORS.resolve("encoded/positive/payload_one_str_header"));
        ByteBuffer all = ByteBuffer.allocate(a.length + b.length + c.length)
                .put(a)
                .put(b)
                .put(c);
        byte[] stream = all.array();
        for (int cut1 = 0; cut1 < stream.length; cut1 += 7) {
            for (int cut2 = cut1; cut2 <= stream.length; cut2 += 13) {
                List<EventStreamMessage> out = new ArrayList<>();
                EventStreamDecoder d = new EventStreamDecoder();
                d.feed(ByteBuffer.wrap(stream, 0, cut1), out::add);
                d.feed(ByteBuffer.wrap(stream, cut1, cut2 - cut1), out::add);
                d.feed(ByteBuffer.wrap(stream, cut2, stream.length - cut2), out::add);
                assertEquals(
                        List.of(204, 16, 61),
                        out.stream().map(EventStreamMessage::totalLength).collect(Collectors.toList()),
                        "cuts at " + cut1 + "/" + cut2);
            }
        }
    }

    @Test
    void refusesAFrameLongerThanTheConfiguredMaximum() {
        byte[] frame =
                EventStreamFrames.event("messageStart", "{\"role\":\"assistant\",\"p\":\"" + "x".repeat(200) + "\"}");
        EventStreamException e = assertThrows(
                EventStreamException.class, () -> new EventStreamDecoder(64).feed(ByteBuffer.wrap(frame), m -> {}));
        assertTrue(e.getMessage().contains("outside 16..64"), e.getMessage());
    }

    @Test
    void reportsAPartialMessageWhenTheStreamStopsMidFrame() {
        byte[] frame = EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}");
        EventStreamDecoder d = new EventStreamDecoder();
        d.feed(ByteBuffer.wrap(frame, 0, frame.length - 1), m -> {});
        assertTrue(d.hasPartialMessage());
    }

    private static void assertMatches(JsonNode expected, EventStreamMessage m) {
        assertEquals(expected.path("total_length").asInt(), m.totalLength(), "total_length");
        assertEquals(expected.path("headers_length").asInt(), m.headersLength(), "headers_length");
        assertEquals(expected.path("prelude_crc").asInt(), m.preludeCrc(), "prelude_crc");
        assertEquals(expected.path("message_crc").asInt(), m.messageCrc(), "message_crc");
        assertArrayEquals(Base64.getDecoder().decode(expected.path("payload").asText()), m.payload(), "payload");
        List<EventStreamHeader> want = new ArrayList<>();
        expected.path("headers").forEach(h -> want.add(header(h)));
        assertEquals(want, m.headers(), "headers");
    }

    /** A header from the vectors' JSON: string, bytes and uuid values are base64 there. */
    private static EventStreamHeader header(JsonNode h) {
        int type = h.path("type").asInt();
        JsonNode v = h.path("value");
        Object value =
                switch (type) {
                    case 0, 1 -> v.asBoolean();
                    case 2 -> (byte) v.asInt();
                    case 3 -> (short) v.asInt();
                    case 4 -> v.asInt();
                    case 5, 8 -> v.asLong();
                    case 6 -> Base64.getDecoder().decode(v.asText());
                    case 7 -> new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
                    case 9 -> {
                        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(v.asText()));
                        yield new UUID(b.getLong(), b.getLong());
                    }
                    default -> throw new IllegalArgumentException("type " + type);
                };
        return new EventStreamHeader(h.path("name").asText(), type, value);
    }

    private static List<String> names(String kind) throws IOException {
        try (Stream<Path> s = Files.list(VECTORS.resolve("decoded").resolve(kind))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertTrue(names.size() >= 4, "vectors missing in " + kind);
            return names;
        }
    }
}
