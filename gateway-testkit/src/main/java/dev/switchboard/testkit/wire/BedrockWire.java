package dev.switchboard.testkit.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Answers in the AWS Bedrock Converse wire format (PROVIDERS.md §6): a {@code ConverseResponse} for
 * {@code /model/{id}/converse}, the binary {@code application/vnd.amazon.eventstream} of
 * {@code ConverseStream} for {@code /model/{id}/converse-stream} (one {@link EventStreamFrames}
 * message per chunk, payloads padded with Bedrock's {@code "p"} field), and errors as
 * {@code {"message":...}} with an {@code x-amzn-errortype} header.
 *
 * <pre>{@code
 * stub.enqueue(BedrockWire.throttling());                                      // 429 ThrottlingException
 * stub.enqueue(BedrockWire.toolUse("get_weather", "{\"city\":\"Paris\"}"));
 * stub.enqueue(BedrockWire.converseStream("Hel", "lo").cutAfterEvents(2));      // dies after 2 frames
 * }</pre>
 *
 * <p>Usage is always 10 input / 5 output tokens. Converse has no response id in the body: every
 * answer carries {@code x-amzn-requestid: }{@value #REQUEST_ID}.
 */
public final class BedrockWire {
    /** The {@code x-amzn-requestid} header of every answer. */
    public static final String REQUEST_ID = "7f1c2d3e-0000-4000-8000-stub00000001";
    /** The {@code toolUseId} of every tool use. */
    public static final String TOOL_USE_ID = "tooluse_stub01";
    /** The content type of ConverseStream answers (AWS event-stream frames). */
    public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private BedrockWire() {}

    /**
     * A 200 {@code ConverseResponse} with one text block and {@code stopReason: "end_turn"}.
     *
     * @param text the block's text
     * @return the response
     */
    public static StubResponse converse(String text) {
        ObjectNode r = response("end_turn");
        content(r).addObject().put("text", Objects.requireNonNull(text, "text"));
        return json(200, r);
    }

    /**
     * A 200 {@code ConverseResponse} with one {@code toolUse} block and {@code stopReason: "tool_use"}.
     *
     * @param name     the tool name
     * @param argsJson the tool input, a JSON object as text
     * @return the response
     */
    public static StubResponse toolUse(String name, String argsJson) {
        ObjectNode r = response("tool_use");
        content(r)
                .addObject()
                .putObject("toolUse")
                .put("toolUseId", TOOL_USE_ID)
                .put("name", WireParts.name(name))
                .set("input", WireParts.arguments(argsJson));
        return json(200, r);
    }

    /**
     * A 200 ConverseStream: {@code messageStart}, one {@code contentBlockDelta} per piece,
     * {@code contentBlockStop}, {@code messageStop} (end_turn), {@code metadata} (usage) — one frame
     * per chunk. Text blocks have no {@code contentBlockStart}, as on the real service.
     *
     * @param textDeltas the text pieces, one delta each
     * @return the response
     */
    public static StubResponse converseStream(String... textDeltas) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(messageStart());
        for (String t : textDeltas) {
            ObjectNode e = Json.object().put("contentBlockIndex", 0);
            e.putObject("delta").put("text", Objects.requireNonNull(t));
            frames.add(event("contentBlockDelta", e));
        }
        frames.add(event("contentBlockStop", Json.object().put("contentBlockIndex", 0)));
        frames.addAll(end("end_turn"));
        return stream(frames);
    }

    /**
     * A 200 ConverseStream of one tool use: {@code contentBlockStart} (id, name), the input JSON in
     * two {@code contentBlockDelta} pieces, {@code contentBlockStop}, {@code messageStop} (tool_use),
     * {@code metadata}.
     *
     * @param name     the tool name
     * @param argsJson the tool input, a JSON object as text
     * @return the response
     */
    public static StubResponse toolUseStream(String name, String argsJson) {
        String args = Json.text(WireParts.arguments(argsJson));
        List<byte[]> frames = new ArrayList<>();
        frames.add(messageStart());
        ObjectNode start = Json.object().put("contentBlockIndex", 0);
        start.putObject("start")
                .putObject("toolUse")
                .put("toolUseId", TOOL_USE_ID)
                .put("name", WireParts.name(name));
        frames.add(event("contentBlockStart", start));
        for (String piece : WireParts.halves(args)) {
            ObjectNode e = Json.object().put("contentBlockIndex", 0);
            e.putObject("delta").putObject("toolUse").put("input", piece);
            frames.add(event("contentBlockDelta", e));
        }
        frames.add(event("contentBlockStop", Json.object().put("contentBlockIndex", 0)));
        frames.addAll(end("tool_use"));
        return stream(frames);
    }

    /**
     * A 200 ConverseStream that sends {@code textBefore} and then an {@code exception} message (e.g.
     * {@code throttlingException}, {@code modelStreamErrorException}) — Bedrock's mid-stream failure.
     *
     * @param exceptionType the exception's event type
     * @param message       its message
     * @param textBefore    the text pieces sent before it
     * @return the response
     */
    public static StubResponse streamException(String exceptionType, String message, String... textBefore) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(messageStart());
        for (String t : textBefore) {
            ObjectNode e = Json.object().put("contentBlockIndex", 0);
            e.putObject("delta").put("text", Objects.requireNonNull(t));
            frames.add(event("contentBlockDelta", e));
        }
        frames.add(EventStreamFrames.exception(
                Objects.requireNonNull(exceptionType, "exceptionType"),
                Json.text(Json.object().put("message", Objects.requireNonNull(message, "message")))));
        return stream(frames);
    }

    /**
     * An error answer: body {@code {"message":...}} and header
     * {@code x-amzn-errortype: <errorType>:http://internal.amazon.com/coral/com.amazon.bedrock/}.
     * Types: {@code ValidationException} 400, {@code AccessDeniedException} 403,
     * {@code ResourceNotFoundException} 404, {@code ModelTimeoutException} 408,
     * {@code ThrottlingException} 429, {@code InternalServerException} 500,
     * {@code ServiceUnavailableException} 503.
     *
     * @param status    the HTTP status
     * @param errorType the AWS error type
     * @param message   the error message
     * @return the response
     */
    public static StubResponse error(int status, String errorType, String message) {
        return json(status, Json.object().put("message", Objects.requireNonNull(message, "message")))
                .header(
                        "x-amzn-errortype",
                        Objects.requireNonNull(errorType, "errorType")
                                + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    }

    /** {@return 429 {@code ThrottlingException}, Bedrock's rate limit answer} */
    public static StubResponse throttling() {
        return error(429, "ThrottlingException", "Too many requests, please wait before trying again.");
    }

    // ---- parts ---------------------------------------------------------------------------------

    private static StubResponse json(int status, ObjectNode body) {
        return StubResponse.json(status, body).header("x-amzn-requestid", REQUEST_ID);
    }

    private static StubResponse stream(List<byte[]> frames) {
        return StubResponse.rawStream(EVENT_STREAM, frames).header("x-amzn-requestid", REQUEST_ID);
    }

    private static ObjectNode response(String stopReason) {
        ObjectNode r = Json.object();
        r.putObject("output").putObject("message").put("role", "assistant").putArray("content");
        r.put("stopReason", stopReason);
        r.set("usage", usage());
        r.putObject("metrics").put("latencyMs", 120);
        return r;
    }

    private static ArrayNode content(ObjectNode response) {
        return (ArrayNode) response.get("output").get("message").get("content");
    }

    private static ObjectNode usage() {
        return Json.object()
                .put("inputTokens", WireParts.PROMPT_TOKENS)
                .put("outputTokens", WireParts.COMPLETION_TOKENS)
                .put("totalTokens", WireParts.PROMPT_TOKENS + WireParts.COMPLETION_TOKENS);
    }

    private static byte[] messageStart() {
        return event("messageStart", Json.object().put("role", "assistant"));
    }

    private static List<byte[]> end(String stopReason) {
        ObjectNode metadata = Json.object();
        metadata.set("usage", usage());
        metadata.putObject("metrics").put("latencyMs", 120);
        return List.of(event("messageStop", Json.object().put("stopReason", stopReason)), event("metadata", metadata));
    }

    /** A frame whose payload carries Bedrock's random-length padding field, which readers must ignore. */
    private static byte[] event(String type, ObjectNode payload) {
        payload.put("p", "abcdefghijklmnopqrstuvwxyz".substring(0, 1 + type.length() % 20));
        return EventStreamFrames.event(type, Json.text(payload));
    }
}
