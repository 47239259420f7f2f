package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.AnthropicWire;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The anthropic adapter through the real gateway against a stub speaking the Messages API. */
class AnthropicEndToEndTest {
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway() {
        return Gateway.fromConfig("{\"provider\":\"anthropic\",\"api_key\":\"sk-ant-test\",\"custom_host\":\""
                + stub.baseUrl() + "/v1\",\"anthropic_beta\":\"prompt-caching-2024-07-31\"}");
    }

    @Test
    void aChatBecomesAMessagesCallAndTheAnswerAnOpenAiCompletion() {
        stub.enqueue(AnthropicWire.message("Hello!"));
        JsonNode body = OpenAiShape.completion(gateway().execute(OpenAiShape.chat("claude-sonnet-4-5")));

        RecordedRequest req = stub.lastRequest();
        assertEquals("POST", req.method());
        assertEquals("/v1/messages", req.path());
        assertEquals("sk-ant-test", req.header("x-api-key"));
        assertNull(req.header("authorization"), "the key goes in x-api-key only");
        assertEquals("2023-06-01", req.header("anthropic-version"));
        assertEquals("prompt-caching-2024-07-31", req.header("anthropic-beta"));
        JsonNode sent = req.json();
        assertEquals("claude-sonnet-4-5", sent.path("model").asText());
        assertEquals(64, sent.path("max_tokens").asInt());
        assertEquals("Be terse.", systemText(sent));
        assertEquals("user", sent.at("/messages/0/role").asText());

        assertEquals("Hello!", body.at("/choices/0/message/content").asText());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertEquals(15, body.at("/usage/total_tokens").asInt());
    }

    @Test
    void toolsAreSentAsInputSchemaAndAToolUseComesBackAsToolCalls() {
        stub.enqueue(AnthropicWire.toolUse("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode body = OpenAiShape.completion(gateway().execute(OpenAiShape.toolChat("claude-sonnet-4-5", false)));

        JsonNode sent = stub.lastRequest().json();
        assertEquals("get_weather", sent.at("/tools/0/name").asText());
        assertEquals("object", sent.at("/tools/0/input_schema/type").asText());
        assertEquals("auto", sent.at("/tool_choice/type").asText());

        assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
        assertEquals(
                AnthropicWire.TOOL_USE_ID,
                body.at("/choices/0/message/tool_calls/0/id").asText());
        assertEquals(
                "get_weather",
                body.at("/choices/0/message/tool_calls/0/function/name").asText());
        assertEquals(
                "Paris",
                Json.parse(body.at("/choices/0/message/tool_calls/0/function/arguments")
                                .asText())
                        .path("city")
                        .asText());
    }

    @Test
    void anEventTypedStreamBecomesOpenAiChunksWithUsage() {
        stub.enqueue(AnthropicWire.stream("Hel", "lo"));
        List<JsonNode> chunks = OpenAiShape.chunks(gateway().execute(OpenAiShape.stream("claude-sonnet-4-5")));

        RecordedRequest req = stub.lastRequest();
        assertTrue(req.json().path("stream").asBoolean());
        assertEquals("text/event-stream", req.header("accept"));
        assertEquals("Hello", OpenAiShape.text(chunks));
        assertEquals("stop", OpenAiShape.finishReason(chunks));
        assertEquals(15, OpenAiShape.usage(chunks).path("total_tokens").asInt());
    }

    @Test
    void aStreamedToolUseBecomesToolCallDeltas() {
        stub.enqueue(AnthropicWire.toolUseStream("get_weather", "{\"city\":\"Paris\"}"));
        List<JsonNode> chunks = OpenAiShape.chunks(gateway().execute(OpenAiShape.toolChat("claude-sonnet-4-5", true)));
        assertEquals("get_weather", OpenAiShape.toolName(chunks));
        assertEquals(
                "Paris",
                Json.parse(OpenAiShape.toolArguments(chunks)).path("city").asText());
        assertEquals("tool_calls", OpenAiShape.finishReason(chunks));
    }

    @Test
    void overloadedKeepsItsStatusAndBecomesAnOpenAiErrorEnvelope() {
        stub.enqueue(AnthropicWire.overloaded());
        GatewayResponse r = gateway().execute(OpenAiShape.chat("claude-sonnet-4-5"));
        JsonNode body = OpenAiShape.error(r, 529);
        assertTrue(body.at("/error/message").asText().contains("Overloaded"), r.bodyAsString());
        assertEquals(1, stub.hits(), "a single target without retry config is tried once");
    }

    private static String systemText(JsonNode sent) {
        JsonNode system = sent.get("system");
        return system.isTextual() ? system.asText() : system.at("/0/text").asText();
    }

    @Test
    void anErrorEventAfterTheFirstChunkEndsTheStreamWithAnOpenAiErrorEventAndDone() {
        stub.enqueue(AnthropicWire.streamError("overloaded_error", "Overloaded", "Hel"));
        GatewayResponse r = gateway().execute(OpenAiShape.stream("claude-sonnet-4-5"));
        List<String> data = OpenAiShape.streamEndingInError(r);
        JsonNode error = Json.parse(data.get(data.size() - 2));
        assertTrue(error.at("/error/message").asText().contains("Overloaded"), error.toString());
        assertTrue(data.stream().anyMatch(d -> d.contains("\"Hel\"")), "the text before the error was delivered");
    }
}
