package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CohereWireTest {
    /**
     * Cohere's own OpenAPI file is proprietary and not redistributed; this schema was written for the
     * project from Cohere's API reference (see the file's header).
     */
    private static final String SPEC = "cohere/chat-v2.schema.yaml";
    /** Each stream event is checked against the schema of its {@code type}. */
    private static final Map<String, String> EVENT_SCHEMAS = Map.of(
            "message-start",
            "ChatMessageStartEvent",
            "content-start",
            "ChatContentStartEvent",
            "content-delta",
            "ChatContentDeltaEvent",
            "content-end",
            "ChatContentEndEvent",
            "tool-plan-delta",
            "ChatToolPlanDeltaEvent",
            "tool-call-start",
            "ChatToolCallStartEvent",
            "tool-call-delta",
            "ChatToolCallDeltaEvent",
            "tool-call-end",
            "ChatToolCallEndEvent",
            "message-end",
            "ChatMessageEndEvent");

    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void aChatAnswerIsAValidV2ChatResponse() throws Exception {
        stub.enqueue(CohereWire.chat("Hi"));
        JsonNode r = WireClient.json(WireClient.post(stub, "/v2/chat"));
        WireClient.assertValid(SPEC, "ChatResponseV2", r);
        assertEquals("Hi", r.at("/message/content/0/text").asText());
        assertEquals("COMPLETE", r.path("finish_reason").asText());
    }

    @Test
    void aToolCallCarriesItsArgumentsAsAJsonString() throws Exception {
        stub.enqueue(CohereWire.toolCall("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode r = WireClient.json(WireClient.post(stub, "/v2/chat"));
        WireClient.assertValid(SPEC, "ChatResponseV2", r);
        assertEquals("TOOL_CALL", r.path("finish_reason").asText());
        assertEquals(
                "Paris",
                Json.parse(r.at("/message/tool_calls/0/function/arguments").asText())
                        .path("city")
                        .asText());
    }

    @Test
    void aStreamNamesEveryEventAndRepeatsTheNameInType() throws Exception {
        stub.enqueue(CohereWire.stream("a", "b"));
        List<ServerSentEvent> events =
                WireClient.events(WireClient.post(stub, "/v2/chat").body());
        assertEquals(
                List.of(
                        "message-start",
                        "content-start",
                        "content-delta",
                        "content-delta",
                        "content-end",
                        "message-end"),
                WireClient.names(events));
        for (ServerSentEvent e : events) {
            JsonNode data = Json.parse(e.data());
            assertEquals(e.event(), data.path("type").asText());
            WireClient.assertValid(SPEC, EVENT_SCHEMAS.get(e.event()), data);
        }
    }

    @Test
    void aToolCallStreamSplitsTheArguments() throws Exception {
        stub.enqueue(CohereWire.toolCallStream("get_weather", "{\"city\":\"Paris\"}"));
        List<ServerSentEvent> events =
                WireClient.events(WireClient.post(stub, "/v2/chat").body());
        StringBuilder args = new StringBuilder();
        for (ServerSentEvent e : events) {
            JsonNode data = Json.parse(e.data());
            WireClient.assertValid(SPEC, EVENT_SCHEMAS.get(e.event()), data);
            args.append(data.at("/delta/message/tool_calls/function/arguments").asText(""));
        }
        assertEquals("Paris", Json.parse(args.toString()).path("city").asText());
        assertEquals(
                "TOOL_CALL",
                Json.parse(events.get(events.size() - 1).data())
                        .at("/delta/finish_reason")
                        .asText());
    }

    @Test
    void anErrorHasIdAndMessage() throws Exception {
        stub.enqueue(CohereWire.error(429, "trial key limit"));
        HttpResponse<byte[]> r = WireClient.post(stub, "/v2/chat");
        assertEquals(429, r.statusCode());
        assertEquals("trial key limit", WireClient.json(r).path("message").asText());
    }

    @Test
    void theSchemaRejectsAnOpenAiStyleFinishReasonAWrongRoleAndAnEventOfAnotherType() throws Exception {
        stub.enqueue(CohereWire.chat("Hi"));
        ObjectNode r = (ObjectNode) WireClient.json(WireClient.post(stub, "/v2/chat"));
        r.put("finish_reason", "stop");
        ((ObjectNode) r.get("message")).put("role", "user");
        List<String> problems = WireClient.spec(SPEC).validate("ChatResponseV2", r);
        assertTrue(problems.stream().anyMatch(p -> p.contains("finish_reason")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("role")), problems.toString());
        assertFalse(WireClient.spec(SPEC)
                .validate("ChatContentDeltaEvent", Json.parse("{\"type\":\"content-start\"}"))
                .isEmpty());
    }
}
