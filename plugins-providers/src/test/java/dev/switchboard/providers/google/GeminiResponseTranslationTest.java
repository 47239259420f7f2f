package dev.switchboard.providers.google;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertJson;
import static dev.switchboard.providers.anthropic.ProviderCalls.assertOpenAi;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.anthropic.ProviderCalls;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiResponseTranslationTest {
    private final GeminiProvider provider = new GeminiProvider();
    private final ProviderCall call = chat(
                    "google",
                    "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    "{}")
            .build();

    private ProviderReply translate(int status, String body) {
        return ProviderTesting.translate(
                provider, call, new HttpReply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String response(String parts, String finishReason, String usage) {
        return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + parts + "},\"finishReason\":\""
                + finishReason + "\",\"index\":0}],\"usageMetadata\":" + usage
                + ",\"modelVersion\":\"gemini-2.5-flash-001\",\"responseId\":\"resp-1\"}";
    }

    @Test
    void textPartsAreJoinedAndThoughtsKeptApart() {
        ProviderReply r = translate(
                200,
                response(
                        """
                [{"text":"Thinking about it","thought":true},{"text":"It is "},{"text":"sunny."}]""",
                        "STOP",
                        "{\"promptTokenCount\":8,\"candidatesTokenCount\":4,\"totalTokenCount\":12}"));

        JsonNode msg = r.body().path("choices").get(0).path("message");
        assertEquals(200, r.status());
        assertEquals("It is sunny.", msg.path("content").asText());
        assertEquals("Thinking about it", msg.path("reasoning_content").asText());
        assertEquals(
                "stop", r.body().path("choices").get(0).path("finish_reason").asText());
        assertEquals("resp-1", r.body().path("id").asText());
        assertEquals("gemini-2.5-flash-001", r.body().path("model").asText());
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void functionCallsBecomeToolCallsWithGeneratedIdsAndTheirSignaturesReturnNextTurn() {
        ProviderReply r = translate(
                200,
                response(
                        """
                [{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"SIG-1"},
                 {"functionCall":{"name":"get_time","args":{}}}]""",
                        "STOP",
                        "{\"promptTokenCount\":8,\"candidatesTokenCount\":4,\"totalTokenCount\":12}"));

        JsonNode choice = r.body().path("choices").get(0);
        JsonNode calls = choice.path("message").path("tool_calls");
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        assertTrue(choice.path("message").path("content").isNull());
        assertEquals(2, calls.size());
        String id = calls.get(0).path("id").asText();
        assertTrue(id.startsWith("call_"), id);
        assertFalse(id.equals(calls.get(1).path("id").asText()));
        assertEquals(
                "{\"city\":\"Paris\"}",
                calls.get(0).path("function").path("arguments").asText());
        assertEquals("{}", calls.get(1).path("function").path("arguments").asText());
        assertOpenAi("CreateChatCompletionResponse", r.body());

        ProviderCall next = chat(
                        "google",
                        "{\"model\":\"gemini-2.5-flash\",\"messages\":["
                                + "{\"role\":\"user\",\"content\":\"x\"},"
                                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":" + calls + "},"
                                + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"18C\"}]}",
                        "{}")
                .build();
        JsonNode modelTurn =
                Json.parse(provider.prepare(next).body()).path("contents").get(1);
        assertEquals(
                "SIG-1", modelTurn.path("parts").get(0).path("thoughtSignature").asText());
        assertFalse(modelTurn.path("parts").get(1).has("thoughtSignature"));
    }

    @Test
    void maxTokensIsLength() {
        ProviderReply r = translate(
                200,
                response("[{\"text\":\"Once\"}]", "MAX_TOKENS", "{\"promptTokenCount\":8,\"candidatesTokenCount\":1}"));

        assertEquals(
                "length", r.body().path("choices").get(0).path("finish_reason").asText());
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void safetyStopsAndBlockedPromptsAreContentFilter() {
        for (String reason : new String[] {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"}) {
            ProviderReply r = translate(200, response("[]", reason, "{\"promptTokenCount\":8}"));
            assertEquals(
                    "content_filter",
                    r.body().path("choices").get(0).path("finish_reason").asText(),
                    reason);
            assertOpenAi("CreateChatCompletionResponse", r.body());
        }
        ProviderReply blocked = translate(
                200,
                """
                {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":8}}""");
        assertEquals(
                "content_filter",
                blocked.body().path("choices").get(0).path("finish_reason").asText());
        assertOpenAi("CreateChatCompletionResponse", blocked.body());
    }

    @Test
    void aMalformedFunctionCallIsAnErrorNotAnEmptyStop() {
        ProviderReply r = translate(
                200,
                """
                {"candidates":[{"content":{},"finishReason":"MALFORMED_FUNCTION_CALL",
                  "finishMessage":"Malformed function call: print(default_api.get_weather(city=Paris)","index":0}],
                 "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash","responseId":"r"}""");

        assertEquals(502, r.status(), "a retry or the next target may succeed; an empty stop would look finished");
        String message = r.body().path("error").path("message").asText();
        assertTrue(
                message.startsWith("google error: generation failed (finishReason MALFORMED_FUNCTION_CALL: Malformed"),
                message);
        assertEquals(
                "provider_generation_error", r.body().path("error").path("code").asText());
        assertOpenAi("ErrorResponse", r.body());
    }

    @Test
    void usageIncludesCachedContentAndThoughtsAsReasoning() {
        ProviderReply r = translate(
                200,
                response(
                        "[{\"text\":\"ok\"}]",
                        "STOP",
                        """
                {"promptTokenCount":1320,"cachedContentTokenCount":1024,"candidatesTokenCount":7,
                 "thoughtsTokenCount":20,"totalTokenCount":1347}"""));

        assertJson(
                """
                {"prompt_tokens":1320,"completion_tokens":27,"total_tokens":1347,
                 "prompt_tokens_details":{"cached_tokens":1024},
                 "completion_tokens_details":{"reasoning_tokens":20}}""",
                r.body().get("usage"));
    }

    @Test
    void quotaAndOverloadErrorsKeepStatusAndGoogleCode() {
        ProviderReply quota = translate(
                429,
                """
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
                  "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"24s"}]}}""");
        assertEquals(429, quota.status());
        assertEquals(
                "RESOURCE_EXHAUSTED", quota.body().path("error").path("code").asText());
        assertEquals("rate_limit_error", quota.body().path("error").path("type").asText());
        assertEquals("google", quota.body().path("provider").asText());
        assertTrue(quota.body().path("error").path("message").asText().contains("Resource has been exhausted"));
        assertOpenAi("ErrorResponse", quota.body());

        ProviderReply overloaded = translate(
                503,
                """
                [{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}]""");
        assertEquals(503, overloaded.status());
        assertEquals("UNAVAILABLE", overloaded.body().path("error").path("code").asText());
        assertTrue(overloaded.body().path("error").path("message").asText().contains("overloaded"));
        assertOpenAi("ErrorResponse", overloaded.body());

        ProviderReply internal = translate(500, "upstream connect error");
        assertEquals(500, internal.status());
        assertOpenAi("ErrorResponse", internal.body());
    }

    @Test
    void batchEmbeddingsBecomeAnOpenAiList() {
        ProviderCall embed = ProviderCall.builder("google", Endpoint.EMBEDDINGS)
                .body(ProviderCalls.object("{\"model\":\"gemini-embedding-001\",\"input\":[\"a\",\"b\"]}"))
                .build();

        ProviderReply r = ProviderTesting.translate(
                provider,
                embed,
                new HttpReply(
                        200,
                        Map.of(),
                        """
                {"embeddings":[{"values":[0.5,-1.0]},{"values":[0.25,2.0]}]}"""
                                .getBytes(StandardCharsets.UTF_8)));

        assertJson(
                """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1.0]},
                                         {"object":"embedding","index":1,"embedding":[0.25,2.0]}],
                 "model":"gemini-embedding-001","usage":{"prompt_tokens":0,"total_tokens":0}}""",
                r.body());
        assertOpenAi("CreateEmbeddingResponse", r.body());
        assertEquals(
                List.of("usage 0/0: google reported no token count for these embeddings"),
                embed.notes(),
                "no count from Gemini: 0/0, and the trace says why");
    }

    @Test
    void batchEmbeddingsUseGeminisTokenCountWhenItSendsOne() {
        ProviderCall embed = ProviderCall.builder("google", Endpoint.EMBEDDINGS)
                .body(ProviderCalls.object("{\"model\":\"gemini-embedding-001\",\"input\":\"a\"}"))
                .build();

        ProviderReply r = ProviderTesting.translate(
                provider,
                embed,
                new HttpReply(
                        200,
                        Map.of(),
                        """
                {"embeddings":[{"values":[0.5]}],"usageMetadata":{"promptTokenCount":7}}"""
                                .getBytes(StandardCharsets.UTF_8)));

        assertEquals(7, r.body().at("/usage/prompt_tokens").asInt());
        assertEquals(7, r.body().at("/usage/total_tokens").asInt());
        assertTrue(embed.notes().isEmpty(), embed.notes().toString());
    }
}
