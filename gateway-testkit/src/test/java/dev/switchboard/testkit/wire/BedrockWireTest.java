package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubUpstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BedrockWireTest {
    private static final String PATH = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void aConverseAnswerHasOutputMessageStopReasonUsageAndARequestIdHeader() throws Exception {
        stub.enqueue(BedrockWire.converse("Hi"));
        HttpResponse<byte[]> r = WireClient.post(stub, PATH);
        JsonNode body = WireClient.json(r);
        assertEquals("Hi", body.at("/output/message/content/0/text").asText());
        assertEquals("end_turn", body.path("stopReason").asText());
        assertEquals(15, body.at("/usage/totalTokens").asInt());
        assertEquals(
                BedrockWire.REQUEST_ID,
                r.headers().firstValue("x-amzn-requestid").orElseThrow());
    }

    @Test
    void aToolUseAnswerHasAToolUseBlockWithAnInputObject() throws Exception {
        stub.enqueue(BedrockWire.toolUse("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode body = WireClient.json(WireClient.post(stub, PATH));
        assertEquals("tool_use", body.path("stopReason").asText());
        assertEquals(
                "Paris", body.at("/output/message/content/0/toolUse/input/city").asText());
        assertEquals(
                BedrockWire.TOOL_USE_ID,
                body.at("/output/message/content/0/toolUse/toolUseId").asText());
    }

    @Test
    void theStreamIsEventStreamFramesInConverseStreamOrder() throws Exception {
        stub.enqueue(BedrockWire.converseStream("Hel", "lo"));
        HttpResponse<byte[]> r = WireClient.post(stub, PATH + "-stream");
        assertEquals(
                BedrockWire.EVENT_STREAM, r.headers().firstValue("content-type").orElseThrow());
        List<FrameReader.Frame> frames = FrameReader.readAll(r.body());
        List<String> types = new ArrayList<>();
        for (FrameReader.Frame f : frames) {
            assertEquals("event", f.headers().get(":message-type"));
            assertEquals("application/json", f.headers().get(":content-type"));
            types.add(f.headers().get(":event-type"));
        }
        assertEquals(
                List.of(
                        "messageStart",
                        "contentBlockDelta",
                        "contentBlockDelta",
                        "contentBlockStop",
                        "messageStop",
                        "metadata"),
                types);
        assertEquals("lo", Json.parse(frames.get(2).payload()).at("/delta/text").asText());
        assertEquals(
                5, Json.parse(frames.get(5).payload()).at("/usage/outputTokens").asInt());
    }

    @Test
    void aToolUseStreamStartsTheBlockAndSplitsTheInput() throws Exception {
        stub.enqueue(BedrockWire.toolUseStream("get_weather", "{\"city\":\"Paris\"}"));
        List<FrameReader.Frame> frames =
                FrameReader.readAll(WireClient.post(stub, PATH + "-stream").body());
        JsonNode start = Json.parse(frames.get(1).payload());
        assertEquals("get_weather", start.at("/start/toolUse/name").asText());
        String input = Json.parse(frames.get(2).payload())
                        .at("/delta/toolUse/input")
                        .asText()
                + Json.parse(frames.get(3).payload()).at("/delta/toolUse/input").asText();
        assertEquals("Paris", Json.parse(input).path("city").asText());
        assertEquals(
                "tool_use",
                Json.parse(frames.get(5).payload()).path("stopReason").asText());
    }

    @Test
    void aMidStreamExceptionIsAnExceptionMessage() throws Exception {
        stub.enqueue(BedrockWire.streamException("throttlingException", "slow down", "partial"));
        List<FrameReader.Frame> frames =
                FrameReader.readAll(WireClient.post(stub, PATH + "-stream").body());
        FrameReader.Frame last = frames.get(frames.size() - 1);
        assertEquals("exception", last.headers().get(":message-type"));
        assertEquals("throttlingException", last.headers().get(":exception-type"));
        assertEquals("slow down", Json.parse(last.payload()).path("message").asText());
    }

    @Test
    void throttlingIs429WithTheAwsErrorTypeHeader() throws Exception {
        stub.enqueue(BedrockWire.throttling());
        HttpResponse<byte[]> r = WireClient.post(stub, PATH);
        assertEquals(429, r.statusCode());
        assertEquals(
                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                r.headers().firstValue("x-amzn-errortype").orElseThrow());
        assertEquals(
                "Too many requests, please wait before trying again.",
                WireClient.json(r).path("message").asText());
    }

    @Test
    void aStreamCutAfterTwoFramesDeliversATruncatedBody() {
        stub.enqueue(BedrockWire.converseStream("a", "b").cutAfterEvents(2));
        assertThrows(IOException.class, () -> WireClient.post(stub, PATH + "-stream"));
    }
}
