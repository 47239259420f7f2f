package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.CohereWire;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cohere adapter through the real gateway against a stub speaking v2 Chat. */
class CohereEndToEndTest {
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway() {
        return Gateway.fromConfig(
                "{\"provider\":\"cohere\",\"api_key\":\"co-test\",\"custom_host\":\"" + stub.baseUrl() + "\"}");
    }

    @Test
    void aChatBecomesAV2ChatCallAndTheAnswerAnOpenAiCompletion() {
        stub.enqueue(CohereWire.chat("Hello!"));
        JsonNode body = OpenAiShape.completion(gateway().execute(OpenAiShape.chat("command-a-03-2025")));

        RecordedRequest req = stub.lastRequest();
        assertEquals("/v2/chat", req.path());
        assertEquals("Bearer co-test", req.header("authorization"));
        JsonNode sent = req.json();
        assertEquals("command-a-03-2025", sent.path("model").asText());
        assertEquals("system", sent.at("/messages/0/role").asText());
        assertEquals(64, sent.path("max_tokens").asInt());

        assertEquals("Hello!", body.at("/choices/0/message/content").asText());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertEquals(15, body.at("/usage/total_tokens").asInt(), "usage.tokens, not the billed units");
    }

    @Test
    void aToolCallComesBackAsToolCallsWithoutTheToolPlanAsContent() {
        stub.enqueue(CohereWire.toolCall("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode body = OpenAiShape.completion(gateway().execute(OpenAiShape.toolChat("command-a-03-2025", false)));

        assertEquals(
                "get_weather",
                stub.lastRequest().json().at("/tools/0/function/name").asText());
        assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
        assertEquals(
                CohereWire.TOOL_CALL_ID,
                body.at("/choices/0/message/tool_calls/0/id").asText());
        assertEquals(
                "Paris",
                Json.parse(body.at("/choices/0/message/tool_calls/0/function/arguments")
                                .asText())
                        .path("city")
                        .asText());
    }

    @Test
    void anEventTypedStreamBecomesOpenAiChunksWithUsage() {
        stub.enqueue(CohereWire.stream("Hel", "lo"));
        List<JsonNode> chunks = OpenAiShape.chunks(gateway().execute(OpenAiShape.stream("command-a-03-2025")));
        assertEquals(true, stub.lastRequest().json().path("stream").asBoolean());
        assertEquals("Hello", OpenAiShape.text(chunks));
        assertEquals("stop", OpenAiShape.finishReason(chunks));
        assertEquals(15, OpenAiShape.usage(chunks).path("total_tokens").asInt());
    }

    @Test
    void aStreamedToolCallBecomesToolCallDeltas() {
        stub.enqueue(CohereWire.toolCallStream("get_weather", "{\"city\":\"Paris\"}"));
        List<JsonNode> chunks = OpenAiShape.chunks(gateway().execute(OpenAiShape.toolChat("command-a-03-2025", true)));
        assertEquals("get_weather", OpenAiShape.toolName(chunks));
        assertEquals(
                "Paris",
                Json.parse(OpenAiShape.toolArguments(chunks)).path("city").asText());
        assertEquals("tool_calls", OpenAiShape.finishReason(chunks));
    }

    @Test
    void anErrorKeepsItsStatusAndMessage() {
        stub.enqueue(CohereWire.error(429, "trial key limit"));
        GatewayResponse r = gateway().execute(OpenAiShape.chat("command-a-03-2025"));
        assertEquals(
                true,
                OpenAiShape.error(r, 429).at("/error/message").asText().contains("trial key limit"),
                r.bodyAsString());
    }
}
