package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiWireTest {
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void aToolCallCompletionIsSchemaValid() throws Exception {
        stub.enqueue(OpenAiWire.toolCall("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode r = WireClient.json(WireClient.post(stub, "/v1/chat/completions"));
        List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", r);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals("tool_calls", r.at("/choices/0/finish_reason").asText());
        assertEquals(
                "{\"city\":\"Paris\"}",
                r.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    }

    @Test
    void aToolCallStreamIsSchemaValidChunksEndingWithUsageAndDone() throws Exception {
        stub.enqueue(OpenAiWire.toolCallStream("get_weather", "{\"city\":\"Paris\"}"));
        List<ServerSentEvent> events =
                WireClient.events(WireClient.post(stub, "/v1/chat/completions").body());
        assertTrue(events.get(events.size() - 1).isDone());
        StringBuilder args = new StringBuilder();
        for (ServerSentEvent e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(e.data());
            List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionStreamResponse", chunk);
            assertTrue(problems.isEmpty(), problems + " " + e.data());
            args.append(
                    chunk.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
        }
        assertEquals("{\"city\":\"Paris\"}", args.toString());
        assertEquals(
                15,
                Json.parse(events.get(events.size() - 2).data())
                        .at("/usage/total_tokens")
                        .asInt());
    }
}
