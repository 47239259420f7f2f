package dev.switchboard.providers.anthropic;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertJson;
import static dev.switchboard.providers.anthropic.ProviderCalls.assertOpenAi;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicResponseTranslationTest {
    private final AnthropicProvider provider = new AnthropicProvider();
    private final ProviderCall call = chat(
                    "anthropic",
                    "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    "{}")
            .build();

    private ProviderReply translate(int status, String body) {
        return ProviderTesting.translate(
                provider,
                call,
                new HttpReply(
                        status, Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String message(String content, String stopReason, String usage) {
        return "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"content\":" + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
                + "\"usage\":" + usage + "}";
    }

    @Test
    void textBlocksAreJoinedIntoOneAssistantMessage() {
        ProviderReply r = translate(
                200,
                message(
                        """
                [{"type":"text","text":"Hello, "},{"type":"text","text":"world."}]""",
                        "end_turn",
                        "{\"input_tokens\":10,\"output_tokens\":3}"));

        assertEquals(200, r.status());
        JsonNode choice = r.body().path("choices").get(0);
        assertEquals("Hello, world.", choice.path("message").path("content").asText());
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals("stop", choice.path("finish_reason").asText());
        assertEquals("msg_01", r.body().path("id").asText());
        assertEquals("claude-sonnet-4-5-20250929", r.body().path("model").asText());
        assertJson(
                """
                {"prompt_tokens":10,"completion_tokens":3,"total_tokens":13,
                 "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}""",
                r.body().get("usage"));
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void toolUseBlocksBecomeToolCallsWithJsonStringArguments() {
        ProviderReply r = translate(
                200,
                message(
                        """
                [{"type":"thinking","thinking":"User wants weather.","signature":"sig"},
                 {"type":"text","text":"Let me check."},
                 {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},
                 {"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}]""",
                        "tool_use",
                        "{\"input_tokens\":5,\"output_tokens\":9}"));

        JsonNode msg = r.body().path("choices").get(0).path("message");
        assertEquals(
                "tool_calls",
                r.body().path("choices").get(0).path("finish_reason").asText());
        assertEquals("Let me check.", msg.path("content").asText());
        assertEquals("User wants weather.", msg.path("reasoning_content").asText());
        assertJson(
                """
                [{"id":"toolu_01","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                 {"id":"toolu_02","type":"function","function":{"name":"get_time","arguments":"{}"}}]""",
                msg.get("tool_calls"));
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void maxTokensStopIsLength() {
        ProviderReply r = translate(
                200,
                message(
                        "[{\"type\":\"text\",\"text\":\"Once upon\"}]",
                        "max_tokens",
                        "{\"input_tokens\":5,\"output_tokens\":2}"));

        assertEquals(
                "length", r.body().path("choices").get(0).path("finish_reason").asText());
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void refusalStopIsContentFilter() {
        ProviderReply r = translate(200, message("[]", "refusal", "{\"input_tokens\":5,\"output_tokens\":0}"));

        assertEquals(
                "content_filter",
                r.body().path("choices").get(0).path("finish_reason").asText());
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void usageCountsCacheReadsAndWritesAsPromptTokens() {
        ProviderReply r = translate(
                200,
                message(
                        "[{\"type\":\"text\",\"text\":\"ok\"}]",
                        "end_turn",
                        """
                {"input_tokens":296,"cache_creation_input_tokens":50,"cache_read_input_tokens":1024,
                 "output_tokens":61}"""));

        JsonNode u = r.body().get("usage");
        assertEquals(1370, u.path("prompt_tokens").asLong());
        assertEquals(61, u.path("completion_tokens").asLong());
        assertEquals(1431, u.path("total_tokens").asLong());
        assertEquals(1024, u.path("prompt_tokens_details").path("cached_tokens").asLong());
        assertEquals(
                50, u.path("prompt_tokens_details").path("cache_write_tokens").asLong());
        Usage parsed = Usage.fromOpenAi(u);
        assertEquals(1024, parsed.cachedTokens());
        assertEquals(50, parsed.cacheWriteTokens());
        assertOpenAi("CreateChatCompletionResponse", r.body());
    }

    @Test
    void rateLimitIsNormalisedWithStatusKept() {
        ProviderReply r = translate(
                429,
                """
                {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_1"}""");

        assertEquals(429, r.status());
        assertFalse(r.overloaded());
        assertEquals("anthropic", r.body().path("provider").asText());
        assertEquals("rate_limit_error", r.body().path("error").path("type").asText());
        assertTrue(r.body().path("error").path("message").asText().contains("per-minute rate limit"));
        assertOpenAi("ErrorResponse", r.body());
    }

    @Test
    void overloaded529IsFlaggedForRetryWithStatusKept() {
        ProviderReply r = translate(
                529,
                """
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_2"}""");

        assertEquals(529, r.status());
        assertTrue(r.overloaded());
        assertTrue(r.body().path("error").path("message").asText().contains("Overloaded"));
        assertOpenAi("ErrorResponse", r.body());
    }

    @Test
    void serverErrorWithNonJsonBodyKeepsStatusAndText() {
        ProviderReply r = translate(502, "<html>Bad Gateway</html>");

        assertEquals(502, r.status());
        assertFalse(r.overloaded());
        assertTrue(r.body().path("error").path("message").asText().contains("Bad Gateway"));
        assertOpenAi("ErrorResponse", r.body());
    }

    @Test
    void malformedSuccessBodyIsAnInvalidResponse() {
        ProviderReply r = translate(200, "not json");

        assertEquals(502, r.status());
    }
}
