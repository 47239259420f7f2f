package dev.switchboard.providers.google;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertOpenAi;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.providers.anthropic.RecordingSink;
import dev.switchboard.spi.ProviderCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamTranslatorTest {
    /** Two text deltas (multi-byte characters), then two whole function calls and the finish, CRLF-framed. */
    static final String TWO_CALLS = String.join(
            "\r\n",
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"It is 18 °C \"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1320,\"totalTokenCount\":1320},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}",
            "",
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"— let me check ☀\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1320,\"totalTokenCount\":1320},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}",
            "",
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}},{\"functionCall\":{\"name\":\"get_time\",\"args\":{\"tz\":\"CET\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1320,\"candidatesTokenCount\":11,\"thoughtsTokenCount\":5,\"totalTokenCount\":1336,\"cachedContentTokenCount\":1024},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}",
            "",
            "");

    private static ProviderCall call(boolean includeUsage) {
        return chat(
                        "google",
                        "{\"model\":\"gemini-2.5-flash\",\"messages\":[],\"stream\":true"
                                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}",
                        "{}")
                .stream(true)
                .build();
    }

    private static RecordingSink run(String wire, int slice) {
        return RecordingSink.feed(new GeminiProvider().streamTranslator(call(true)), wire, slice);
    }

    @Test
    void twoFunctionCallsGetIndexesZeroAndOneWhateverTheByteSplits() {
        RecordingSink whole = run(TWO_CALLS, Integer.MAX_VALUE);
        for (int slice : new int[] {1, 2, 3, 7, 50}) {
            RecordingSink split = run(TWO_CALLS, slice);
            assertEquals(shape(whole.chunks), shape(split.chunks), "slice size " + slice);
        }

        assertTrue(whole.failures.isEmpty(), whole.failures.toString());
        List<ObjectNode> c = whole.chunks;
        assertEquals("assistant", delta(c.get(0)).path("role").asText());
        assertEquals("It is 18 °C — let me check ☀", whole.text());
        List<JsonNode> calls = new ArrayList<>();
        c.forEach(chunk -> delta(chunk).path("tool_calls").forEach(calls::add));
        assertEquals(2, calls.size());
        assertEquals(0, calls.get(0).path("index").asInt());
        assertEquals("get_weather", calls.get(0).path("function").path("name").asText());
        assertEquals(
                "{\"city\":\"Paris\"}",
                calls.get(0).path("function").path("arguments").asText());
        assertEquals(1, calls.get(1).path("index").asInt());
        assertTrue(calls.get(1).path("id").asText().startsWith("call_"));

        ObjectNode finish = c.get(c.size() - 2);
        assertEquals(
                "tool_calls",
                finish.path("choices").get(0).path("finish_reason").asText());
        assertEquals(0, delta(finish).size());
        JsonNode usage = c.get(c.size() - 1).path("usage");
        assertEquals(1320, usage.path("prompt_tokens").asLong());
        assertEquals(16, usage.path("completion_tokens").asLong());
        assertEquals(
                1024, usage.path("prompt_tokens_details").path("cached_tokens").asLong());
        assertEquals(
                5,
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong());
        for (ObjectNode chunk : c) {
            assertEquals("r-1", chunk.path("id").asText());
            assertOpenAi("CreateChatCompletionStreamResponse", chunk);
        }
    }

    @Test
    void eachCandidateStreamsUnderItsOwnChoiceIndex() {
        String wire = String.join(
                "\r\n",
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A\"}]},\"index\":0},"
                        + "{\"content\":{\"parts\":[{\"text\":\"B\"}]},\"finishReason\":\"STOP\",\"index\":1}],\"responseId\":\"r-2\"}",
                "",
                "data: {\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"STOP\",\"index\":0}],\"responseId\":\"r-2\"}",
                "",
                "");

        RecordingSink sink = run(wire, Integer.MAX_VALUE);

        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        List<String> seen = new ArrayList<>();
        for (ObjectNode chunk : sink.chunks) {
            JsonNode choice = chunk.path("choices").path(0);
            if (!choice.isMissingNode()) {
                seen.add(choice.path("index").asInt() + ":"
                        + choice.path("delta").path("content").asText("") + ":"
                        + choice.path("finish_reason").asText(""));
            }
        }
        assertEquals(List.of("0::", "0:A:", "1::", "1:B:", "1::stop", "0::stop"), seen);
    }

    @Test
    void usageChunkIsOmittedWhenTheCallerDidNotAsk() {
        RecordingSink sink = RecordingSink.feed(new GeminiProvider().streamTranslator(call(false)), TWO_CALLS, 13);

        assertTrue(sink.failures.isEmpty());
        assertTrue(sink.chunks.stream().noneMatch(c -> c.has("usage")));
    }

    @Test
    void streamEndingWithoutFinishReasonFails() {
        String cut = TWO_CALLS.substring(0, TWO_CALLS.lastIndexOf("data:"));

        RecordingSink sink = run(cut, 5);

        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).startsWith("stream_error:"), sink.failures.toString());
    }

    @Test
    void aMalformedFunctionCallFailsTheStream() {
        String wire = TWO_CALLS.substring(0, TWO_CALLS.lastIndexOf("data:"))
                + "data: {\"candidates\":[{\"content\":{},\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"index\":0}],"
                + "\"responseId\":\"r-1\"}\r\n\r\n";

        RecordingSink sink = run(wire, 6);

        assertEquals(
                List.of("api_error: google error: generation failed (finishReason MALFORMED_FUNCTION_CALL)"),
                sink.failures);
        assertTrue(
                sink.chunks.stream()
                        .noneMatch(c ->
                                c.path("choices").path(0).path("finish_reason").isTextual()),
                "no stop chunk that would make the stream look finished");
    }

    @Test
    void errorEventMidStreamFails() {
        String wire = TWO_CALLS.substring(0, TWO_CALLS.lastIndexOf("data:"))
                + "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n";

        RecordingSink sink = run(wire, 6);

        assertEquals(List.of("UNAVAILABLE: google error: The model is overloaded."), sink.failures);
    }

    /** Chunks without the generated tool-call ids, which differ per run. */
    private static String shape(List<ObjectNode> chunks) {
        return chunks.toString().replaceAll("call_[0-9a-f]{24}", "call_*");
    }

    private static JsonNode delta(ObjectNode chunk) {
        return chunk.path("choices").path(0).path("delta");
    }
}
