package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Gateway;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.AnthropicWire;
import dev.switchboard.testkit.wire.BedrockWire;
import dev.switchboard.testkit.wire.GeminiWire;
import dev.switchboard.testkit.wire.OpenAiWire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One fallback config across four wire formats — Anthropic → Gemini → Bedrock → OpenAI — with each
 * provider failing its own way. Whoever answers, the caller sees the same OpenAI answer.
 */
class CrossProviderFallbackTest {
    private static final String[] PROVIDERS = {"anthropic", "google", "bedrock", "openai"};
    private static final String[] MODELS = {
        "claude-sonnet-4-5", "gemini-2.5-flash", BedrockEndToEndTest.MODEL, "gpt-4o-mini"
    };

    private final StubUpstream anthropic = StubUpstream.start();
    private final StubUpstream gemini = StubUpstream.start();
    private final StubUpstream bedrock = StubUpstream.start();
    private final StubUpstream openai = StubUpstream.start();
    private final StubUpstream[] stubs = {anthropic, gemini, bedrock, openai};
    private final InMemoryLogSink sink = new InMemoryLogSink();

    @AfterEach
    void stop() {
        for (StubUpstream s : stubs) {
            s.close();
        }
    }

    private Gateway gateway() {
        String config =
                """
                {"strategy": {"mode": "fallback"},
                 "targets": [
                   {"provider": "anthropic", "api_key": "sk-ant", "custom_host": "%s/v1",
                    "override_params": {"model": "%s"}},
                   {"provider": "google", "api_key": "AIza", "custom_host": "%s",
                    "override_params": {"model": "%s"}},
                   {"provider": "bedrock", "aws_region": "us-east-1", "aws_access_key_id": "AKID",
                    "aws_secret_access_key": "secret", "custom_host": "%s", "override_params": {"model": "%s"}},
                   {"provider": "openai", "api_key": "sk-oai", "custom_host": "%s",
                    "override_params": {"model": "%s"}}]}
                """
                        .formatted(
                                anthropic.baseUrl(),
                                MODELS[0],
                                gemini.baseUrl(),
                                MODELS[1],
                                bedrock.baseUrl(),
                                MODELS[2],
                                openai.openAiBaseUrl(),
                                MODELS[3]);
        return Gateway.builder()
                .config(config)
                .clock(ManualClock.start())
                .logSink(sink)
                .build();
    }

    /** Provider i's own failure: Anthropic 529 overloaded, Gemini 503 UNAVAILABLE, Bedrock 429 throttling. */
    private static StubResponse failure(int i) {
        return switch (i) {
            case 0 -> AnthropicWire.overloaded();
            case 1 -> GeminiWire.unavailable();
            case 2 -> BedrockWire.throttling();
            default -> StubResponse.error(500, "openai is down");
        };
    }

    private static final int[] FAILURE_STATUS = {529, 503, 429, 500};

    private static StubResponse toolCall(int i, boolean stream) {
        String name = "get_weather";
        String args = "{\"city\":\"Paris\"}";
        return switch (i) {
            case 0 -> stream ? AnthropicWire.toolUseStream(name, args) : AnthropicWire.toolUse(name, args);
            case 1 -> stream ? GeminiWire.functionCallStream(name, args) : GeminiWire.functionCall(name, args);
            case 2 -> stream ? BedrockWire.toolUseStream(name, args) : BedrockWire.toolUse(name, args);
            default -> stream ? OpenAiWire.toolCallStream(name, args) : OpenAiWire.toolCall(name, args);
        };
    }

