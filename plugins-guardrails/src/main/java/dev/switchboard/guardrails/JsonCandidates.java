package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON documents in a model's answer: the contents of fenced code blocks tagged
 * {@code json} or untagged, or, when there are none, every balanced {@code {…}} span that parses.
 *
 * <pre>{@code
 * JsonCandidates.extract("Here:\n```json\n{\"a\":1}\n```")  // [{"a":1}]
 * }</pre>
 */
public final class JsonCandidates {
    private static final Pattern FENCE = Pattern.compile("```([A-Za-z0-9_+-]*)[ \\t]*\\r?\\n?(.*?)```", Pattern.DOTALL);

    private JsonCandidates() {}

    public static List<JsonNode> extract(String text) {
        List<JsonNode> out = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            String tag = m.group(1);
            if (tag.isEmpty() || tag.equalsIgnoreCase("json")) {
                JsonNode n = tryParse(m.group(2).strip());
                if (n != null && n.isContainerNode()) {
                    out.add(n);
                }
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        int i = text.indexOf('{');
        while (i >= 0) {
            int end = matchingBrace(text, i);
            JsonNode n = end < 0 ? null : tryParse(text.substring(i, end + 1));
            if (n != null && n.isObject()) {
                out.add(n);
                i = text.indexOf('{', end + 1);
            } else {
                i = text.indexOf('{', i + 1);
            }
        }
        return out;
    }

    /** Index of the brace closing the one at {@code open}, skipping braces inside JSON strings; -1 if none. */
    private static int matchingBrace(String text, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static JsonNode tryParse(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Json.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
