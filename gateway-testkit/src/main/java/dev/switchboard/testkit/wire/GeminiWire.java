package dev.switchboard.testkit.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Answers in the Gemini API wire format (also Vertex AI's Gemini publisher, PROVIDERS.md §5):
 * a {@code GenerateContentResponse} for {@code :generateContent}, the {@code alt=sse} stream of
 * {@code GenerateContentResponse} objects for {@code :streamGenerateContent} (no event names, no
 * {@code [DONE]}, events end with {@code \r\n\r\n}), and the google.rpc.Status error envelope
 * {@code {"error":{"code","message","status"}}}.
 *
 * <pre>{@code
 * stub.enqueue(GeminiWire.unavailable());                                      // 503 UNAVAILABLE
 * stub.enqueue(GeminiWire.functionCall("get_weather", "{\"city\":\"Paris\"}"));
 * stub.enqueue(GeminiWire.stream("It is ", "sunny."));
 * }</pre>
 *
 * <p>Usage is always 10 prompt / 5 candidate tokens; the last stream event carries it complete
 * together with {@code finishReason}. Function calls arrive whole (Gemini never splits their args).
 */
public final class GeminiWire {
    /** The model version every answer names. */
    public static final String MODEL = "gemini-2.5-flash";
    /** The {@code responseId} of every answer. */
    public static final String RESPONSE_ID = "stubResponse01";

    private static final String EVENT_STREAM = "text/event-stream";

    private GeminiWire() {}

    /**
     * A 200 {@code GenerateContentResponse} with one text part and {@code finishReason: "STOP"}.
     *
     * @param text the part's text
     * @return the response
     */
    public static StubResponse text(String text) {
        ObjectNode r = response(true);
        ObjectNode candidate = candidate(r, "STOP");
        parts(candidate).addObject().put("text", Objects.requireNonNull(text, "text"));
        return StubResponse.json(200, r);
    }

    /**
     * A 200 {@code GenerateContentResponse} with one {@code functionCall} part (and a
     * {@code thoughtSignature}, as Gemini 2.5+ sends); {@code finishReason} is {@code STOP}, as Gemini
     * reports it for function calls.
     *
     * @param name     the function name
     * @param argsJson the arguments, a JSON object as text
     * @return the response
     */
    public static StubResponse functionCall(String name, String argsJson) {
        ObjectNode r = response(true);
        ObjectNode candidate = candidate(r, "STOP");
        addFunctionCall(parts(candidate), name, argsJson);
        return StubResponse.json(200, r);
    }

    /**
     * A 200 {@code alt=sse} stream: one event per text piece (running usage, no finish reason), then
     * a final event with an empty text part, {@code finishReason: "STOP"} and the complete usage.
     *
     * @param textDeltas the text pieces, one event each
     * @return the response
     */
    public static StubResponse stream(String... textDeltas) {
        List<byte[]> events = new ArrayList<>();
        for (String t : textDeltas) {
            ObjectNode r = response(false);
            parts(candidate(r, null)).addObject().put("text", Objects.requireNonNull(t));
            events.add(WireParts.crlfDataEvent(r));
        }
        ObjectNode last = response(true);
        parts(candidate(last, "STOP")).addObject().put("text", "");
        events.add(WireParts.crlfDataEvent(last));
        return StubResponse.rawStream(EVENT_STREAM, events);
    }

    /**
     * A 200 {@code alt=sse} stream of one event holding the whole {@code functionCall}, {@code STOP} and usage.
     *
     * @param name     the function name
     * @param argsJson the arguments, a JSON object as text
     * @return the response
     */
    public static StubResponse functionCallStream(String name, String argsJson) {
        ObjectNode r = response(true);
        addFunctionCall(parts(candidate(r, "STOP")), name, argsJson);
        return StubResponse.rawStream(EVENT_STREAM, List.of(WireParts.crlfDataEvent(r)));
    }

    /**
     * An error answer {@code {"error":{"code":<status>,"message":...,"status":<canonical>}}}, e.g.
     * 400 {@code INVALID_ARGUMENT}, 403 {@code PERMISSION_DENIED}, 429 {@code RESOURCE_EXHAUSTED},
     * 500 {@code INTERNAL}, 503 {@code UNAVAILABLE}, 504 {@code DEADLINE_EXCEEDED}.
     *
     * @param status          the HTTP status
     * @param canonicalStatus the Google canonical status name
     * @param message         the error message
     * @return the response
     */
    public static StubResponse error(int status, String canonicalStatus, String message) {
        return StubResponse.json(status, errorBody(status, canonicalStatus, message));
    }

    /** {@return 503 {@code UNAVAILABLE} "The model is overloaded. Please try again later."} */
    public static StubResponse unavailable() {
        return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    }

    /**
     * A 429 {@code RESOURCE_EXHAUSTED} with a {@code google.rpc.RetryInfo} detail.
     *
     * @param retryDelay the detail's {@code retryDelay}, e.g. "24s"
     * @return the response
     */
    public static StubResponse resourceExhausted(String retryDelay) {
        ObjectNode body = errorBody(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
        ((ObjectNode) body.get("error"))
                .putArray("details")
                .addObject()
                .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                .put("retryDelay", Objects.requireNonNull(retryDelay, "retryDelay"));
        return StubResponse.json(429, body);
    }

    // ---- parts ---------------------------------------------------------------------------------

    private static ObjectNode errorBody(int status, String canonicalStatus, String message) {
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("code", status)
                .put("message", Objects.requireNonNull(message, "message"))
                .put("status", Objects.requireNonNull(canonicalStatus, "canonicalStatus"));
        return body;
    }

    /** A response with usage (final: complete counts; running: prompt only) and an empty candidate list. */
    private static ObjectNode response(boolean finalUsage) {
        ObjectNode r = Json.object();
        r.putArray("candidates");
        ObjectNode usage = r.putObject("usageMetadata").put("promptTokenCount", WireParts.PROMPT_TOKENS);
        if (finalUsage) {
            usage.put("candidatesTokenCount", WireParts.COMPLETION_TOKENS)
                    .put("totalTokenCount", WireParts.PROMPT_TOKENS + WireParts.COMPLETION_TOKENS);
        } else {
            usage.put("totalTokenCount", WireParts.PROMPT_TOKENS);
        }
        r.put("modelVersion", MODEL).put("responseId", RESPONSE_ID);
        return r;
    }

    private static ObjectNode candidate(ObjectNode response, String finishReason) {
        ObjectNode c = ((ArrayNode) response.get("candidates")).addObject();
        c.putObject("content").put("role", "model").putArray("parts");
        if (finishReason != null) {
            c.put("finishReason", finishReason);
        }
        return c.put("index", 0);
    }

    private static ArrayNode parts(ObjectNode candidate) {
        return (ArrayNode) candidate.get("content").get("parts");
    }

    private static void addFunctionCall(ArrayNode parts, String name, String argsJson) {
        ObjectNode part = parts.addObject();
        part.putObject("functionCall").put("name", WireParts.name(name)).set("args", WireParts.arguments(argsJson));
        part.put("thoughtSignature", "c3R1Yi1zaWduYXR1cmU=");
    }
}
