package dev.switchboard.testkit.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI answers the plain {@link StubResponse} factories do not cover: a chat completion that calls
 * a tool, as JSON and as a stream. (Text answers, streams and errors: {@link StubResponse#chatCompletion},
 * {@link StubResponse#chatStream}, {@link StubResponse#error}.)
 *
 * <pre>{@code
 * stub.enqueue(OpenAiWire.toolCall("get_weather", "{\"city\":\"Paris\"}"));
 * }</pre>
 *
 * <p>Usage is 10 prompt / 5 completion tokens; the stream always ends with the usage chunk
 * ({@code choices: []}) and {@code [DONE]}, as OpenAI does when asked for {@code include_usage}
 * (the gateway always asks).
 */
public final class OpenAiWire {
    /** The model every answer names. */
    public static final String MODEL = "gpt-4o-mini";
    /** The {@code id} of every completion. */
    public static final String COMPLETION_ID = "chatcmpl-stub01";
    /** The {@code id} of every tool call. */
    public static final String TOOL_CALL_ID = "call_stub01";

    private static final long CREATED = 1_767_225_600L; // 2026-01-01T00:00:00Z, the ManualClock's start

    private OpenAiWire() {}

    /**
     * A 200 {@code chat.completion} whose message calls one function, {@code finish_reason: "tool_calls"}.
     *
     * @param name     the function name
     * @param argsJson the arguments, a JSON object as text
     * @return the response
     */
    public static StubResponse toolCall(String name, String argsJson) {
        ObjectNode r = head("chat.completion");
        ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
        ObjectNode message =
                choice.putObject("message").put("role", "assistant").putNull("content");
        message.putNull("refusal");
        ObjectNode call = message.putArray("tool_calls")
                .addObject()
                .put("id", TOOL_CALL_ID)
                .put("type", "function");
        call.putObject("function")
                .put("name", WireParts.name(name))
                .put("arguments", Json.text(WireParts.arguments(argsJson)));
        choice.putNull("logprobs");
        choice.put("finish_reason", "tool_calls");
        r.set("usage", usage());
        return StubResponse.json(200, r);
    }

    /**
     * A 200 chat stream calling one function: role chunk, a tool-call chunk with id and name, the
     * arguments in two pieces, a finish chunk ({@code tool_calls}), the usage chunk, {@code [DONE]}.
     *
     * @param name     the function name
     * @param argsJson the arguments, a JSON object as text
     * @return the response
     */
    public static StubResponse toolCallStream(String name, String argsJson) {
        String args = Json.text(WireParts.arguments(argsJson));
        List<byte[]> events = new ArrayList<>();
        ObjectNode role = chunk();
        delta(role).put("role", "assistant").put("content", "");
        events.add(WireParts.dataEvent(role));
        ObjectNode start = chunk();
        ObjectNode first = delta(start)
                .putArray("tool_calls")
                .addObject()
                .put("index", 0)
                .put("id", TOOL_CALL_ID)
                .put("type", "function");
        first.putObject("function").put("name", WireParts.name(name)).put("arguments", "");
        events.add(WireParts.dataEvent(start));
        for (String piece : WireParts.halves(args)) {
            ObjectNode c = chunk();
            delta(c).putArray("tool_calls")
                    .addObject()
                    .put("index", 0)
                    .putObject("function")
                    .put("arguments", piece);
            events.add(WireParts.dataEvent(c));
        }
        ObjectNode finish = chunk();
        delta(finish);
        ((ObjectNode) finish.get("choices").get(0)).put("finish_reason", "tool_calls");
        events.add(WireParts.dataEvent(finish));
        ObjectNode usage = head("chat.completion.chunk");
        usage.putArray("choices");
        usage.set("usage", usage());
        events.add(WireParts.dataEvent(usage));
        events.add(ServerSentEvent.DONE.toWireBytes());
        return StubResponse.rawStream("text/event-stream", events);
    }

    private static ObjectNode head(String object) {
        return Json.object()
                .put("id", COMPLETION_ID)
                .put("object", object)
                .put("created", CREATED)
                .put("model", MODEL);
    }

    private static ObjectNode chunk() {
        ObjectNode c = head("chat.completion.chunk");
        c.putArray("choices").addObject().put("index", 0).putNull("finish_reason");
        return c;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return ((ObjectNode) ((ArrayNode) chunk.get("choices")).get(0)).putObject("delta");
    }

    private static ObjectNode usage() {
        return Json.object()
                .put("prompt_tokens", WireParts.PROMPT_TOKENS)
                .put("completion_tokens", WireParts.COMPLETION_TOKENS)
                .put("total_tokens", WireParts.PROMPT_TOKENS + WireParts.COMPLETION_TOKENS);
    }
}
