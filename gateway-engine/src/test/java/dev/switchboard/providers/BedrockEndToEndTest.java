package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.BedrockWire;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bedrock adapter through the real gateway against a stub speaking Converse / ConverseStream. */
class BedrockEndToEndTest {
    static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private static final String MODEL_PATH = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0";
    private final StubUpstream stub = StubUpstream.start();
    private final ManualClock clock = ManualClock.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway() {
        return Gateway.builder()
                .clock(clock)
                .config("{\"provider\":\"bedrock\",\"aws_region\":\"us-east-1\","
                        + "\"aws_access_key_id\":\"AKIDEXAMPLE\",\"aws_secret_access_key\":\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\","
                        + "\"aws_session_token\":\"session-token\",\"custom_host\":\"" + stub.baseUrl() + "\"}")
                .build();
    }

    @Test
    void aChatBecomesASignedConverseCallAndTheAnswerAnOpenAiCompletion() {
        stub.enqueue(BedrockWire.converse("Hello!"));
        JsonNode body = OpenAiShape.completion(gateway().execute(OpenAiShape.chat(MODEL)));

        RecordedRequest req = stub.lastRequest();
        assertEquals(MODEL_PATH + "/converse", req.path(), "the model id is URL-encoded in the path");
        assertEquals("20260101T000000Z", req.header("x-amz-date"));
        assertEquals("session-token", req.header("x-amz-security-token"));
        assertEquals("application/json", req.header("accept"));
        SigV4Check.assertSigned(req, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "bedrock");
        JsonNode sent = req.json();
        assertEquals("Be terse.", sent.at("/system/0/text").asText());
        assertEquals("hi", sent.at("/messages/0/content/0/text").asText());
        assertEquals(64, sent.at("/inferenceConfig/maxTokens").asInt());
        assertTrue(sent.path("model").isMissingNode(), "the model goes in the path, not the body");

        assertEquals("chatcmpl-" + BedrockWire.REQUEST_ID, body.path("id").asText());
        assertEquals("Hello!", body.at("/choices/0/message/content").asText());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertEquals(15, body.at("/usage/total_tokens").asInt());
    }

    @Test
    void toolsBecomeAToolConfigAndAToolUseComesBackAsToolCalls() {
        stub.enqueue(BedrockWire.toolUse("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode body = OpenAiShape.completion(gateway().execute(OpenAiShape.toolChat(MODEL, false)));

        JsonNode sent = stub.lastRequest().json();
        assertEquals("get_weather", sent.at("/toolConfig/tools/0/toolSpec/name").asText());
        assertEquals(
                "object",
                sent.at("/toolConfig/tools/0/toolSpec/inputSchema/json/type").asText());
        assertTrue(sent.at("/toolConfig/toolChoice/auto").isObject());

        assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
        assertEquals(
                BedrockWire.TOOL_USE_ID,
                body.at("/choices/0/message/tool_calls/0/id").asText());
        assertEquals(
                "Paris",
                Json.parse(body.at("/choices/0/message/tool_calls/0/function/arguments")
                                .asText())
                        .path("city")
                        .asText());
    }

    @Test
    void anEventStreamBecomesOpenAiChunksWithUsage() {
        stub.enqueue(BedrockWire.converseStream("Hel", "lo"));
        List<JsonNode> chunks = OpenAiShape.chunks(gateway().execute(OpenAiShape.stream(MODEL)));

        RecordedRequest req = stub.lastRequest();
        assertEquals(MODEL_PATH + "/converse-stream", req.path());
        assertEquals("application/vnd.amazon.eventstream", req.header("accept"));
        SigV4Check.assertSigned(req, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "bedrock");
        assertEquals("Hello", OpenAiShape.text(chunks));
        assertEquals("stop", OpenAiShape.finishReason(chunks));
        assertEquals(15, OpenAiShape.usage(chunks).path("total_tokens").asInt());
    }

    @Test
    void aStreamedToolUseBecomesToolCallDeltas() {
        stub.enqueue(BedrockWire.toolUseStream("get_weather", "{\"city\":\"Paris\"}"));
        List<JsonNode> chunks = OpenAiShape.chunks(gateway().execute(OpenAiShape.toolChat(MODEL, true)));
        assertEquals("get_weather", OpenAiShape.toolName(chunks));
        assertEquals(
                "Paris",
                Json.parse(OpenAiShape.toolArguments(chunks)).path("city").asText());
        assertEquals("tool_calls", OpenAiShape.finishReason(chunks));
    }

    @Test
    void throttlingKeepsItsStatusWithTheAwsErrorName() {
        stub.enqueue(BedrockWire.throttling());
        GatewayResponse r = gateway().execute(OpenAiShape.chat(MODEL));
        assertEquals(
                "ThrottlingException",
                OpenAiShape.error(r, 429).at("/error/code").asText());
    }

    @Test
    void aMidStreamExceptionEndsTheStreamWithAnOpenAiErrorEvent() {
        stub.enqueue(BedrockWire.streamException("throttlingException", "Too many requests", "partial"));
        GatewayResponse r = gateway().execute(OpenAiShape.stream(MODEL));
        List<String> data = OpenAiShape.streamEndingInError(r);
        JsonNode error = Json.parse(data.get(data.size() - 2));
        assertTrue(error.at("/error/message").asText().contains("Too many requests"), error.toString());
    }
}
