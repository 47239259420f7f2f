package dev.switchboard.providers.google;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertJson;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.anthropic.ProviderCalls;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.UpstreamRequest;
import org.junit.jupiter.api.Test;

class GeminiRequestMappingTest {
    private final GeminiProvider provider = new GeminiProvider();

    private static JsonNode body(UpstreamRequest r) {
        return Json.parse(r.body());
    }

    @Test
    void plainChatPostsGenerateContentWithKeyHeaderAndSystemInstruction() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"gemini-2.5-flash","messages":[
                  {"role":"system","content":"Be terse."},
                  {"role":"developer","content":"Answer in French."},
                  {"role":"user","content":"Hello"},
                  {"role":"assistant","content":"Bonjour"},
                  {"role":"user","content":[{"type":"text","text":"Again"}]}],
                 "max_completion_tokens":512,"temperature":1.4,"top_p":0.9,"stop":["END"],"seed":3,"n":2}""",
                        "{\"api_key\":\"AIza-1\"}")
                .forwardedHeader("x-trace", "abc")
                .build();

        UpstreamRequest r = provider.prepare(call);

        assertEquals(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
                r.uri().toString());
        assertEquals("AIza-1", r.headers().get("x-goog-api-key"));
        assertEquals("abc", r.headers().get("x-trace"));
        assertFalse(r.uri().toString().contains("key="), "the key stays out of the URL");
        assertJson(
                """
                {"contents":[{"role":"user","parts":[{"text":"Hello"}]},
                             {"role":"model","parts":[{"text":"Bonjour"}]},
                             {"role":"user","parts":[{"text":"Again"}]}],
                 "systemInstruction":{"parts":[{"text":"Be terse.\\n\\nAnswer in French."}]},
                 "generationConfig":{"maxOutputTokens":512,"temperature":1.4,"topP":0.9,"seed":3,
                   "stopSequences":["END"],"candidateCount":2}}""",
                body(r));
    }

    @Test
    void streamingUsesStreamGenerateContentWithSse() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],"stream":true,
                 "stream_options":{"include_usage":true}}""",
                        "{\"api_key\":\"k\"}")
                .stream(true)
                .build();

        UpstreamRequest r = provider.prepare(call);

        assertEquals(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
                        + ":streamGenerateContent?alt=sse",
                r.uri().toString());
        assertTrue(call.notes().isEmpty(), call.notes().toString());
    }

    @Test
    void imagePartsBecomeInlineDataOrFileDataAndWebUrlsAreDroppedWithANote() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"gemini-2.5-flash","messages":[{"role":"user","content":[
                  {"type":"text","text":"Describe"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo"}},
                  {"type":"image_url","image_url":{"url":"gs://bucket/cat.webp"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/dog.jpg"}}]}]}""",
                        "{}")
                .build();

        JsonNode parts = body(provider.prepare(call)).path("contents").get(0).path("parts");

        assertJson(
                """
                [{"text":"Describe"},
                 {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo"}},
                 {"fileData":{"mimeType":"image/webp","fileUri":"gs://bucket/cat.webp"}}]""",
                parts);
        assertTrue(
                call.notes().stream().anyMatch(n -> n.startsWith("dropped messages[0].content[3]")),
                call.notes().toString());
    }

    @Test
    void toolsToolCallsAndToolResultsMapToFunctionDeclarationsCallsAndResponses() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"gemini-2.5-flash",
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","strict":true,
                   "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                     "additionalProperties":false,
                     "properties":{"city":{"type":"string"},
                                   "additionalProperties":{"type":"object","additionalProperties":false}},
                     "required":["city"]}}}],
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}},
                 "messages":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"{\\"temp_c\\":18}"},
                  {"role":"tool","tool_call_id":"call_2","content":"sunny"}]}""",
                        "{}")
                .build();

        JsonNode b = body(provider.prepare(call));

        assertJson(
                """
                [{"functionDeclarations":[{"name":"get_weather","description":"Weather",
                  "parametersJsonSchema":{"type":"object",
                    "properties":{"city":{"type":"string"},"additionalProperties":{"type":"object"}},
                    "required":["city"]}}]}]""",
                b.get("tools"));
        assertJson(
                """
                {"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}""",
                b.get("toolConfig"));
        assertJson(
                """
                [{"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
                 {"role":"model","parts":[
                   {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                   {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},
                 {"role":"user","parts":[
                   {"functionResponse":{"name":"get_weather","response":{"temp_c":18}}},
                   {"functionResponse":{"name":"get_weather","response":{"result":"sunny"}}}]}]""",
                b.get("contents"));
    }

    @Test
    void toolChoiceStringsMapToCallingModes() {
        for (String[] c : new String[][] {{"auto", "AUTO"}, {"none", "NONE"}, {"required", "ANY"}}) {
            ProviderCall call = chat(
                            "google",
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\""
                                    + c[0] + "\"}",
                            "{}")
                    .build();
            assertEquals(
                    c[1],
                    body(provider.prepare(call))
                            .path("toolConfig")
                            .path("functionCallingConfig")
                            .path("mode")
                            .asText(),
                    c[0]);
        }
    }

    @Test
    void toolResultForAnUnknownCallIdIsRejected() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"m","messages":[{"role":"user","content":"x"},
                  {"role":"tool","tool_call_id":"call_missing","content":"1"}]}""",
                        "{}")
                .build();

        ProviderException e = assertThrows(ProviderException.class, () -> provider.prepare(call));
        assertTrue(e.getMessage().contains("call_missing"), e.getMessage());
    }

    @Test
    void jsonSchemaResponseFormatUsesResponseJsonSchema() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"gemini-2.5-flash","messages":[{"role":"user","content":"x"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"a","strict":true,
                   "schema":{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"],
                             "additionalProperties":false}}}}""",
                        "{}")
                .build();

        JsonNode gen = body(provider.prepare(call)).get("generationConfig");

        assertJson(
                """
                {"responseMimeType":"application/json",
                 "responseJsonSchema":{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"],
                   "additionalProperties":false}}""",
                gen);
        assertTrue(call.notes().stream().anyMatch(n -> n.contains("responseJsonSchema")));
    }

    @Test
    void reasoningEffortSetsThinkingBudgetAndUnsupportedFieldsAreNoted() {
        ProviderCall call = chat(
                        "google",
                        """
                {"model":"gemini-2.5-flash","messages":[{"role":"user","content":"x"}],"reasoning_effort":"low",
                 "user":"u1","logit_bias":{"1":1},"parallel_tool_calls":false}""",
                        "{}")
                .build();

        JsonNode b = body(provider.prepare(call));

        assertJson("{\"thinkingBudget\":1024}", b.path("generationConfig").path("thinkingConfig"));
        for (String f : new String[] {"user", "logit_bias", "parallel_tool_calls"}) {
            assertTrue(call.notes().stream().anyMatch(n -> n.startsWith("dropped " + f + ":")), f);
        }
    }

    @Test
    void embeddingsUseBatchEmbedContents() {
        ProviderCall call = ProviderCall.builder("google", Endpoint.EMBEDDINGS)
                .body(ProviderCalls.object(
                        "{\"model\":\"gemini-embedding-001\",\"input\":[\"a\",\"b\"],\"dimensions\":8}"))
                .options(ProviderCalls.object("{\"api_key\":\"k\"}"))
                .build();

        UpstreamRequest r = provider.prepare(call);

        assertEquals(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents",
                r.uri().toString());
        assertJson(
                """
                {"requests":[
                  {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"outputDimensionality":8},
                  {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},"outputDimensionality":8}]}""",
                body(r));
    }
}
