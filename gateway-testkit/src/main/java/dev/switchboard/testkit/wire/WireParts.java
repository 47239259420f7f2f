package dev.switchboard.testkit.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What the wire builders share: argument parsing with a clear error, and the SSE event forms. */
final class WireParts {
    /** Usage every builder reports, the same figures as the stub's OpenAI answers. */
    static final int PROMPT_TOKENS = 10;

    static final int COMPLETION_TOKENS = 5;

    private WireParts() {}

    /** A tool call's arguments as a JSON object; anything else is a test-setup mistake worth naming. */
    static ObjectNode arguments(String argsJson) {
        Objects.requireNonNull(argsJson, "argsJson");
        JsonNode node;
        try {
            node = Json.parse(argsJson);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tool arguments must be a JSON object, got " + argsJson, e);
        }
        if (!(node instanceof ObjectNode o)) {
            throw new IllegalArgumentException("tool arguments must be a JSON object, got " + argsJson);
        }
        return o;
    }

    static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool name must not be blank");
        }
        return name;
    }

    /** {@code event: <name>\ndata: <json>\n\n}, the form Anthropic and Cohere stream. */
    static byte[] namedEvent(String event, JsonNode data) {
        return new ServerSentEvent(event, Json.text(data), null).toWireBytes();
    }

    /** {@code data: <json>\n\n}. */
    static byte[] dataEvent(JsonNode data) {
        return ServerSentEvent.data(Json.text(data)).toWireBytes();
    }

    /** {@code data: <json>\r\n\r\n}: Gemini ends its events with CRLF pairs. */
    static byte[] crlfDataEvent(JsonNode data) {
        return ("data: " + Json.text(data) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Splits {@code s} in two non-empty halves (one piece when too short), as providers split partial JSON. */
    static String[] halves(String s) {
        if (s.length() < 2) {
            return new String[] {s};
        }
        int mid = s.length() / 2;
        return new String[] {s.substring(0, mid), s.substring(mid)};
    }
}
