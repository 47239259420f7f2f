package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.OpenAiWire;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** azure-openai, mistral-ai, groq and ollama through the real gateway against a stub speaking OpenAI's format. */
class OpenAiCompatibleEndToEndTest {
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String target) {
        return Gateway.fromConfig(target.replace("HOST", stub.baseUrl()));
    }

    @Test
    void azureCallsTheDeploymentWithApiVersionAndTheApiKeyHeader() {
        Gateway g = gateway("{\"provider\":\"azure-openai\",\"api_key\":\"az-key\",\"custom_host\":\"HOST/openai\","
                + "\"deployment_id\":\"gpt4o-prod\",\"api_version\":\"2024-10-21\"}");
        JsonNode body = OpenAiShape.completion(g.execute(OpenAiShape.chat("gpt-4o")));
        RecordedRequest req = stub.lastRequest();
        assertEquals("/openai/deployments/gpt4o-prod/chat/completions", req.path());
        assertEquals("api-version=2024-10-21", req.query());
        assertEquals("az-key", req.header("api-key"));
        assertNull(req.header("authorization"));
        assertEquals(
                "Hello from the stub", body.at("/choices/0/message/content").asText());

        List<JsonNode> chunks = OpenAiShape.chunks(g.execute(OpenAiShape.stream("gpt-4o")));
        assertEquals("Hello from the stub", OpenAiShape.text(chunks));
        assertTrue(OpenAiShape.usage(chunks).path("total_tokens").asInt() > 0);
    }

    @Test
    void mistralGetsOnlyFieldsItKnowsWithSeedRenamedAndRequiredAsAny() {
        Gateway g = gateway("{\"provider\":\"mistral-ai\",\"api_key\":\"mi-key\",\"custom_host\":\"HOST/v1\"}");
        stub.enqueue(OpenAiWire.toolCall("get_weather", "{\"city\":\"Paris\"}"));
        GatewayRequest request = GatewayRequest.chat("{\"model\":\"mistral-large-latest\",\"seed\":7,\"user\":\"u-1\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],"
                        + OpenAiShape.TOOLS.replace("\"auto\"", "\"required\"") + "}")
                .build();
        JsonNode body = OpenAiShape.completion(g.execute(request));

        RecordedRequest req = stub.lastRequest();
        assertEquals("/v1/chat/completions", req.path());
        assertEquals("Bearer mi-key", req.header("authorization"));
        JsonNode sent = req.json();
        assertEquals(7, sent.path("random_seed").asInt());
        assertFalse(sent.has("seed"));
        assertFalse(sent.has("user"), "Mistral rejects unknown fields");
        assertEquals("any", sent.path("tool_choice").asText());
        assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
        assertEquals(
                "get_weather",
                body.at("/choices/0/message/tool_calls/0/function/name").asText());

        List<JsonNode> chunks = OpenAiShape.chunks(g.execute(OpenAiShape.stream("mistral-large-latest")));
        assertEquals("Hello from the stub", OpenAiShape.text(chunks));
    }

    @Test
    void groqDropsTheParametersItRejectsAndPassesTheRestThrough() {
        Gateway g = gateway("{\"provider\":\"groq\",\"api_key\":\"gsk-test\",\"custom_host\":\"HOST/openai/v1\"}");
        GatewayRequest request = GatewayRequest.chat(
                        "{\"model\":\"llama-3.3-70b-versatile\",\"logprobs\":true,"
                                + "\"reasoning_format\":\"hidden\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"ann\"}]}")
                .build();
        JsonNode body = OpenAiShape.completion(g.execute(request));
        RecordedRequest req = stub.lastRequest();
        assertEquals("/openai/v1/chat/completions", req.path());
        assertEquals("Bearer gsk-test", req.header("authorization"));
        JsonNode sent = req.json();
        assertFalse(sent.has("logprobs"));
        assertFalse(sent.at("/messages/0").has("name"), "groq rejects messages[].name");
        assertEquals("hidden", sent.path("reasoning_format").asText(), "unknown parameters pass through");
        assertEquals("llama-3.3-70b-versatile", body.path("model").asText());

        stub.enqueue(OpenAiWire.toolCallStream("get_weather", "{\"city\":\"Paris\"}"));
        List<JsonNode> chunks = OpenAiShape.chunks(g.execute(OpenAiShape.toolChat("llama-3.3-70b-versatile", true)));
        assertEquals("{\"city\":\"Paris\"}", OpenAiShape.toolArguments(chunks));
        assertEquals("tool_calls", OpenAiShape.finishReason(chunks));
    }

    @Test
    void ollamaAddsV1ToTheServerAddressAndSendsNoAuthorizationWithoutAKey() {
        Gateway g = gateway("{\"provider\":\"ollama\",\"custom_host\":\"HOST\"}");
        JsonNode body = OpenAiShape.completion(g.execute(OpenAiShape.chat("llama3.2")));
        RecordedRequest req = stub.lastRequest();
        assertEquals("/v1/chat/completions", req.path());
        assertNull(req.header("authorization"));
        assertEquals("llama3.2", body.path("model").asText());

        List<JsonNode> chunks = OpenAiShape.chunks(g.execute(OpenAiShape.stream("llama3.2")));
        assertEquals("Hello from the stub", OpenAiShape.text(chunks));
    }
}
