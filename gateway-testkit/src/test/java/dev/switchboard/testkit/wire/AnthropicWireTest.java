package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubUpstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicWireTest {
    private static final String SPEC = "anthropic/openapi.json";
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void aTextMessageIsAValidAnthropicMessage() throws Exception {
        stub.enqueue(AnthropicWire.message("Hi there"));
        HttpResponse<byte[]> r = WireClient.post(stub, "/v1/messages");
        assertEquals(200, r.statusCode());
        JsonNode m = WireClient.json(r);
        WireClient.assertValid(SPEC, "Message", m);
        assertEquals("Hi there", m.at("/content/0/text").asText());
        assertEquals("end_turn", m.path("stop_reason").asText());
        assertEquals(
                AnthropicWire.REQUEST_ID, r.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void aToolUseMessageCarriesTheArgumentsAsAnInputObject() throws Exception {
        stub.enqueue(AnthropicWire.toolUse("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode m = WireClient.json(WireClient.post(stub, "/v1/messages"));
        WireClient.assertValid(SPEC, "Message", m);
        assertEquals("tool_use", m.at("/content/0/type").asText());
        assertEquals("Paris", m.at("/content/0/input/city").asText());
        assertEquals("tool_use", m.path("stop_reason").asText());
    }

    @Test
    void aStreamSendsTheEventTypedSequenceAndEveryEventMatchesTheSpec() throws Exception {
        stub.enqueue(AnthropicWire.stream("Hel", "lo"));
        HttpResponse<byte[]> r = WireClient.post(stub, "/v1/messages");
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<ServerSentEvent> events = WireClient.events(r.body());
        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                WireClient.names(events));
        for (ServerSentEvent e : events) {
            JsonNode data = Json.parse(e.data());
            assertEquals(e.event(), data.path("type").asText(), "data.type repeats the event name");
            WireClient.assertValid(SPEC, "MessageStreamEvent", data);
        }
        assertEquals("lo", Json.parse(events.get(4).data()).at("/delta/text").asText());
    }

    @Test
    void aToolUseStreamSplitsTheInputJsonIntoPiecesThatJoinToTheArguments() throws Exception {
        stub.enqueue(AnthropicWire.toolUseStream("get_weather", "{\"city\":\"Paris\"}"));
        List<ServerSentEvent> events =
                WireClient.events(WireClient.post(stub, "/v1/messages").body());
        StringBuilder json = new StringBuilder();
        for (ServerSentEvent e : events) {
            JsonNode data = Json.parse(e.data());
            WireClient.assertValid(SPEC, "MessageStreamEvent", data);
            json.append(data.at("/delta/partial_json").asText(""));
        }
        assertEquals("Paris", Json.parse(json.toString()).path("city").asText());
        assertEquals(
                "tool_use",
                Json.parse(events.get(events.size() - 2).data())
                        .at("/delta/stop_reason")
                        .asText());
    }

    @Test
    void overloadedIs529WithAnOverloadedErrorEnvelope() throws Exception {
        stub.enqueue(AnthropicWire.overloaded());
        HttpResponse<byte[]> r = WireClient.post(stub, "/v1/messages");
        assertEquals(529, r.statusCode());
        JsonNode body = WireClient.json(r);
        WireClient.assertValid(SPEC, "ErrorResponse", body);
        assertEquals("overloaded_error", body.at("/error/type").asText());
    }

    @Test
    void aMidStreamErrorEndsTheStreamWithAnErrorEvent() throws Exception {
        stub.enqueue(AnthropicWire.streamError("overloaded_error", "Overloaded", "partial"));
        List<ServerSentEvent> events =
                WireClient.events(WireClient.post(stub, "/v1/messages").body());
        ServerSentEvent last = events.get(events.size() - 1);
        assertEquals("error", last.event());
        assertEquals(
                "overloaded_error", Json.parse(last.data()).at("/error/type").asText());
    }

    @Test
    void theStubsFaultsApplyToAWireStream() {
        stub.enqueue(AnthropicWire.stream("a", "b").cutAfterEvents(2));
        assertThrows(IOException.class, () -> WireClient.post(stub, "/v1/messages"));
        assertEquals(1, stub.hits("/v1/messages"));
    }

    @Test
    void toolArgumentsThatAreNotAJsonObjectAreRefusedWithTheValueNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicWire.toolUse("f", "[1]"));
        assertTrue(e.getMessage().contains("[1]"), e.getMessage());
    }
}
