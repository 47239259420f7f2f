package dev.switchboard.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON documents in a model's answer as Portkey's {@code jsonSchema} and {@code jsonKeys}
 * handlers do ({@code extractJson}), then parses them as {@code JSON.parse} would:
 *
 * <ul>
 *   <li>fenced blocks: three or more backticks, an optional lower-case {@code json} tag, whitespace,
 *       then everything up to the next three backticks, trimmed; a block with another tag
 *       ({@code ```JSON}, {@code ```python}) keeps the tag in its text and does not parse;
 *   <li>bare JSON: each &#123; and the text up to the first &#125; after it (Portkey's
 *       <code>/&#123;[\s\S]*?&#125;/g</code>), scanned on from there; {@code jsonSchema} looks for bare JSON only when
 *       the text has no fenced block at all, {@code jsonKeys} always, after the blocks;
 *   <li>one documented difference: when that span does not parse because the object holds a nested
 *       object or a &#125; inside a string, the balanced object starting at the same &#123; is
 *       taken instead (Portkey cannot parse such an answer, so a JSON-mode answer with any nested
 *       object could never pass);
 *   <li>candidates that do not parse (strictly: no trailing text, no comments) are skipped; a block
 *       holding {@code null}, a number or a string parses to that value.
 * </ul>
 *
 * <pre>{@code
 * JsonCandidates.extract("Here:\n```json\n{\"a\":1}\n```", true)  // [{"a":1}]
 * }</pre>
 */
public final class JsonCandidates {
    private static final Pattern FENCE =
            Pattern.compile("```+(?:json)?[" + JsText.WHITESPACE_CLASS_BODY + "]*([\\s\\S]*?)```+");
    private static final Pattern BARE = Pattern.compile("\\{[\\s\\S]*?}");
    private static final ObjectReader STRICT =
            Json.newMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonCandidates() {}

    /**
     * The parsed candidates of {@code text}, in order.
     *
     * @param text                the answer text
     * @param bareOnlyWithoutFences true for {@code jsonSchema} (bare JSON only when no fenced block
     *                            matched), false for {@code jsonKeys} (fenced blocks, then bare JSON)
     * @return the values that parsed; JSON {@code null} is a null node
     */
    public static List<JsonNode> extract(String text, boolean bareOnlyWithoutFences) {
        List<JsonNode> out = new ArrayList<>();
        int fences = 0;
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            fences++;
            JsonNode n = parse(JsText.trim(m.group(1)));
            if (n != null) {
                out.add(n);
            }
        }
        if (bareOnlyWithoutFences && fences > 0) {
            return out;
        }
        Matcher b = BARE.matcher(text);
        while (b.find()) {
            JsonNode n = parse(b.group());
            if (n == null) {
                int end = balancedEnd(text, b.start());
                n = end < 0 ? null : parse(text.substring(b.start(), end + 1));
            }
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** {@code JSON.parse(text)}, or null when it would throw. */
    static JsonNode parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return STRICT.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** Index of the brace closing the one at {@code open}, skipping braces inside JSON strings; -1 if none. */
    private static int balancedEnd(String text, int open) {
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
}
