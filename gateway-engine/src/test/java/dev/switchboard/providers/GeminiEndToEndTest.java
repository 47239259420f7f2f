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
import dev.switchboard.testkit.wire.GeminiWire;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The google (Gemini API) and vertex-ai adapters through the real gateway against a stub speaking Gemini. */
class GeminiEndToEndTest {
    private static final String VERTEX_BASE = "/v1/projects/acme-proj/locations/us-central1/publishers/google/models/";
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway google() {
        return Gateway.fromConfig(
                "{\"provider\":\"google\",\"api_key\":\"AIza-test\",\"custom_host\":\"" + stub.baseUrl() + "\"}");
    }

    private Gateway vertex() {
        return Gateway.fromConfig(
                "{\"provider\":\"vertex-ai\",\"api_key\":\"ya29.token\",\"vertex_region\":\"us-central1\","
                        + "\"vertex_project_id\":\"acme-proj\",\"custom_host\":\"" + stub.baseUrl() + "\"}");
    }

    @Test
    void aChatBecomesGenerateContentWithTheKeyInAHeaderNotTheUrl() {
        stub.enqueue(GeminiWire.text("Hello!"));
        JsonNode body = OpenAiShape.completion(google().execute(OpenAiShape.chat("gemini-2.5-flash")));

        RecordedRequest req = stub.lastRequest();
        assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", req.path());
        assertNull(req.query(), "no ?key= in the URL");
        assertEquals("AIza-test", req.header("x-goog-api-key"));
        JsonNode sent = req.json();
        assertEquals("Be terse.", sent.at("/systemInstruction/parts/0/text").asText());
        assertEquals("user", sent.at("/contents/0/role").asText());
        assertEquals("hi", sent.at("/contents/0/parts/0/text").asText());
        assertEquals(64, sent.at("/generationConfig/maxOutputTokens").asInt());

        assertEquals("Hello!", body.at("/choices/0/message/content").asText());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertEquals(15, body.at("/usage/total_tokens").asInt());
    }

    @Test
    void aFunctionCallWithStopBecomesToolCallsFinish() {
        stub.enqueue(GeminiWire.functionCall("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode body = OpenAiShape.completion(google().execute(OpenAiShape.toolChat("gemini-2.5-flash", false)));

        JsonNode sent = stub.lastRequest().json();
        assertEquals(
                "get_weather", sent.at("/tools/0/functionDeclarations/0/name").asText());
        assertEquals("AUTO", sent.at("/toolConfig/functionCallingConfig/mode").asText());

        assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
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
    void anAltSseStreamBecomesOpenAiChunksWithUsage() {
        stub.enqueue(GeminiWire.stream("It is ", "sunny."));
        List<JsonNode> chunks = OpenAiShape.chunks(google().execute(OpenAiShape.stream("gemini-2.5-flash")));

        RecordedRequest req = stub.lastRequest();
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", req.path());
        assertEquals("alt=sse", req.query());
        assertEquals("It is sunny.", OpenAiShape.text(chunks));
        assertEquals("stop", OpenAiShape.finishReason(chunks));
        assertEquals(15, OpenAiShape.usage(chunks).path("total_tokens").asInt());
    }

    @Test
    void aStreamedFunctionCallBecomesOneToolCallDeltaAndToolCallsFinish() {
        stub.enqueue(GeminiWire.functionCallStream("get_weather", "{\"city\":\"Paris\"}"));
        List<JsonNode> chunks = OpenAiShape.chunks(google().execute(OpenAiShape.toolChat("gemini-2.5-flash", true)));
        assertEquals("get_weather", OpenAiShape.toolName(chunks));
        assertEquals(
                "Paris",
                Json.parse(OpenAiShape.toolArguments(chunks)).path("city").asText());
        assertEquals("tool_calls", OpenAiShape.finishReason(chunks));
    }

    @Test
    void resourceExhaustedKeepsItsStatusWithTheGoogleStatusAsCode() {
        stub.enqueue(GeminiWire.resourceExhausted("24s"));
        GatewayResponse r = google().execute(OpenAiShape.chat("gemini-2.5-flash"));
        assertEquals(
                "RESOURCE_EXHAUSTED",
                OpenAiShape.error(r, 429).at("/error/code").asText());
    }

    @Test
    void vertexSendsTheAccessTokenAsBearerToThePublisherPath() {
        stub.enqueue(GeminiWire.text("Hello from Vertex"));
        JsonNode body = OpenAiShape.completion(vertex().execute(OpenAiShape.chat("gemini-2.5-flash")));

        RecordedRequest req = stub.lastRequest();
        assertEquals(VERTEX_BASE + "gemini-2.5-flash:generateContent", req.path());
        assertEquals("Bearer ya29.token", req.header("authorization"));
        assertNull(req.header("x-goog-api-key"));
        assertEquals("hi", req.json().at("/contents/0/parts/0/text").asText());
        assertEquals("Hello from Vertex", body.at("/choices/0/message/content").asText());
    }

    @Test
    void vertexStreamsOverStreamGenerateContentWithAltSse() {
        stub.enqueue(GeminiWire.stream("a", "b"));
        List<JsonNode> chunks = OpenAiShape.chunks(vertex().execute(OpenAiShape.stream("gemini-2.5-flash")));
        RecordedRequest req = stub.lastRequest();
        assertEquals(VERTEX_BASE + "gemini-2.5-flash:streamGenerateContent", req.path());
        assertEquals("alt=sse", req.query());
        assertEquals("ab", OpenAiShape.text(chunks));
        assertTrue(OpenAiShape.usage(chunks).path("prompt_tokens").asInt() > 0);
    }

    @Test
    void vertexSendsClaudeToRawPredictWithTheVertexAnthropicVersionAndNoModelInTheBody() {
        stub.enqueue(AnthropicWire.message("Hello from Claude on Vertex"));
        JsonNode body = OpenAiShape.completion(vertex().execute(OpenAiShape.chat("claude-sonnet-4-5")));
        RecordedRequest req = stub.lastRequest();
        assertEquals(
                "/v1/projects/acme-proj/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5:rawPredict",
                req.path());
        assertEquals("Bearer ya29.token", req.header("authorization"));
        assertEquals("vertex-2023-10-16", req.json().path("anthropic_version").asText());
        assertTrue(req.json().path("model").isMissingNode(), "the model is in the path");
        assertEquals(
                "Hello from Claude on Vertex",
                body.at("/choices/0/message/content").asText());
    }
}
