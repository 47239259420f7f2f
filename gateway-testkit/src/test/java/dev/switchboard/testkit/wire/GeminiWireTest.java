package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubUpstream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GeminiWireTest {
    private static final String SPEC = "gemini/openapi.v1beta.json";
    private static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private final StubUpstream stub = StubUpstream.start();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void aTextAnswerIsAValidGenerateContentResponse() throws Exception {
        stub.enqueue(GeminiWire.text("Hi"));
        JsonNode r = WireClient.json(WireClient.post(stub, PATH));
        WireClient.assertValid(SPEC, "GenerateContentResponse", r);
        assertEquals("Hi", r.at("/candidates/0/content/parts/0/text").asText());
        assertEquals("STOP", r.at("/candidates/0/finishReason").asText());
        assertEquals(15, r.at("/usageMetadata/totalTokenCount").asInt());
    }

    @Test
    void aFunctionCallIsAWholeFunctionCallPartWithStop() throws Exception {
        stub.enqueue(GeminiWire.functionCall("get_weather", "{\"city\":\"Paris\"}"));
        JsonNode r = WireClient.json(WireClient.post(stub, PATH));
        WireClient.assertValid(SPEC, "GenerateContentResponse", r);
        assertEquals(
                "get_weather",
                r.at("/candidates/0/content/parts/0/functionCall/name").asText());
        assertEquals(
                "Paris",
                r.at("/candidates/0/content/parts/0/functionCall/args/city").asText());
        assertEquals("STOP", r.at("/candidates/0/finishReason").asText());
    }

    @Test
    void theSseStreamHasUnnamedCrlfEventsWithoutDoneAndTheLastCarriesFinishAndUsage() throws Exception {
        stub.enqueue(GeminiWire.stream("It is ", "sunny."));
        HttpResponse<byte[]> r = WireClient.post(stub, "/v1beta/models/m:streamGenerateContent?alt=sse");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("}\r\n\r\ndata: "), "events end with CRLF CRLF: " + text);
        List<ServerSentEvent> events = WireClient.events(r.body());
        assertEquals(3, events.size());
        for (ServerSentEvent e : events) {
            assertEquals(null, e.event());
            assertFalse(e.isDone());
            WireClient.assertValid(SPEC, "GenerateContentResponse", Json.parse(e.data()));
        }
        JsonNode last = Json.parse(events.get(2).data());
        assertEquals("STOP", last.at("/candidates/0/finishReason").asText());
        assertEquals(5, last.at("/usageMetadata/candidatesTokenCount").asInt());
        assertTrue(Json.parse(events.get(0).data())
                .at("/candidates/0/finishReason")
                .isMissingNode());
    }

    @Test
    void errorsUseTheGoogleRpcStatusEnvelope() throws Exception {
        stub.enqueue(GeminiWire.unavailable());
        stub.enqueue(GeminiWire.resourceExhausted("24s"));
        HttpResponse<byte[]> unavailable = WireClient.post(stub, PATH);
        assertEquals(503, unavailable.statusCode());
        assertEquals(
                "UNAVAILABLE", WireClient.json(unavailable).at("/error/status").asText());
        assertEquals(503, WireClient.json(unavailable).at("/error/code").asInt());
        HttpResponse<byte[]> exhausted = WireClient.post(stub, PATH);
        assertEquals(429, exhausted.statusCode());
        JsonNode body = WireClient.json(exhausted);
        WireClient.assertValid(SPEC, "Status", body.get("error"));
        assertEquals("24s", body.at("/error/details/0/retryDelay").asText());
    }
}
