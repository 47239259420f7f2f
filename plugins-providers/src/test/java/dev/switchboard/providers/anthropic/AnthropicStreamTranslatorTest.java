package dev.switchboard.providers.anthropic;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertJson;
import static dev.switchboard.providers.anthropic.ProviderCalls.assertOpenAi;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static dev.switchboard.providers.anthropic.ProviderCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ProviderCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamTranslatorTest {
    /** Text with a multi-byte character, then two tool calls (content blocks 1 and 2), in CRLF framing. */
    static final String TWO_TOOLS = String.join(
            "\r\n",
            "event: message_start",
            "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":296,\"cache_creation_input_tokens\":4,\"cache_read_input_tokens\":1024,\"output_tokens\":1}}}",
            "",
            "event: content_block_start",
            "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "",
            "event: ping",
            "data: {\"type\":\"ping\"}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"It is 18 °C — \"}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"checking ☀\"}}",
            "",
            "event: content_block_stop",
            "data: {\"type\":\"content_block_stop\",\"index\":0}",
            "",
            "event: content_block_start",
            "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_A\",\"name\":\"get_weather\",\"input\":{}}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Pa\"}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ris\\\"}\"}}",
            "",
            "event: content_block_stop",
            "data: {\"type\":\"content_block_stop\",\"index\":1}",
            "",
            "event: content_block_start",
            "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_B\",\"name\":\"get_time\",\"input\":{}}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"tz\\\":\\\"CET\\\"}\"}}",
            "",
            "event: content_block_stop",
            "data: {\"type\":\"content_block_stop\",\"index\":2}",
            "",
            "event: message_delta",
            "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":61}}",
            "",
            "event: message_stop",
            "data: {\"type\":\"message_stop\"}",
            "",
            "");

    private static ProviderCall call(boolean includeUsage) {
        return chat(
                        "anthropic",
                        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[],\"stream\":true"
                                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}",
                        "{}")
                .stream(true)
                .build();
    }

    private static RecordingSink run(String wire, int slice, boolean includeUsage) {
        return RecordingSink.feed(new AnthropicStreamTranslator(call(includeUsage)), wire, slice);
    }

    @Test
    void twoToolStreamKeepsGatewayToolIndexesWhateverTheByteSplits() {
        RecordingSink whole = run(TWO_TOOLS, Integer.MAX_VALUE, true);
        for (int slice : new int[] {1, 2, 3, 5, 7, 64}) {
            assertEquals(whole.chunks, run(TWO_TOOLS, slice, true).chunks, "slice size " + slice);
        }

        assertTrue(whole.failures.isEmpty(), whole.failures.toString());
        List<ObjectNode> c = whole.chunks;
        assertEquals("assistant", delta(c.get(0)).path("role").asText());
        assertEquals("It is 18 °C — checking ☀", whole.text());

        List<JsonNode> toolDeltas = new ArrayList<>();
        c.forEach(chunk -> delta(chunk).path("tool_calls").forEach(toolDeltas::add));
        assertJson(
                """
                [{"index":0,"id":"toolu_A","type":"function","function":{"name":"get_weather","arguments":""}},
                 {"index":0,"function":{"arguments":"{\\"city\\": \\"Pa"}},
                 {"index":0,"function":{"arguments":"ris\\"}"}},
                 {"index":1,"id":"toolu_B","type":"function","function":{"name":"get_time","arguments":""}},
                 {"index":1,"function":{"arguments":"{\\"tz\\":\\"CET\\"}"}}]""",
                json(toolDeltas.toString()));

        ObjectNode finish = c.get(c.size() - 2);
        assertEquals(
                "tool_calls",
                finish.path("choices").get(0).path("finish_reason").asText());
        assertEquals(0, delta(finish).size(), "the finish chunk has an empty delta");

        ObjectNode usage = c.get(c.size() - 1);
        assertEquals(0, usage.path("choices").size());
        assertEquals(1324, usage.path("usage").path("prompt_tokens").asLong());
        assertEquals(61, usage.path("usage").path("completion_tokens").asLong());
        assertEquals(
                1024,
                usage.path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asLong());

        for (ObjectNode chunk : c) {
            assertEquals("msg_01", chunk.path("id").asText());
            assertOpenAi("CreateChatCompletionStreamResponse", chunk);
        }
        assertFalse(c.stream().anyMatch(chunk -> chunk.toString().contains("[DONE]")));
    }

    @Test
    void usageChunkIsOmittedWhenTheCallerDidNotAskButUsageIsStillCounted() {
        AnthropicStreamTranslator t = new AnthropicStreamTranslator(call(false));
        RecordingSink sink = RecordingSink.feed(t, TWO_TOOLS, 11);

        assertTrue(sink.chunks.stream().noneMatch(c -> c.has("usage")));
        assertEquals(
                "tool_calls",
                sink.chunks
                        .get(sink.chunks.size() - 1)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText());
        assertEquals(1324, t.usage().promptTokens());
        assertEquals(61, t.usage().completionTokens());
    }

    @Test
    void streamCutBeforeMessageStopFails() {
        String cut = TWO_TOOLS.substring(0, TWO_TOOLS.indexOf("event: message_delta"));

        RecordingSink sink = run(cut, 9, true);

        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).startsWith("stream_error:"), sink.failures.toString());
    }

    @Test
    void errorEventMidStreamFailsWithItsType() {
        String wire = TWO_TOOLS.substring(0, TWO_TOOLS.indexOf("event: content_block_stop"))
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";

        RecordingSink sink = run(wire, 4, true);

        assertEquals(List.of("overloaded_error: anthropic error: Overloaded"), sink.failures);
        assertEquals("It is 18 °C — checking ☀", sink.text());
    }

    @Test
    void aToolCallWithoutInputStreamsEmptyObjectArgumentsAsOpenAiDoes() {
        String wire = String.join(
                "\n",
                "event: message_start",
                "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}",
                "",
                "event: content_block_start",
                "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_N\",\"name\":\"get_time\",\"input\":{}}}",
                "",
                "event: content_block_delta",
                "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}",
                "",
                "event: content_block_stop",
                "data: {\"type\":\"content_block_stop\",\"index\":0}",
                "",
                "event: message_delta",
                "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":12}}",
                "",
                "event: message_stop",
                "data: {\"type\":\"message_stop\"}",
                "",
                "");

        RecordingSink sink = run(wire, 5, true);

        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        StringBuilder arguments = new StringBuilder();
        sink.chunks.forEach(c -> delta(c).path("tool_calls")
                .forEach(t ->
                        arguments.append(t.path("function").path("arguments").asText(""))));
        assertEquals("{}", arguments.toString(), "accumulated arguments are JSON, as OpenAI streams them");
        assertEquals(
                "tool_calls",
                sink.chunks
                        .get(sink.chunks.size() - 2)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText());
    }

    private static JsonNode delta(ObjectNode chunk) {
        return chunk.path("choices").path(0).path("delta");
    }
}
