package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamFramesTest {
    @Test
    void anEmptyMessageIsTheSixteenBytePreludeAndCrcs() {
        // AWS's published test vector "empty_message".
        byte[] frame = EventStreamFrames.encode(List.of(), new byte[0]);
        assertArrayEquals(HexFormat.of().parseHex("000000100000000005c248eb7d98c8ff"), frame);
    }

    @Test
    void anEventCarriesItsTypeContentTypeAndMessageTypeAndTheLengthsAddUp() {
        byte[] frame = EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}");
        FrameReader.Frame f = FrameReader.readAll(frame).get(0);
        assertEquals("messageStart", f.headers().get(":event-type"));
        assertEquals("application/json", f.headers().get(":content-type"));
        assertEquals("event", f.headers().get(":message-type"));
        assertEquals("{\"role\":\"assistant\"}", new String(f.payload(), StandardCharsets.UTF_8));
        assertEquals(frame.length, ByteBuffer.wrap(frame).getInt());
    }

    @Test
    void anExceptionIsMarkedAsSuch() {
        FrameReader.Frame f = FrameReader.readAll(EventStreamFrames.exception("throttlingException", "{}"))
                .get(0);
        assertEquals("exception", f.headers().get(":message-type"));
        assertEquals("throttlingException", f.headers().get(":exception-type"));
    }

    @Test
    void aHeaderWhoseValueDoesNotFitItsTypeIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new EventStreamFrames.Header("x", EventStreamFrames.Header.INT32, "text"));
        assertEquals("event-stream header x of type 4 needs a Integer, got String", e.getMessage());
    }
}
