package dev.switchboard.internal.prompts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a JSON text starts (line, column, character offset), by JSON pointer, so a
 * problem found inside a string value — a template's unclosed tag at character 17 — can be named by
 * its line and column in the file. Escapes in the string ({@code \n}, {@code \u00e9}) are walked, so
 * the column is the file's, not the decoded value's.
 */
final class JsonPositions implements CompiledPrompt.Locator {
    private record Start(int line, int column, long charOffset, boolean string) {}

    private final String text;
    private final Map<String, Start> starts;

    private JsonPositions(String text, Map<String, Start> starts) {
        this.text = text;
        this.starts = starts;
    }

    /** The positions of {@code text}, already known to be valid JSON; empty positions when it cannot be read. */
    static JsonPositions of(String text) {
        Map<String, Start> starts = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonLocation at = p.currentTokenLocation();
                String pointer = p.getParsingContext().pathAsPointer().toString();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    // the container's own context is the one just opened: its pointer is the parent's
                    pointer = p.getParsingContext().getParent() == null
                            ? ""
                            : p.getParsingContext().getParent().pathAsPointer().toString();
                }
                starts.putIfAbsent(
                        pointer,
                        new Start(at.getLineNr(), at.getColumnNr(), at.getCharOffset(), t == JsonToken.VALUE_STRING));
            }
        } catch (IOException e) {
            // positions are a courtesy: without them problems still name the field
        }
        return new JsonPositions(text, starts);
    }

    @Override
    public int[] at(String pointer, int offset) {
        Start s = starts.get(pointer);
        if (s == null) {
            return null;
        }
        if (!s.string() || s.charOffset() < 0) {
            return new int[] {s.line(), s.column()};
        }
        // walk the raw string from after its opening quote, one decoded character at a time
        int raw = (int) s.charOffset() + 1;
        int consumed = 0;
        for (int k = 0; k < offset && raw < text.length() && text.charAt(raw) != '"'; k++) {
            int step = text.charAt(raw) != '\\' ? 1 : raw + 1 < text.length() && text.charAt(raw + 1) == 'u' ? 6 : 2;
            raw += step;
            consumed += step;
        }
        return new int[] {s.line(), s.column() + 1 + consumed};
    }
}
