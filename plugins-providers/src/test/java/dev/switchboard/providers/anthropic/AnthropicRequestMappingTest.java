package dev.switchboard.providers.anthropic;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertJson;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.UpstreamRequest;
import org.junit.jupiter.api.Test;

class AnthropicRequestMappingTest {
    private final AnthropicProvider provider = new AnthropicProvider();

    private static JsonNode body(UpstreamRequest r) {
        return Json.parse(r.body());
    }

    @Test
    void plainChatPostsToMessagesWithKeyVersionAndHoistedSystemPrompts() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-sonnet-4-5","messages":[
                  {"role":"system","content":"Be terse."},
                  {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
                  {"role":"user","content":"Hello"}]}""",
                        """
                {"api_key":"sk-ant-1","anthropic_beta":"prompt-caching-2024-07-31"}""")
                .forwardedHeader("anthropic-beta", "files-api-2025-04-14")
                .forwardedHeader("x-request-tag", "t1")
                .build();
        String before = call.body().toString();

        UpstreamRequest r = provider.prepare(call);

        assertEquals("POST", r.method());
        assertEquals("https://api.anthropic.com/v1/messages", r.uri().toString());
        assertEquals("sk-ant-1", r.headers().get("x-api-key"));
        assertEquals("2023-06-01", r.headers().get("anthropic-version"));
        assertEquals(
                "prompt-caching-2024-07-31,files-api-2025-04-14", r.headers().get("anthropic-beta"));
        assertEquals("t1", r.headers().get("x-request-tag"));
        assertEquals("application/json", r.headers().get("content-type"));
        assertJson(
                """
                {"model":"claude-sonnet-4-5","max_tokens":4096,"system":"Be terse.\\n\\nAnswer in French.",
                 "messages":[{"role":"user","content":"Hello"}]}""",
                body(r));
        assertEquals(before, call.body().toString(), "the caller's body must not be modified");
    }

    @Test
    void customHostAndVersionOptionReplaceTheDefaults() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":"Hi"}],"stream":true}""",
                        """
                {"custom_host":"http://127.0.0.1:9/v1/","anthropic_version":"2024-01-01"}""")
                .stream(true)
                .build();

        UpstreamRequest r = provider.prepare(call);

        assertEquals("http://127.0.0.1:9/v1/messages", r.uri().toString());
        assertEquals("2024-01-01", r.headers().get("anthropic-version"));
        assertFalse(r.headers().containsKey("x-api-key"));
        assertTrue(body(r).path("stream").asBoolean());
    }

    @Test
    void imagePartsBecomeUrlAndBase64ImageBlocks() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":[
                  {"type":"text","text":"Compare these"},
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]}]}""",
                        "{}")
                .build();

        JsonNode content = body(provider.prepare(call)).path("messages").get(0).path("content");

        assertJson(
                """
                [{"type":"text","text":"Compare these"},
                 {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
                 {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]""",
                content);
    }

    @Test
    void toolsToolCallsAndToolResultsMapToAnthropicBlocks() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","tool_choice":"required","parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                   {"type":"function","function":{"name":"get_time"}}],
                 "messages":[
                  {"role":"user","content":"Weather and time in Paris?"},
                  {"role":"assistant","content":"Checking.","tool_calls":[
                    {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"toolu_2","type":"function","function":{"name":"get_time","arguments":""}}]},
                  {"role":"tool","tool_call_id":"toolu_1","content":"{\\"temp_c\\":18}"},
                  {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"14:00"}]},
                  {"role":"user","content":"Thanks, summarise."}]}""",
                        "{}")
                .build();

        JsonNode b = body(provider.prepare(call));

        assertJson(
                """
                [{"name":"get_weather","description":"Weather",
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
                 {"name":"get_time","input_schema":{"type":"object","properties":{}}}]""",
                b.get("tools"));
        assertJson("{\"type\":\"any\",\"disable_parallel_tool_use\":true}", b.get("tool_choice"));
        assertJson(
                """
                [{"role":"user","content":"Weather and time in Paris?"},
                 {"role":"assistant","content":[{"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                   {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_1","content":"{\\"temp_c\\":18}"},
                   {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"14:00"}]},
                   {"type":"text","text":"Thanks, summarise."}]}]""",
                b.get("messages"));
    }

    @Test
    void namedToolChoiceBecomesToolType() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":"x"}],
                 "tools":[{"type":"function","function":{"name":"f"}}],
                 "tool_choice":{"type":"function","function":{"name":"f"}}}""",
                        "{}")
                .build();

        assertJson(
                "{\"type\":\"tool\",\"name\":\"f\"}",
                body(provider.prepare(call)).get("tool_choice"));
    }

    @Test
    void jsonSchemaResponseFormatUsesNativeStructuredOutputAndSaysSo() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":"x"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,
                   "schema":{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"],
                             "additionalProperties":false}}}}""",
                        "{}")
                .build();

        JsonNode b = body(provider.prepare(call));

        assertJson(
                """
                {"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"integer"}},
                  "required":["a"],"additionalProperties":false}}}""",
                b.get("output_config"));
        assertTrue(
                call.notes().stream().anyMatch(n -> n.contains("output_config.format")),
                call.notes().toString());
    }

    @Test
    void samplingStopUserAndMaxCompletionTokensMapAndUnsupportedFieldsAreDroppedWithNotes() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":"x"}],
                 "max_tokens":100,"max_completion_tokens":200,"temperature":1.6,"top_p":0.9,"top_k":40,
                 "stop":"END","user":"u-42","frequency_penalty":0.5,"presence_penalty":0.1,
                 "logit_bias":{"1":2},"seed":7,"n":2,"stream_options":{"include_usage":true}}""",
                        "{}")
                .build();

        JsonNode b = body(provider.prepare(call));

        assertEquals(200, b.get("max_tokens").asInt());
        assertEquals(1.0, b.get("temperature").asDouble());
        assertEquals(0.9, b.get("top_p").asDouble());
        assertEquals(40, b.get("top_k").asInt());
        assertJson("[\"END\"]", b.get("stop_sequences"));
        assertEquals("u-42", b.path("metadata").path("user_id").asText());
        for (String f : new String[] {"frequency_penalty", "presence_penalty", "logit_bias", "seed", "n"}) {
            assertFalse(b.has(f), f);
            assertTrue(call.notes().stream().anyMatch(n -> n.startsWith("dropped " + f + ":")), f + " " + call.notes());
        }
        assertTrue(call.notes().stream().anyMatch(n -> n.contains("temperature 1.6 clamped to 1.0")));
        assertFalse(
                call.notes().stream().anyMatch(n -> n.contains("stream_options")),
                call.notes().toString());
    }

    @Test
    void reasoningEffortEnablesThinkingAndDropsTemperature() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":"x"}],"reasoning_effort":"medium",
                 "temperature":0.3}""",
                        "{}")
                .build();

        JsonNode b = body(provider.prepare(call));

        assertJson("{\"type\":\"enabled\",\"budget_tokens\":8192}", b.get("thinking"));
        assertTrue(b.get("max_tokens").asInt() > 8192, "max_tokens must exceed the thinking budget");
        assertFalse(b.has("temperature"));
        assertTrue(call.notes().stream().anyMatch(n -> n.startsWith("dropped temperature")));
    }

    @Test
    void malformedToolArgumentsAreRejectedNamingTheField() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"user","content":"x"},
                  {"role":"assistant","tool_calls":[{"id":"t1","type":"function",
                    "function":{"name":"f","arguments":"{not json"}}]}]}""",
                        "{}")
                .build();

        ProviderException e = assertThrows(ProviderException.class, () -> provider.prepare(call));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("messages[1].tool_calls[0].function.arguments"), e.getMessage());
    }

    @Test
    void onlySystemMessagesIsRejected() {
        ProviderCall call = chat(
                        "anthropic",
                        """
                {"model":"claude-x","messages":[{"role":"system","content":"x"}]}""",
                        "{}")
                .build();

        assertThrows(ProviderException.class, () -> provider.prepare(call));
    }
}
