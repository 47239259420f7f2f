package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.cache.CachedAnswerEvents;
import dev.switchboard.internal.cache.StreamAssembler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cached answer replayed as a stream, and a stream assembled back into the answer, agree. */
class StreamReplayTest {
    private static final String TOOL_ANSWER =
            "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                    + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\","
                    + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},{\"id\":\"call_2\",\"type\":\"function\",\"function\":"
                    + "{\"name\":\"time\",\"arguments\":\"{}\"}}]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}";

    private static StreamAssembler replay(ObjectNode answer, boolean includeUsage) {
        StreamAssembler a = new StreamAssembler();
        for (ServerSentEvent e : CachedAnswerEvents.of(answer, includeUsage)) {
            if (!e.isDone()) {
                a.accept((ObjectNode) Json.parse(e.data()));
            }
        }
        return a;
    }

    @Test
    void toolCallsSurviveAReplayAndReassembly() {
        ObjectNode answer = (ObjectNode) Json.parse(TOOL_ANSWER);
        assertEquals(answer, replay(answer, true).answer());
    }

    @Test
    void everyReplayedToolCallChunkIsAValidOpenAiStreamChunk() {
        List<ServerSentEvent> events = CachedAnswerEvents.of((ObjectNode) Json.parse(TOOL_ANSWER), true);
        assertTrue(events.get(events.size() - 1).isDone());
        for (ServerSentEvent e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(e.data());
            List<String> problems = StreamSchema.problems(chunk);
            assertTrue(problems.isEmpty(), problems + " in " + e.data());
        }
    }

    @Test
    void aTextCompletionReplaysAsTextCompletionChunks() {
        ObjectNode answer = (ObjectNode) Json.parse("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,"
                + "\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\"Hi there\",\"index\":0,"
                + "\"logprobs\":null,\"finish_reason\":\"length\"}]}");
        List<ServerSentEvent> events = CachedAnswerEvents.of(answer, false);
        assertEquals(
                "text_completion",
                Json.parse(events.get(0).data()).path("object").asText());
        assertEquals(answer, replay(answer, false).answer());
    }

    @Test
    void anAssemblerThatSawNothingHasNoAnswer() {
        assertNull(new StreamAssembler().answer());
    }
}
