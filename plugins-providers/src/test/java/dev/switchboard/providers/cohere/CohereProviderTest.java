package dev.switchboard.providers.cohere;

import static dev.switchboard.providers.common.ProviderTesting.CLOCK;
import static dev.switchboard.providers.common.ProviderTesting.assertValid;
import static dev.switchboard.providers.common.ProviderTesting.assertValidChunks;
import static dev.switchboard.providers.common.ProviderTesting.feedAwkwardly;
import static dev.switchboard.providers.common.ProviderTesting.json;
import static dev.switchboard.providers.common.ProviderTesting.parse;
import static dev.switchboard.providers.common.ProviderTesting.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.OpenAiSamples;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.providers.common.RecordingSink;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CohereProviderTest {
    private final CohereProvider provider = new CohereProvider();

    private static ProviderCall chat(String body) {
        return ProviderCall.builder("cohere", Endpoint.CHAT_COMPLETIONS)
                .body(json(body))
                .options(json("{\"api_key\":\"co-key\"}"))
                .clock(CLOCK)
                .build();
    }

    private static ProviderCall streamCall(boolean includeUsage) {
        ObjectNode body = json(OpenAiSamples.TOOL_TURN);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", includeUsage);
        return ProviderCall.builder("cohere", Endpoint.CHAT_COMPLETIONS).body(body).stream(true)
                .clock(CLOCK)
                .build();
    }

    private ObjectNode prepared(ProviderCall call) {
        return parse(provider.prepare(call).body());
    }

    @Test
    void plainChatGoesToV2ChatWithSystemRoleStopSequencesAndClampedTemperature() {
        ProviderCall call = chat(OpenAiSamples.PLAIN_CHAT.replace("0.2", "1.7"));
        UpstreamRequest r = provider.prepare(call);
        assertEquals("https://api.cohere.com/v2/chat", r.uri().toString());
        assertEquals("Bearer co-key", r.headers().get("authorization"));
        ObjectNode b = parse(r.body());
        assertEquals("system", b.path("messages").get(0).path("role").asText());
        assertEquals("Be terse.", b.path("messages").get(0).path("content").asText());
        assertFalse(b.path("messages").get(1).has("name"));
        assertEquals(64, b.path("max_tokens").asInt());
        assertEquals("[\"END\"]", b.path("stop_sequences").toString());
        assertEquals(1.0, b.path("temperature").asDouble());
        assertFalse(b.has("x_vendor_knob"));
        assertTrue(
                call.notes().contains("dropped x_vendor_knob: not supported by cohere"),
                call.notes().toString());
        assertTrue(
                call.notes().stream().anyMatch(n -> n.startsWith("clamped temperature")),
                call.notes().toString());
        assertTrue(call.notes().contains("dropped messages[].name: not supported by cohere"));
    }

    @Test
    void imagePartsPassAsImageUrlParts() {
        ObjectNode b = prepared(chat(OpenAiSamples.IMAGE_CHAT));
        JsonNode parts = b.path("messages").get(0).path("content");
        assertEquals("text", parts.get(0).path("type").asText());
        assertEquals("image_url", parts.get(1).path("type").asText());
        assertEquals(
                "data:image/png;base64,iVBORw0KGgo=",
                parts.get(1).path("image_url").path("url").asText());
        assertEquals("low", parts.get(1).path("image_url").path("detail").asText());
    }

    @Test
    void toolsToolCallsAndToolResultsMapWithRequiredChoiceAndStrictTools() {
        ProviderCall call = chat(OpenAiSamples.TOOL_TURN);
        ObjectNode b = prepared(call);
        JsonNode assistant = b.path("messages").get(1);
        assertFalse(assistant.has("content"));
        assertEquals(
                "call_abc123", assistant.path("tool_calls").get(0).path("id").asText());
        assertEquals(
                "{\"city\":\"Paris\"}",
                assistant
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asText());
        JsonNode tool = b.path("messages").get(2);
        assertEquals("tool", tool.path("role").asText());
        assertEquals("call_abc123", tool.path("tool_call_id").asText());
        assertEquals(2, b.path("tools").size());
        assertFalse(b.path("tools").get(0).path("function").has("strict"));
        assertTrue(b.path("strict_tools").asBoolean());
        assertEquals("REQUIRED", b.path("tool_choice").asText());
        assertTrue(call.notes().contains("dropped parallel_tool_calls: not supported by cohere"));
    }

    @Test
    void namedToolChoiceKeepsOnlyThatToolAndRequiresIt() {
        ProviderCall call = chat(OpenAiSamples.TOOL_TURN.replace(
                "\"tool_choice\":\"required\"",
                "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"));
        ObjectNode b = prepared(call);
        assertEquals(1, b.path("tools").size());
        assertEquals(
                "get_time", b.path("tools").get(0).path("function").path("name").asText());
        assertEquals("REQUIRED", b.path("tool_choice").asText());
        assertTrue(call.notes().stream().anyMatch(n -> n.contains("cohere cannot name a tool")));
        assertEquals(
                "NONE",
                prepared(chat(OpenAiSamples.TOOL_TURN.replace("\"required\"", "\"none\"")))
                        .path("tool_choice")
                        .asText());
        assertFalse(prepared(chat(OpenAiSamples.TOOL_TURN.replace("\"required\"", "\"auto\"")))
                .has("tool_choice"));
    }

    @Test
    void jsonSchemaBecomesJsonObjectWithRawSchemaAndSeedPasses() {
        ProviderCall call = chat(OpenAiSamples.JSON_SCHEMA_CHAT);
        ObjectNode b = prepared(call);
        assertEquals("json_object", b.path("response_format").path("type").asText());
        assertEquals(
                "object",
                b.path("response_format").path("json_schema").path("type").asText());
        assertEquals(42, b.path("seed").asInt());
        assertFalse(b.has("user"));
        assertTrue(call.notes().contains("dropped user: not supported by cohere"));
    }

    @Test
    void topPIsSentAsPAndTheCallersBodyIsUntouched() {
        ProviderCall call =
                chat("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_p\":1.0,\"n\":1}");
        ObjectNode before = call.body().deepCopy();
        ObjectNode b = prepared(call);
        assertEquals(0.99, b.path("p").asDouble());
        assertFalse(b.has("n"));
        assertEquals(before, call.body());
    }

    @Test
    void unsupportedRoleIsRefusedWithItsPosition() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> provider.prepare(chat(
                        "{\"model\":\"c\",\"messages\":[{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}]}")));
        assertTrue(e.getMessage().contains("messages[0].role"));
        assertEquals(400, e.status());
    }

    @Test
    void textAnswerTranslatesWithUsageAndCachedTokens() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat(OpenAiSamples.PLAIN_CHAT),
                reply(
                        200,
                        """
                {"id":"5a50","finish_reason":"COMPLETE","message":{"role":"assistant",
                 "content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Hello é"}]},
                 "usage":{"billed_units":{"input_tokens":37,"output_tokens":21},"tokens":{"input_tokens":1140,"output_tokens":52},"cached_tokens":1024}}
                """));
        assertEquals(200, r.status());
        ObjectNode b = r.body();
        assertValid("CreateChatCompletionResponse", b);
        assertEquals("chat.completion", b.path("object").asText());
        assertEquals("m-1", b.path("model").asText());
        assertEquals(CLOCK.instant().getEpochSecond(), b.path("created").asLong());
        assertEquals(
                "Hello é",
                b.path("choices").get(0).path("message").path("content").asText());
        assertEquals(
                "hmm",
                b.path("choices")
                        .get(0)
                        .path("message")
                        .path("reasoning_content")
                        .asText(),
                "thinking is reasoning_content, as for Anthropic, Gemini and Bedrock");
        assertEquals("stop", b.path("choices").get(0).path("finish_reason").asText());
        assertEquals(1140, b.path("usage").path("prompt_tokens").asInt());
        assertEquals(52, b.path("usage").path("completion_tokens").asInt());
        assertEquals(1192, b.path("usage").path("total_tokens").asInt());
        assertEquals(
                1024,
                b.path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt());
    }

    @Test
    void toolCallAnswerKeepsArgumentsAsJsonString() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat(OpenAiSamples.TOOL_TURN),
                reply(
                        200,
                        """
                {"id":"x","finish_reason":"TOOL_CALL","message":{"role":"assistant","tool_plan":"I will look it up.",
                 "tool_calls":[{"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 "usage":{"tokens":{"input_tokens":10,"output_tokens":5}}}
                """));
        ObjectNode b = r.body();
        assertValid("CreateChatCompletionResponse", b);
        JsonNode msg = b.path("choices").get(0).path("message");
        assertTrue(msg.path("content").isNull());
        assertEquals(
                "tool_calls", b.path("choices").get(0).path("finish_reason").asText());
        assertEquals(
                "{\"city\":\"Paris\"}",
                msg.path("tool_calls").get(0).path("function").path("arguments").asText());
        assertFalse(msg.has("tool_plan"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAX_TOKENS:length", "STOP_SEQUENCE:stop", "ERROR_TOXIC:content_filter"})
    void finishReasonsMapToOpenAi(String pair) {
        String[] p = pair.split(":");
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat(OpenAiSamples.PLAIN_CHAT),
                reply(
                        200,
                        "{\"id\":\"x\",\"finish_reason\":\"" + p[0]
                                + "\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"cut\"}]}}"));
        assertEquals(p[1], r.body().path("choices").get(0).path("finish_reason").asText());
        assertValid("CreateChatCompletionResponse", r.body());
    }

    @Test
    void failedGenerationBecomesRetryableError() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat(OpenAiSamples.PLAIN_CHAT),
                reply(200, "{\"id\":\"x\",\"finish_reason\":\"ERROR\",\"message\":{\"role\":\"assistant\"}}"));
        assertEquals(500, r.status());
        assertTrue(r.body().path("error").path("message").asText().contains("finish_reason ERROR"));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503, 504})
    void retryableErrorsKeepStatusWithCohereMessage(int status) {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat(OpenAiSamples.PLAIN_CHAT),
                reply(status, "{\"id\":\"e1\",\"message\":\"too many requests\"}"));
        assertEquals(status, r.status());
        assertEquals(
                "cohere error: too many requests",
                r.body().path("error").path("message").asText());
        assertEquals("cohere", r.body().path("provider").asText());
        assertFalse(r.overloaded());
        assertValid("ErrorResponse", r.body());
    }

    private static final String STREAM =
            """
            event: message-start
            data: {"type":"message-start","id":"29f1","delta":{"message":{"role":"assistant"}}}

            event: content-start
            data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}

            event: content-delta
            data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Il fait 18 °C 😀"}}}}

            event: content-end
            data: {"type":"content-end","index":0}

            event: tool-plan-delta
            data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will call two tools"}}}

            event: tool-call-start
            data: {"type":"tool-call-start","index":3,"delta":{"message":{"tool_calls":{"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":""}}}}}

            event: tool-call-delta
            data: {"type":"tool-call-delta","index":3,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\\"city\\":"}}}}}

            event: tool-call-delta
            data: {"type":"tool-call-delta","index":3,"delta":{"message":{"tool_calls":{"function":{"arguments":"\\"Paris\\"}"}}}}}

            event: tool-call-end
            data: {"type":"tool-call-end","index":3}

            event: tool-call-start
            data: {"type":"tool-call-start","index":4,"delta":{"message":{"tool_calls":{"id":"get_time_2","type":"function","function":{"name":"get_time","arguments":"{\\"tz\\":"}}}}}

            event: tool-call-delta
            data: {"type":"tool-call-delta","index":4,"delta":{"message":{"tool_calls":{"function":{"arguments":"\\"CET\\"}"}}}}}

            event: tool-call-end
            data: {"type":"tool-call-end","index":4}

            event: message-end
            data: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":37,"output_tokens":9},"tokens":{"input_tokens":1140,"output_tokens":9},"cached_tokens":100}}}

            """
                    .replace("\n", "\r\n");

    @Test
    void streamInAwkwardSplitsBecomesOpenAiChunksWithStableToolIndexesAndUsage() {
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(streamCall(true)), STREAM, sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertTrue(sink.raw.isEmpty());
        assertValidChunks(sink.chunks);
        ObjectNode first = sink.chunks.get(0);
        assertEquals(
                "assistant",
                first.path("choices").get(0).path("delta").path("role").asText());
        assertEquals("29f1", first.path("id").asText());
        assertTrue(sink.chunks.stream().allMatch(c -> c.path("id").asText().equals("29f1")));
        assertEquals("Il fait 18 °C 😀", sink.text());
        assertEquals("{\"city\":\"Paris\"}", sink.toolArguments(0));
        assertEquals("{\"tz\":\"CET\"}", sink.toolArguments(1));
        ObjectNode finish = sink.chunks.get(sink.chunks.size() - 2);
        assertEquals(
                "tool_calls",
                finish.path("choices").get(0).path("finish_reason").asText());
        ObjectNode usage = sink.chunks.get(sink.chunks.size() - 1);
        assertEquals(0, usage.path("choices").size());
        assertEquals(1140, usage.path("usage").path("prompt_tokens").asInt());
        assertEquals(
                100,
                usage.path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt());
        assertFalse(sink.chunks.toString().contains("I will call two tools"));
    }

    @Test
    void streamedThinkingIsReasoningContent() {
        String wire =
                """
                event: message-start
                data: {"type":"message-start","id":"t1","delta":{"message":{"role":"assistant"}}}

                event: content-start
                data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}

                event: content-delta
                data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"Paris is in France."}}}}

                event: content-end
                data: {"type":"content-end","index":0}

                event: content-start
                data: {"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}}

                event: content-delta
                data: {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"18 °C"}}}}

                event: message-end
                data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"tokens":{"input_tokens":3,"output_tokens":9}}}}

                """;
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(streamCall(false)), wire, sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertEquals("18 °C", sink.text());
        StringBuilder reasoning = new StringBuilder();
        sink.chunks.forEach(
                c -> reasoning.append(c.at("/choices/0/delta/reasoning_content").asText("")));
        assertEquals("Paris is in France.", reasoning.toString());
        assertValidChunks(sink.chunks);
    }

    @Test
    void streamWithoutIncludeUsageEndsOnTheFinishChunk() {
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(streamCall(false)), STREAM, sink);
        ObjectNode last = sink.chunks.get(sink.chunks.size() - 1);
        assertEquals(
                "tool_calls", last.path("choices").get(0).path("finish_reason").asText());
        assertFalse(last.has("usage"));
    }

    @Test
    void streamCutBeforeMessageEndFails() {
        RecordingSink sink = new RecordingSink();
        String cut = STREAM.substring(0, STREAM.indexOf("event: message-end"));
        feedAwkwardly(provider.streamTranslator(streamCall(true)), cut, sink);
        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).contains("ended before message-end"), sink.failures.toString());
    }

    @Test
    void streamMessageEndWithErrorFailsWithCohereMessage() {
        RecordingSink sink = new RecordingSink();
        String wire =
                "event: message-start\ndata: {\"type\":\"message-start\",\"id\":\"a\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}\n\n"
                        + "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\",\"error\":\"internal failure\"}}\n\n";
        feedAwkwardly(provider.streamTranslator(streamCall(true)), wire, sink);
        assertEquals("api_error: cohere error: internal failure", sink.failures.get(0));
    }

    @Test
    void embeddingsMapInputToTextsAndAnswerToOpenAiList() {
        ProviderCall call = ProviderCall.builder("cohere", Endpoint.EMBEDDINGS)
                .body(json("{\"model\":\"embed-v4.0\",\"input\":[\"a\",\"b\"],\"dimensions\":256,\"user\":\"u\"}"))
                .options(json("{\"api_key\":\"k\"}"))
                .build();
        UpstreamRequest req = provider.prepare(call);
        assertEquals("https://api.cohere.com/v2/embed", req.uri().toString());
        ObjectNode b = parse(req.body());
        assertEquals("[\"a\",\"b\"]", b.path("texts").toString());
        assertEquals("search_document", b.path("input_type").asText());
        assertEquals("[\"float\"]", b.path("embedding_types").toString());
        assertEquals(256, b.path("output_dimension").asInt());
        assertTrue(call.notes().contains("dropped user: not supported by cohere embed"));

        ProviderReply r = ProviderTesting.translate(
                provider,
                call,
                reply(
                        200,
                        """
                {"id":"e","embeddings":{"float":[[0.1,0.2],[0.3,0.4]]},"texts":["a","b"],
                 "meta":{"billed_units":{"input_tokens":2}}}"""));
        assertValid("CreateEmbeddingResponse", r.body());
        assertEquals(2, r.body().path("data").size());
        assertEquals(1, r.body().path("data").get(1).path("index").asInt());
        assertEquals(0.3, r.body().path("data").get(1).path("embedding").get(0).asDouble());
        assertEquals(2, r.body().path("usage").path("prompt_tokens").asInt());
    }

    @Test
    void tokenArrayEmbeddingInputIsRefused() {
        ProviderCall call = ProviderCall.builder("cohere", Endpoint.EMBEDDINGS)
                .body(json("{\"model\":\"embed\",\"input\":[[1,2,3]]}"))
                .build();
        assertThrows(ProviderException.class, () -> provider.prepare(call));
    }
}
