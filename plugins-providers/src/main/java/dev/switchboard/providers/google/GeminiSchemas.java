package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Copies a JSON Schema without the keywords Gemini rejects (PROVIDERS.md §5.3). The walk follows the
 * schema's structure, so a <em>property</em> that happens to be called {@code additionalProperties}
 * is kept; only the keyword is removed.
 *
 * <pre>{@code
 * JsonNode params = GeminiSchemas.clean(openAiParameters, GeminiSchemas.FUNCTION_PARAMETERS);
 * }</pre>
 */
final class GeminiSchemas {
    /** Removed from function parameters: Gemini's function declarations reject them. */
    static final Set<String> FUNCTION_PARAMETERS = Set.of("$schema", "$id", "strict", "additionalProperties");
    /** Removed from a response schema: {@code responseJsonSchema} keeps additionalProperties. */
    static final Set<String> RESPONSE_SCHEMA = Set.of("$schema", "$id", "strict");

    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties");
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "allOf", "prefixItems");
    private static final Set<String> SCHEMA_VALUES =
            Set.of("items", "not", "contains", "if", "then", "else", "additionalItems", "additionalProperties");

    private GeminiSchemas() {}

    static JsonNode clean(JsonNode schema, Set<String> removed) {
        if (schema == null || !schema.isObject()) {
            return schema == null ? null : schema.deepCopy();
        }
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            if (removed.contains(key)) {
                continue;
            }
            if (SCHEMA_MAPS.contains(key) && value.isObject()) {
                ObjectNode map = out.putObject(key);
                value.properties().iterator().forEachRemaining(e -> map.set(e.getKey(), clean(e.getValue(), removed)));
            } else if (SCHEMA_LISTS.contains(key) && value.isArray()) {
                ArrayNode list = out.putArray(key);
                value.forEach(v -> list.add(clean(v, removed)));
            } else if (SCHEMA_VALUES.contains(key)) {
                if (value.isArray()) {
                    ArrayNode list = out.putArray(key);
                    value.forEach(v -> list.add(clean(v, removed)));
                } else {
                    out.set(key, clean(value, removed));
                }
            } else {
                out.set(key, value.deepCopy());
            }
        }
        return out;
    }
}
