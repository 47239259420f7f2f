package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Renders what a problem found, short and safe: a secret-looking field ({@code api_key},
 * {@code aws_secret_access_key}, tokens, passwords) is shown as {@code "****"}, also inside objects.
 *
 * <pre>{@code
 * Found.value("api_key", TextNode.valueOf("sk-123"))  // "****"
 * }</pre>
 */
final class Found {
    static final String MASK = "\"****\"";
    private static final int MAX_LENGTH = 60;

    private Found() {}

    /** A value found under {@code key} (the key decides whether it is masked). */
    static String value(String key, JsonNode value) {
        if (value != null && !value.isMissingNode() && isSecretKey(key)) {
            return MASK;
        }
        return value(value);
    }

    static String value(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        String text;
        if (value.isContainerNode()) {
            text = Json.text(masked(value));
        } else {
            text = value.toString();
        }
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "…";
    }

    static String key(String key) {
        return "key \"" + key + "\"";
    }

    /** Field names whose values are credentials. */
    static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        if (k.equals("virtual_key")) {
            return false; // a slug, not a secret
        }
        return k.contains("key")
                || k.contains("secret")
                || k.contains("token")
                || k.contains("password")
                || k.contains("credential")
                || k.contains("service_account")
                || k.contains("authorization");
    }

    private static JsonNode masked(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), isSecretKey(e.getKey()) ? copy.textNode("****") : masked(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.array();
            for (JsonNode element : node) {
                copy.add(masked(element));
            }
            return copy;
        }
        return node;
    }
}
