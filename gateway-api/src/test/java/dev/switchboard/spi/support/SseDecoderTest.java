package dev.switchboard.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ServerSentEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
    private static final String STREAM = ": a comment\n"
            + "event: message_start\ndata: {\"a\":\"h\u00e9llo \u2603 \ud83d\ude80\"}\n\n"
            + "data: line one\r\ndata: line two\r\n\r\n"
            + "id: 7\rdata: cr only\r\r"
            + "retry: 1000\ndata:no space\n\n"
            + "data: [DONE]\n\n";

    private static List<ServerSentEvent> decode(byte[] bytes, int[] cuts) {
        SseDecoder d = new SseDecoder();
        List<ServerSentEvent> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            d.feed(ByteBuffer.wrap(bytes, from, cut - from).slice(), out::add);
            from = cut;
        }
        d.feed(ByteBuffer.wrap(bytes, from, bytes.length - from).slice(), out::add);
        return out;
    }

    @Test
    void parsesEventsFieldsAndAllLineEndings() {
        List<ServerSentEvent> events = decode(STREAM.getBytes(StandardCharsets.UTF_8), new int[0]);
        assertEquals(5, events.size());
        assertEquals("message_start", events.get(0).event());
        assertEquals("{\"a\":\"h\u00e9llo \u2603 \ud83d\ude80\"}", events.get(0).data());
        assertEquals("line one\nline two", events.get(1).data());
        assertEquals("7", events.get(2).id());
        assertEquals("cr only", events.get(2).data());
        assertEquals("no space", events.get(3).data());
        assertTrue(events.get(4).isDone());
    }

    @Test
    void anySplitOfTheBytesGivesTheSameEvents() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<ServerSentEvent> whole = decode(bytes, new int[0]);
        long seed = 20261125L;
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(12);
            int[] cuts = random.ints(n, 0, bytes.length).sorted().toArray();
            assertEquals(whole, decode(bytes, cuts), "seed " + seed + " round " + round);
        }
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, decode(bytes, everyByte));
    }

    @Test
    void finishDispatchesAnEventWithoutItsBlankLine() {
        SseDecoder d = new SseDecoder();
        List<ServerSentEvent> out = new ArrayList<>();
        d.feed("data: tail".getBytes(StandardCharsets.UTF_8), out::add);
        assertTrue(d.hasPartialEvent());
        assertTrue(d.finish(out::add));
        assertEquals("tail", out.get(0).data());
        assertFalse(d.hasPartialEvent());
    }

    @Test
    void readOnlyBuffersWork() {
        SseDecoder d = new SseDecoder();
        List<ServerSentEvent> out = new ArrayList<>();
        d.feed(ByteBuffer.wrap("data: x\n\n".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(), out::add);
        assertEquals("x", out.get(0).data());
    }

    @Test
    void longLinesGrowTheBuffer() {
        String big = "y".repeat(10_000);
        List<ServerSentEvent> out =
                decode(("data: " + big + "\n\n").getBytes(StandardCharsets.UTF_8), new int[] {3, 5000});
        assertEquals(big, out.get(0).data());
    }
}
