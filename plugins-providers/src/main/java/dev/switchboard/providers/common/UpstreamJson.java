package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;

/**
 * Lenient parsing of provider bodies: a malformed or empty body gives {@code null} instead of an
 * exception, because a bad upstream body is an upstream failure to report, not a gateway bug. A tree
 * parsed from bytes remembers them ({@link Json#parseTracked(byte[])}): an answer nobody changes is
 * handed to the caller as the provider wrote it, not serialised again.
 *
 * <pre>{@code
 * ObjectNode body = UpstreamJson.parseObject(reply.body()); // null when not a JSON object
 * }</pre>
 */
public final class UpstreamJson {
    private UpstreamJson() {}

    /** The parsed document, or null when the bytes are empty or not JSON. */
    public static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return Json.parseTracked(bytes); // passed on unchanged, the answer is written as these bytes
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The parsed document, or null when the text is empty or not JSON. */
    public static JsonNode parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The parsed JSON object, or null when the bytes are not a JSON object. */
    public static ObjectNode parseObject(byte[] bytes) {
        JsonNode n = parse(bytes);
        return n instanceof ObjectNode o ? o : null;
    }

    /** The parsed JSON object, or null when the text is not a JSON object. */
    public static ObjectNode parseObject(String text) {
        JsonNode n = parse(text);
        return n instanceof ObjectNode o ? o : null;
    }

    /** A short excerpt of a body for error messages (bodies can be large). */
    public static String excerpt(byte[] bytes) {
        String s = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
