package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderException;

/**
 * OpenAI carries tool-call {@code arguments} as a JSON string; Anthropic and Gemini want the object
 * (PROVIDERS.md §11.2). Empty arguments become {@code {}}; anything that is not a JSON object is a 400.
 *
 * <pre>{@code
 * ObjectNode input = ToolArguments.parse(text("{\"city\":\"Paris\"}"), "messages[1].tool_calls[0]");
 * }</pre>
 */
public final class ToolArguments {
    private ToolArguments() {}

    /** Parses OpenAI's arguments string into the JSON object Anthropic (and Gemini) expect. */
    public static ObjectNode parse(JsonNode arguments, String where) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return Json.object();
        }
        if (arguments.isObject()) {
            return (ObjectNode) arguments.deepCopy();
        }
        String text = arguments.asText("").trim();
        if (text.isEmpty()) {
            return Json.object();
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(where + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (!parsed.isObject()) {
            throw new ProviderException(where + ": expected a JSON object, found " + parsed.getNodeType());
        }
        return (ObjectNode) parsed;
    }
}