    @Test
    void eachProviderFailsItsOwnWayAndOpenAiAnswersTheToolCall() {
        for (int i = 0; i < 3; i++) {
            stubs[i].enqueue(failure(i));
        }
        openai.enqueue(toolCall(3, false));
        GatewayResponse r = gateway().execute(OpenAiShape.toolChat("gpt-4o", false));

        JsonNode body = OpenAiShape.completion(r);
        assertToolCall(body);
        assertEquals(
                "config.targets[3]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals("openai", r.header("x-portkey-provider").orElseThrow());
        List<Attempt> attempts = r.trace().attempts();
        assertEquals(4, attempts.size(), attempts::toString);
        for (int i = 0; i < 4; i++) {
            Attempt a = attempts.get(i);
            assertEquals("config.targets[" + i + "]", a.targetPath());
            assertEquals(PROVIDERS[i], a.provider());
            assertEquals(MODELS[i], a.model());
        }
        assertEquals(List.of(529, 503, 429, 200), statuses(attempts));
        assertNotNull(attempts.get(0).errorClass());
        assertNull(attempts.get(3).errorClass());
        assertEquals(1, stubs[0].hits());
        assertEquals(1, stubs[1].hits());
        assertEquals(1, stubs[2].hits());
    }

    @ParameterizedTest(name = "target {0} answers")
    @ValueSource(ints = {0, 1, 2, 3})
    void whicheverProviderAnswersTheToolCallTheCallerSeesTheSameOpenAiAnswer(int answering) {
        for (int i = 0; i < answering; i++) {
            stubs[i].enqueue(failure(i));
        }
        stubs[answering].enqueue(toolCall(answering, false));
        GatewayResponse r = gateway().execute(OpenAiShape.toolChat("gpt-4o", false));

        JsonNode body = OpenAiShape.completion(r);
        assertToolCall(body);
        assertEquals(expectedShape(), shape(body), "the same shape as OpenAI's own answer");
        assertEquals(
                "config.targets[" + answering + "]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        List<Attempt> attempts = r.trace().attempts();
        assertEquals(answering + 1, attempts.size());
        for (int i = 0; i < answering; i++) {
            assertEquals(FAILURE_STATUS[i], attempts.get(i).status(), "attempt " + i);
        }
        assertEquals(200, attempts.get(answering).status());
        for (int i = answering + 1; i < 4; i++) {
            assertEquals(0, stubs[i].hits(), "targets after the answering one are not called");
        }
    }

    @ParameterizedTest(name = "target {0} streams")
    @ValueSource(ints = {1, 2, 3})
    void aStreamCutBeforeItsFirstEventFallsBackAndTheNextProviderStreamsTheToolCall(int answering) {
        anthropic.enqueue(AnthropicWire.toolUseStream("get_weather", "{}").cutAfterEvents(0));
        for (int i = 1; i < answering; i++) {
            stubs[i].enqueue(failure(i));
        }
        stubs[answering].enqueue(toolCall(answering, true));
        GatewayResponse r = gateway().execute(OpenAiShape.toolChat("gpt-4o", true));

        List<JsonNode> chunks = OpenAiShape.chunks(r);
        assertEquals(
                "config.targets[" + answering + "]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals("get_weather", OpenAiShape.toolName(chunks));
        assertEquals(Json.parse("{\"city\":\"Paris\"}"), Json.parse(OpenAiShape.toolArguments(chunks)));
        assertEquals("tool_calls", OpenAiShape.finishReason(chunks));
        assertEquals(15, OpenAiShape.usage(chunks).path("total_tokens").asInt());
        assertTrue(chunks.stream().allMatch(c -> c.path("object").asText().equals("chat.completion.chunk")));

        List<Attempt> attempts = sink.traces().get(0).attempts();
        assertEquals(answering + 1, attempts.size(), attempts::toString);
        assertEquals(502, attempts.get(0).status(), "a stream that died before its first event is a 502 failure");
        for (int i = 1; i < answering; i++) {
            assertEquals(FAILURE_STATUS[i], attempts.get(i).status());
        }
        assertNull(attempts.get(answering).errorClass());
    }

    private static void assertToolCall(JsonNode body) {
        JsonNode call = body.at("/choices/0/message/tool_calls/0");
        assertEquals("function", call.path("type").asText());
        assertEquals("get_weather", call.at("/function/name").asText());
        assertTrue(call.at("/function/arguments").isTextual(), "arguments are a JSON string");
        assertEquals(
                Json.parse("{\"city\":\"Paris\"}"),
                Json.parse(call.at("/function/arguments").asText()));
        assertTrue(call.path("id").asText().length() > 0);
        assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
        assertEquals(10, body.at("/usage/prompt_tokens").asInt());
        assertEquals(5, body.at("/usage/completion_tokens").asInt());
        assertEquals(15, body.at("/usage/total_tokens").asInt());
    }

    /** What a caller can rely on, without the values that are per-provider by nature (ids, model, created). */
    private static JsonNode shape(JsonNode body) {
        ObjectNode s = Json.object();
        s.put("object", body.path("object").asText());
        s.put("choices", body.path("choices").size());
        JsonNode message = body.at("/choices/0/message");
        s.put("role", message.path("role").asText());
        s.set("content", message.get("content"));
        s.put("tool_calls", message.path("tool_calls").size());
        JsonNode call = message.at("/tool_calls/0");
        s.put("type", call.path("type").asText());
        s.put("name", call.at("/function/name").asText());
        s.set("arguments", Json.parse(call.at("/function/arguments").asText()));
        s.put("finish_reason", body.at("/choices/0/finish_reason").asText());
        s.put("prompt_tokens", body.at("/usage/prompt_tokens").asInt());
        s.put("completion_tokens", body.at("/usage/completion_tokens").asInt());
        s.put("total_tokens", body.at("/usage/total_tokens").asInt());
        return s;
    }

    private static JsonNode expectedShape() {
        return Json.parse(
                """
                {"object": "chat.completion", "choices": 1, "role": "assistant", "content": null, "tool_calls": 1,
                 "type": "function", "name": "get_weather", "arguments": {"city": "Paris"},
                 "finish_reason": "tool_calls", "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
                """);
    }

    private static List<Integer> statuses(List<Attempt> attempts) {
        List<Integer> out = new ArrayList<>();
        attempts.forEach(a -> out.add(a.status()));
        return out;
    }
}
