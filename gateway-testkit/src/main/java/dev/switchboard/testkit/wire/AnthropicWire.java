package dev.switchboard.testkit.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Answers in the Anthropic Messages API wire format ({@code POST /v1/messages}, PROVIDERS.md §4):
 * a {@code Message} object, the event-typed SSE stream ({@code message_start},
 * {@code content_block_*}, {@code message_delta}, {@code message_stop}, with a {@code ping}), and
 * the error envelope {@code {"type":"error","error":{type,message},"request_id"}}.
 *
 * <pre>{@code
 * stub.enqueue(AnthropicWire.overloaded());                                  // 529 overloaded_error
 * stub.enqueue(AnthropicWire.toolUse("get_weather", "{\"city\":\"Paris\"}"));
 * stub.enqueue(AnthropicWire.stream("Hel", "lo").cutAfterEvents(3));          // dies after 3 events
 * }</pre>
 *
 * <p>Usage is always 10 input / 5 output tokens. Each stream event is one flushed chunk, so
 * {@link StubResponse#cutAfterEvents} counts events.
 */
public final class AnthropicWire {
    /** The model every answer names. */
    public static final String MODEL = "claude-sonnet-4-5-20250929";
    /** The {@code id} of every message. */
    public static final String MESSAGE_ID = "msg_stub01";
    /** The {@code id} of every {@code tool_use} block. */
    public static final String TOOL_USE_ID = "toolu_stub01";
    /** The {@code request-id} header and {@code request_id} of every answer. */
    public static final String REQUEST_ID = "req_stub01";

    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private AnthropicWire() {}

    /**
     * A 200 {@code Message} with one text block and {@code stop_reason: "end_turn"}.
     *
     * @param text the block's text
     * @return the response
     */
    public static StubResponse message(String text) {
        Objects.requireNonNull(text, "text");
        ObjectNode m = message("end_turn", WireParts.COMPLETION_TOKENS);
        content(m).addObject().put("type", "text").put("text", text).putNull("citations");
        return json(m);
    }

    /**
     * A 200 {@code Message} with one {@code tool_use} block and {@code stop_reason: "tool_use"}.
     *
     * @param name     the tool name
     * @param argsJson the tool input, a JSON object as text
     * @return the response
     */
    public static StubResponse toolUse(String name, String argsJson) {
        ObjectNode m = message("tool_use", WireParts.COMPLETION_TOKENS);
        ObjectNode block = content(m)
                .addObject()
                .put("type", "tool_use")
                .put("id", TOOL_USE_ID)
                .put("name", WireParts.name(name));
        block.set("input", WireParts.arguments(argsJson));
        block.putObject("caller").put("type", "direct");
        return json(m);
    }

    /**
     * A 200 stream of one text block: {@code message_start}, {@code content_block_start},
     * {@code ping}, one {@code content_block_delta} per piece, {@code content_block_stop},
     * {@code message_delta} (end_turn, output usage), {@code message_stop}.
     *
     * @param textDeltas the text pieces, one delta each
     * @return the response
     */
    public static StubResponse stream(String... textDeltas) {
        List<byte[]> events = new ArrayList<>(head());
        events.add(
                blockStart(0, Json.object().put("type", "text").put("text", "").putNull("citations")));
        events.add(WireParts.namedEvent("ping", Json.object().put("type", "ping")));
        for (String t : textDeltas) {
            events.add(blockDelta(0, Json.object().put("type", "text_delta").put("text", Objects.requireNonNull(t))));
        }
        events.add(blockStop(0));
        events.addAll(tail("end_turn"));
        return StubResponse.rawStream(EVENT_STREAM, events).header("request-id", REQUEST_ID);
    }

    /**
     * A 200 stream of one {@code tool_use} block whose input arrives as two {@code input_json_delta} pieces.
     *
     * @param name     the tool name
     * @param argsJson the tool input, a JSON object as text
     * @return the response
     */
    public static StubResponse toolUseStream(String name, String argsJson) {
        String args = Json.text(WireParts.arguments(argsJson));
        List<byte[]> events = new ArrayList<>(head());
        ObjectNode block =
                Json.object().put("type", "tool_use").put("id", TOOL_USE_ID).put("name", WireParts.name(name));
        block.putObject("input");
        block.putObject("caller").put("type", "direct");
        events.add(blockStart(0, block));
        for (String piece : WireParts.halves(args)) {
            events.add(
                    blockDelta(0, Json.object().put("type", "input_json_delta").put("partial_json", piece)));
        }
        events.add(blockStop(0));
        events.addAll(tail("tool_use"));
        return StubResponse.rawStream(EVENT_STREAM, events).header("request-id", REQUEST_ID);
    }

    /**
     * A 200 stream that starts a text answer, sends {@code textBefore}, then an {@code error} event
     * ({@code {"type":"error","error":{type,message}}}) and ends — Anthropic's mid-stream failure.
     *
     * @param errorType  e.g. {@code overloaded_error}
     * @param message    the error message
     * @param textBefore the text pieces sent before the error
     * @return the response
     */
    public static StubResponse streamError(String errorType, String message, String... textBefore) {
        List<byte[]> events = new ArrayList<>(head());
        events.add(
                blockStart(0, Json.object().put("type", "text").put("text", "").putNull("citations")));
        for (String t : textBefore) {
            events.add(blockDelta(0, Json.object().put("type", "text_delta").put("text", Objects.requireNonNull(t))));
        }
        events.add(WireParts.namedEvent("error", errorBody(errorType, message)));
        return StubResponse.rawStream(EVENT_STREAM, events).header("request-id", REQUEST_ID);
    }

    /**
     * An error answer: {@code {"type":"error","error":{"type":..., "message":...},"request_id":...}}.
     * Anthropic's types and statuses: {@code invalid_request_error} 400, {@code authentication_error}
     * 401, {@code permission_error} 403, {@code not_found_error} 404, {@code rate_limit_error} 429,
     * {@code api_error} 500, {@code overloaded_error} 529.
     *
     * @param status  the HTTP status
     * @param type    Anthropic's error type
     * @param message the error message
     * @return the response
     */
    public static StubResponse error(int status, String type, String message) {
        return StubResponse.json(status, errorBody(type, message)).header("request-id", REQUEST_ID);
    }

    /** {@return 529 {@code overloaded_error} "Overloaded": Anthropic's answer when it sheds load} */
    public static StubResponse overloaded() {
        return error(529, "overloaded_error", "Overloaded");
    }

    /**
     * A 429 {@code rate_limit_error}.
     *
     * @param retryAfterSeconds the {@code retry-after} header value
     * @return the response
     */
    public static StubResponse rateLimited(String retryAfterSeconds) {
        return error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
                .retryAfter(retryAfterSeconds);
    }

    // ---- parts ---------------------------------------------------------------------------------

    private static StubResponse json(ObjectNode body) {
        return StubResponse.json(200, body).header("request-id", REQUEST_ID);
    }

    private static ObjectNode message(String stopReason, int outputTokens) {
        ObjectNode m = Json.object();
        m.put("id", MESSAGE_ID).put("type", "message").put("role", "assistant").put("model", MODEL);
        m.putArray("content");
        if (stopReason == null) {
            m.putNull("stop_reason");
        } else {
            m.put("stop_reason", stopReason);
        }
        m.putNull("stop_sequence");
        m.putNull("stop_details");
        ObjectNode usage = m.putObject("usage")
                .put("input_tokens", WireParts.PROMPT_TOKENS)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0);
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0);
        usage.put("output_tokens", outputTokens)
                .putNull("server_tool_use")
                .put("service_tier", "standard")
                .putNull("inference_geo");
        m.putNull("container");
        return m;
    }

    private static ObjectNode errorBody(String type, String message) {
        ObjectNode e = Json.object().put("type", "error");
        e.putObject("error")
                .put("type", Objects.requireNonNull(type, "type"))
                .put("message", Objects.requireNonNull(message, "message"));
        return e.put("request_id", REQUEST_ID);
    }

    private static List<byte[]> head() {
        ObjectNode start = Json.object().put("type", "message_start");
        start.set("message", message(null, 1));
        return List.of(WireParts.namedEvent("message_start", start));
    }

    private static byte[] blockStart(int index, ObjectNode block) {
        ObjectNode e = Json.object().put("type", "content_block_start").put("index", index);
        e.set("content_block", block);
        return WireParts.namedEvent("content_block_start", e);
    }

    private static byte[] blockDelta(int index, ObjectNode delta) {
        ObjectNode e = Json.object().put("type", "content_block_delta").put("index", index);
        e.set("delta", delta);
        return WireParts.namedEvent("content_block_delta", e);
    }

    private static byte[] blockStop(int index) {
        return WireParts.namedEvent(
                "content_block_stop",
                Json.object().put("type", "content_block_stop").put("index", index));
    }

    private static List<byte[]> tail(String stopReason) {
        ObjectNode delta = Json.object().put("type", "message_delta");
        delta.putObject("delta")
                .put("stop_reason", stopReason)
                .putNull("stop_sequence")
                .putNull("stop_details")
                .putNull("container");
        // The usage of message_delta is cumulative: the API repeats the input figures with the final output.
        delta.putObject("usage")
                .put("input_tokens", WireParts.PROMPT_TOKENS)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0)
                .put("output_tokens", WireParts.COMPLETION_TOKENS)
                .putNull("server_tool_use");
        return List.of(
                WireParts.namedEvent("message_delta", delta),
                WireParts.namedEvent("message_stop", Json.object().put("type", "message_stop")));
    }

    private static ArrayNode content(ObjectNode message) {
        return (ArrayNode) message.get("content");
    }
}
