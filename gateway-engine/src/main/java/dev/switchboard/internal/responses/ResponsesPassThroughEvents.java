package dev.switchboard.internal.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.stream.EventMapper;
import java.util.List;

/**
 * The caller's view of a Responses stream a provider serves natively (OpenAI, Azure OpenAI): its
 * events pass untouched, the gateway's {@code [DONE]} is dropped (a Responses stream ends on its
 * terminal event), and an error the gateway adds (a cut stream, an idle timeout, a guardrail) becomes
 * a Responses {@code error} event numbered after the last event the provider sent.
 */
public final class ResponsesPassThroughEvents implements EventMapper {
    private long lastSequence = -1;

    /** A mapper for one stream. */
    public ResponsesPassThroughEvents() {}

    @Override
    public List<ServerSentEvent> map(ServerSentEvent event) {
        if (event.isDone()) {
            return List.of();
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(event.data());
        } catch (IllegalArgumentException e) {
            return List.of(event);
        }
        if (parsed.path("sequence_number").isNumber()) {
            lastSequence = Math.max(lastSequence, parsed.get("sequence_number").asLong());
            return List.of(event);
        }
        JsonNode err = parsed.get("error");
        if (event.event() == null && err != null && err.isObject()) {
            ObjectNode e = Json.object();
            e.put("type", "error");
            e.put("sequence_number", ++lastSequence);
            e.put("code", err.path("type").asText("server_error"));
            e.put("message", err.path("message").asText(""));
            e.putNull("param");
            return List.of(new ServerSentEvent("error", Json.text(e), null));
        }
        return List.of(event);
    }
}
