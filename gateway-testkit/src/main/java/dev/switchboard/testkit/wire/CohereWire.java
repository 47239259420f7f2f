package dev.switchboard.testkit.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Answers in Cohere's v2 Chat wire format ({@code POST /v2/chat}, PROVIDERS.md §7): a
 * {@code ChatResponseV2}, the event-typed SSE stream ({@code message-start}, {@code content-*},
 * {@code tool-plan-delta}, {@code tool-call-*}, {@code message-end}; every payload repeats its
 * event name in {@code type}), and errors {@code {"id","message"}}.
 *
 * <pre>{@code
 * stub.enqueue(CohereWire.error(429, "trial key rate limit exceeded"));
 * stub.enqueue(CohereWire.toolCall("get_weather", "{\"city\":\"Paris\"}"));
 * stub.enqueue(CohereWire.stream("It is ", "sunny."));
 * }</pre>
 *
 * <p>Usage is always 10 input / 5 output tokens (in {@code usage.tokens}; billed units are smaller,
 * as Cohere does not bill the preamble).
 */
public final class CohereWire {
    /** The {@code id} of every response. */
    public static final String RESPONSE_ID = "5a50480a-cf52-46f0-af01-stub00000001";
    /** The {@code id} of every tool call. */
    public static final String TOOL_CALL_ID = "get_weather_stub01";
    /** The {@code tool_plan} that precedes every tool call. */
    public static final String TOOL_PLAN = "I will call the tool.";

    private static final String EVENT_STREAM = "text/event-stream";

    private CohereWire() {}

    /**
     * A 200 chat response with one text content item and {@code finish_reason: "COMPLETE"}.
     *
     * @param text the content text
     * @return the response
     */
    public static StubResponse chat(String text) {
        ObjectNode r = response("COMPLETE");
        ((ObjectNode) r.get("message"))
                .putArray("content")
                .addObject()
                .put("type", "text")
                .put("text", Objects.requireNonNull(text, "text"));
        return StubResponse.json(200, r);
    }

    /**
     * A 200 chat response with a {@code tool_plan}, one tool call and {@code finish_reason: "TOOL_CALL"}.
     *
     * @param name     the function name
     * @param argsJson the arguments, a JSON object as text
     * @return the response
     */
    public static StubResponse toolCall(String name, String argsJson) {
        ObjectNode r = response("TOOL_CALL");
        ObjectNode message = (ObjectNode) r.get("message");
        message.put("tool_plan", TOOL_PLAN);
        ObjectNode call = message.putArray("tool_calls")
                .addObject()
                .put("id", TOOL_CALL_ID)
                .put("type", "function");
        call.putObject("function")
                .put("name", WireParts.name(name))
                .put("arguments", Json.text(WireParts.arguments(argsJson)));
        return StubResponse.json(200, r);
    }

    /**
     * A 200 stream: {@code message-start}, {@code content-start}, one {@code content-delta} per piece, {@code content-end}, {@code message-end} (COMPLETE).
     *
     * @param textDeltas the text pieces, one delta each
     * @return the response
     */
    public static StubResponse stream(String... textDeltas) {
        List<byte[]> events = new ArrayList<>();
        events.add(messageStart());
        ObjectNode start = event("content-start").put("index", 0);
        start.putObject("delta")
                .putObject("message")
                .putObject("content")
                .put("type", "text")
                .put("text", "");
        events.add(emit(start));
        for (String t : textDeltas) {
            ObjectNode delta = event("content-delta").put("index", 0);
            delta.putObject("delta").putObject("message").putObject("content").put("text", Objects.requireNonNull(t));
            events.add(emit(delta));
        }
        events.add(emit(event("content-end").put("index", 0)));
        events.add(messageEnd("COMPLETE"));
        return StubResponse.rawStream(EVENT_STREAM, events);
    }

    /**
     * A 200 tool-call stream: {@code message-start}, {@code tool-plan-delta}, {@code tool-call-start}
     * (id, name, empty arguments), two {@code tool-call-delta} pieces, {@code tool-call-end},
     * {@code message-end} (TOOL_CALL).
     *
     * @param name     the function name
     * @param argsJson the arguments, a JSON object as text
     * @return the response
     */
    public static StubResponse toolCallStream(String name, String argsJson) {
        String args = Json.text(WireParts.arguments(argsJson));
        List<byte[]> events = new ArrayList<>();
        events.add(messageStart());
        ObjectNode plan = event("tool-plan-delta");
        plan.putObject("delta").putObject("message").put("tool_plan", TOOL_PLAN);
        events.add(emit(plan));
        ObjectNode start = event("tool-call-start").put("index", 0);
        ObjectNode call = start.putObject("delta")
                .putObject("message")
                .putObject("tool_calls")
                .put("id", TOOL_CALL_ID)
                .put("type", "function");
        call.putObject("function").put("name", WireParts.name(name)).put("arguments", "");
        events.add(emit(start));
        for (String piece : WireParts.halves(args)) {
            ObjectNode delta = event("tool-call-delta").put("index", 0);
            delta.putObject("delta")
                    .putObject("message")
                    .putObject("tool_calls")
                    .putObject("function")
                    .put("arguments", piece);
            events.add(emit(delta));
        }
        events.add(emit(event("tool-call-end").put("index", 0)));
        events.add(messageEnd("TOOL_CALL"));
        return StubResponse.rawStream(EVENT_STREAM, events);
    }

    /**
     * An error answer {@code {"id":..., "message":...}}; Cohere uses 400, 401, 404, 422, 429, 498, 499, 500, 503, 504.
     *
     * @param status  the HTTP status
     * @param message the error message
     * @return the response
     */
    public static StubResponse error(int status, String message) {
        return StubResponse.json(
                status,
                Json.object().put("id", RESPONSE_ID).put("message", Objects.requireNonNull(message, "message")));
    }

    // ---- parts ---------------------------------------------------------------------------------

    private static ObjectNode response(String finishReason) {
        ObjectNode r = Json.object().put("id", RESPONSE_ID).put("finish_reason", finishReason);
        r.putObject("message").put("role", "assistant");
        r.set("usage", usage());
        return r;
    }

    private static ObjectNode usage() {
        ObjectNode u = Json.object();
        u.putObject("billed_units")
                .put("input_tokens", WireParts.PROMPT_TOKENS - 2)
                .put("output_tokens", WireParts.COMPLETION_TOKENS);
        u.putObject("tokens")
                .put("input_tokens", WireParts.PROMPT_TOKENS)
                .put("output_tokens", WireParts.COMPLETION_TOKENS);
        return u.put("cached_tokens", 0);
    }

    private static ObjectNode event(String type) {
        return Json.object().put("type", type);
    }

    private static byte[] emit(ObjectNode event) {
        return WireParts.namedEvent(event.path("type").asText(), event);
    }

    private static byte[] messageStart() {
        ObjectNode e = event("message-start").put("id", RESPONSE_ID);
        e.putObject("delta").putObject("message").put("role", "assistant");
        return emit(e);
    }

    private static byte[] messageEnd(String finishReason) {
        ObjectNode e = event("message-end");
        ObjectNode delta = e.putObject("delta").put("finish_reason", finishReason);
        delta.set("usage", usage());
        return emit(e);
    }
}
