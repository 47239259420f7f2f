package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ChatDelta;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayErrorException;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.ToolCallDelta;
import dev.switchboard.api.Usage;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed stream view: text, tool-call fragments, finish reason and usage without parsing chunk JSON. */
class StreamDeltasTest {
    private StubUpstream upstream;

    @BeforeEach
    void start() {
        upstream = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void deltasGiveTheTextTheFinishReasonAndTheUsage() {
        upstream.enqueue(StubResponse.chatStream("Hel", "lo", " there"));
        Gateway g = Gateway.fromConfig(RoutingTest.target(upstream, ""));
        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        Usage usage = null;
        try (EventStream s = g.execute(StreamingTest.streamChat(true)).stream()) {
            for (ChatDelta d : s.deltas()) {
                assertEquals(0, d.choice());
                text.append(d.text());
                d.finish().ifPresent(finishes::add);
                if (d.usage().isPresent()) {
                    usage = d.usage().get();
                }
            }
        }
        assertEquals("Hello there", text.toString());
        assertEquals(List.of("stop"), finishes);
        assertTrue(usage != null && usage.totalTokens() > 0, "the usage chunk is read: " + usage);
    }

    @Test
    void toolCallFragmentsJoinIntoWholeCalls() {
        upstream.enqueue(StubResponse.sse(List.of(
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "[DONE]")));
        Gateway g = Gateway.fromConfig(RoutingTest.target(upstream, ""));
        Map<Integer, StringBuilder> args = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        String finish = null;
        String role = null;
        try (EventStream s = g.execute(StreamingTest.streamChat(false)).stream()) {
            for (ChatDelta d : s.deltas()) {
                assertEquals("", d.text());
                role = role == null ? d.role() : role;
                for (ToolCallDelta t : d.toolCalls()) {
                    args.computeIfAbsent(t.index(), i -> new StringBuilder()).append(t.arguments());
                    if (t.name() != null) {
                        names.put(t.index(), t.name());
                    }
                }
                finish = d.finish().orElse(finish);
            }
        }
        assertEquals("assistant", role);
        assertEquals(Map.of(0, "get_weather"), names);
        assertEquals("{\"city\":\"Paris\"}", args.get(0).toString());
        assertEquals("tool_calls", finish);
    }

    @Test
    void aStreamThatFailsAfterItStartedThrowsAtTheErrorEventInsteadOfLookingComplete() {
        upstream.enqueue(StubResponse.chatStream("one", "two", "three").cutAfterEvents(2));
        Gateway g = Gateway.fromConfig(RoutingTest.target(upstream, ""));
        StringBuilder text = new StringBuilder();
        GatewayErrorException e;
        try (EventStream s = g.execute(StreamingTest.streamChat(false)).stream()) {
            e = assertThrows(GatewayErrorException.class, () -> {
                for (ChatDelta d : s.deltas()) {
                    text.append(d.text());
                }
            });
        }
        assertEquals(502, e.status());
        assertEquals("stream_error", e.type());
        assertTrue(text.length() > 0, "the text before the cut was delivered first");
    }

    @Test
    void eventsThatAreNotChunksGiveNoDeltas() {
        assertEquals(List.of(), ChatDelta.of(ServerSentEvent.DONE));
        assertEquals(List.of(), ChatDelta.of(ServerSentEvent.data("not json")));
        assertEquals(List.of(), ChatDelta.of(ServerSentEvent.data("[1,2]")));
    }

    @Test
    void eachChoiceOfAMultiChoiceChunkIsItsOwnDeltaAndLegacyCompletionTextIsRead() {
        List<ChatDelta> two =
                ChatDelta.of(ServerSentEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},"
                        + "{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}"));
        assertEquals(2, two.size());
        assertEquals("a", two.get(0).text());
        assertNull(two.get(0).finishReason());
        assertEquals(1, two.get(1).choice());
        assertEquals("length", two.get(1).finishReason());
        List<ChatDelta> legacy = ChatDelta.of(ServerSentEvent.data(
                "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"hi\",\"finish_reason\":null}]}"));
        assertEquals("hi", legacy.get(0).text());
    }
}
