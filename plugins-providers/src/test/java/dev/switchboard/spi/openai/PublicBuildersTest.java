package dev.switchboard.spi.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.OpenAiSdkCheck;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public answer and chunk builders a plugin author uses produce what OpenAI's own schema accepts
 * ({@code specs/openai/openapi.yaml}), with the fields the gateway reads (usage, finish reason).
 */
class PublicBuildersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static void assertValid(String schema, JsonNode node) {
        List<String> problems = OpenAiSchemas.shared().validate(schema, node);
        assertTrue(problems.isEmpty(), schema + " problems " + problems + " in " + node);
        OpenAiSdkCheck.bySchema(schema, node);
    }

    @Test
    void aTextAnswerIsACompleteChatCompletion() {
        ObjectNode a = ChatCompletions.text("echo-1", "Hello").usage(10, 5).build();
        assertValid("CreateChatCompletionResponse", a);
        assertTrue(
                a.path("id").asText().matches("chatcmpl-[0-9a-f]{24}"),
                a.path("id").asText());
        assertEquals("chat.completion", a.path("object").asText());
        assertTrue(a.path("created").asLong() > 1_700_000_000L);
        assertEquals("echo-1", a.path("model").asText());
        JsonNode choice = a.path("choices").path(0);
        assertEquals(0, choice.path("index").asInt());
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals("Hello", choice.path("message").path("content").asText());
        assertTrue(choice.path("message").path("refusal").isNull());
        assertTrue(choice.path("logprobs").isNull());
        assertEquals("stop", choice.path("finish_reason").asText());
        assertEquals(Usage.of(10, 5), Usage.fromOpenAi(a.get("usage")));
        assertNotEquals(
                a.path("id"), ChatCompletions.text("echo-1", "Hello").build().path("id"), "ids are fresh");
    }

    @Test
    void toolCallsMakeAToolCallsAnswerWithNullContent() {
        ProviderCall call = ProviderCall.builder("acme", Endpoint.CHAT_COMPLETIONS)
                .body((ObjectNode) Json.parse("{\"model\":\"acme-2\",\"messages\":[]}"))
                .clock(CLOCK)
                .build();
        ObjectNode a = ChatCompletions.forCall(call)
                .content("")
                .toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")
                .toolCall("call_2", "get_time", Json.parse("{\"zone\":\"CET\"}"))
                .usage(Usage.of(42, 7))
                .build();
        assertValid("CreateChatCompletionResponse", a);
        assertEquals("acme-2", a.path("model").asText());
        assertEquals(CLOCK.instant().getEpochSecond(), a.path("created").asLong());
        JsonNode msg = a.path("choices").path(0).path("message");
        assertTrue(msg.path("content").isNull(), "OpenAI writes tool-call answers with content null");
        assertEquals(
                "tool_calls", a.path("choices").path(0).path("finish_reason").asText());
        assertEquals("call_2", msg.path("tool_calls").path(1).path("id").asText());
        assertEquals("function", msg.path("tool_calls").path(1).path("type").asText());
        assertEquals(
                "{\"zone\":\"CET\"}",
                msg.path("tool_calls")
                        .path(1)
                        .path("function")
                        .path("arguments")
                        .asText());
    }

    @Test
    void severalChoicesReasoningAndAnExplicitFinishReason() {
        ObjectNode a = ChatCompletions.builder("m")
                .id("chatcmpl-fixed")
                .created(1)
                .choice(0)
                .content("first")
                .reasoning("because")
                .finishReason(FinishReasons.LENGTH)
                .choice(1)
                .content("second")
                .build();
        assertValid("CreateChatCompletionResponse", a);
        assertEquals("chatcmpl-fixed", a.path("id").asText());
        assertEquals(2, a.path("choices").size());
        assertEquals("length", a.path("choices").path(0).path("finish_reason").asText());
        assertEquals(
                "because",
                a.path("choices")
                        .path(0)
                        .path("message")
                        .path("reasoning_content")
                        .asText());
        assertEquals(1, a.path("choices").path(1).path("index").asInt());
        assertEquals("stop", a.path("choices").path(1).path("finish_reason").asText());
        assertFalse(a.has("usage"), "no usage given, none invented");
    }

    @Test
    void chunksOfABuilderAreValidStreamChunksOfOneStream() {
        ChunkBuilder chunks = new ChunkBuilder("chatcmpl-1", "command-a", 1_767_225_600L);
        List<ObjectNode> all = List.of(
                chunks.role(),
                chunks.content("Hello"),
                chunks.reasoning("hm"),
                chunks.toolCallStart(0, "call_1", "get_weather", ""),
                chunks.toolCallArguments(0, "{\"city\":"),
                chunks.toolCallArguments(0, "\"Paris\"}"),
                chunks.finish(FinishReasons.TOOL_CALLS),
                chunks.forChoice(1).content("Hi"),
                chunks.usage(Usage.of(10, 5)));
        for (ObjectNode c : all) {
            assertValid("CreateChatCompletionStreamResponse", c);
            assertEquals("chatcmpl-1", c.path("id").asText());
            assertEquals("chat.completion.chunk", c.path("object").asText());
        }
        assertEquals(1, all.get(7).path("choices").path(0).path("index").asInt());
        assertTrue(all.get(8).path("choices").isEmpty());
        assertEquals(15, all.get(8).path("usage").path("total_tokens").asInt());
    }

    @Test
    void chunkBuilderForACallUsesTheRequestModelAndTheCallClock() {
        ProviderCall call = ProviderCall.builder("echo", Endpoint.CHAT_COMPLETIONS)
                .body((ObjectNode) Json.parse("{\"model\":\"echo-1\"}"))
                .clock(CLOCK)
                .build();
        ChunkBuilder chunks = ChunkBuilder.forCall(call);
        assertEquals("echo-1", chunks.model());
        assertEquals(CLOCK.instant().getEpochSecond(), chunks.created());
        assertTrue(chunks.id().startsWith("chatcmpl-"));
    }

    @Test
    void anAnswerTurnedIntoChunksStreamsTheSameAnswer() {
        ObjectNode a = ChatCompletions.builder("m")
                .content("Hello there")
                .usage(3, 2)
                .choice(1)
                .toolCall("call_9", "lookup", "{\"q\":1}")
                .build();
        List<ObjectNode> chunks = ChatCompletions.toChunks(a, true);
        chunks.forEach(c -> assertValid("CreateChatCompletionStreamResponse", c));
        OpenAiSdkCheck.Stream sdk = OpenAiSdkCheck.stream();
        chunks.forEach(sdk::accept);
        com.openai.models.chat.completions.ChatCompletion back = sdk.completion();
        assertEquals(2, back.choices().size());
        assertEquals("Hello there", back.choices().get(0).message().content().orElseThrow());
        assertEquals(
                "{\"q\":1}",
                back.choices()
                        .get(1)
                        .message()
                        .toolCalls()
                        .orElseThrow()
                        .get(0)
                        .asFunction()
                        .function()
                        .arguments());
        StringBuilder text = new StringBuilder();
        String toolArgs = null;
        for (ObjectNode c : chunks) {
            assertEquals(a.path("id").asText(), c.path("id").asText());
            JsonNode ch = c.path("choices").path(0);
            if (ch.path("index").asInt() == 0
                    && ch.path("delta").path("content").isTextual()) {
                text.append(ch.path("delta").path("content").asText());
            }
            if (ch.path("delta").has("tool_calls")) {
                toolArgs = ch.path("delta")
                        .path("tool_calls")
                        .path(0)
                        .path("function")
                        .path("arguments")
                        .asText();
            }
        }
        assertEquals("Hello there", text.toString());
        assertEquals("{\"q\":1}", toolArgs);
        ObjectNode last = chunks.get(chunks.size() - 1);
        assertEquals(Usage.of(3, 2), Usage.fromOpenAi(last.get("usage")));
        assertNull(
                ChatCompletions.toChunks(a, false).stream()
                        .filter(c -> c.has("usage"))
                        .findAny()
                        .orElse(null),
                "no usage chunk unless asked for");
        long finishes = chunks.stream()
                .filter(c -> c.path("choices").path(0).path("finish_reason").isTextual())
                .count();
        assertEquals(2, finishes, "one finish chunk per choice");
    }

    @Test
    void aOneChoiceAnswerTurnedIntoChunksIsAccumulatedByTheOpenAiSdkIntoTheSameAnswer() {
        ObjectNode a = ChatCompletions.builder("m")
                .content("Hello there")
                .toolCall("call_9", "lookup", "{\"q\":1}")
                .usage(3, 2)
                .build();
        OpenAiSdkCheck.Stream sdk = OpenAiSdkCheck.stream();
        ChatCompletions.toChunks(a, true).forEach(sdk::accept);
        com.openai.models.chat.completions.ChatCompletion back = sdk.completion();
        assertEquals(a.path("id").asText(), back.id());
        assertEquals("Hello there", back.choices().get(0).message().content().orElseThrow());
        assertEquals(
                "{\"q\":1}",
                back.choices()
                        .get(0)
                        .message()
                        .toolCalls()
                        .orElseThrow()
                        .get(0)
                        .asFunction()
                        .function()
                        .arguments());
        assertEquals("tool_calls", back.choices().get(0).finishReason().asString());
        assertEquals(5, back.usage().orElseThrow().totalTokens());
    }

    @Test
    void finishReasonHelpers() {
        assertTrue(FinishReasons.isOpenAi("tool_calls"));
        assertFalse(FinishReasons.isOpenAi("end_turn"));
        assertEquals("length", FinishReasons.openAiLike("model_length"));
        assertNull(FinishReasons.openAiLike("error"));
        assertEquals("stop", FinishReasons.openAiLike("something_new"));
    }
}
