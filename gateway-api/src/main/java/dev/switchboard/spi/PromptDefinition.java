package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version of a prompt template as a {@link PromptStore} holds it: the prompt's JSON (its
 * {@code id}, {@code version}, {@code model}, {@code parameters}, {@code messages} with
 * {@code {{variables}}}, optional {@code tools} and {@code response_format}) and where it came from.
 * The gateway compiles and validates the template; this type only checks the id and version.
 *
 * <pre>{@code
 * PromptDefinition d = PromptDefinition.of(Json.parse(text), "prompts/support-reply.json");
 * d.id();       // "support-reply"
 * d.version();  // 3
 * }</pre>
 *
 * Immutable; identity-based equality (the gateway keeps the compiled form of each instance).
 */
public final class PromptDefinition {
    /** What a prompt id may look like: a letter or digit, then letters, digits, {@code . _ -}; at most 128. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String id;
    private final int version;
    private final ObjectNode json;
    private final String source;

    private PromptDefinition(String id, int version, ObjectNode json, String source) {
        this.id = id;
        this.version = version;
        this.json = json;
        this.source = source;
    }

    /**
     * Wraps a prompt's JSON.
     *
     * @param json   the prompt, a JSON object with a textual {@code id} and a positive integer {@code version}
     * @param source where it came from, for error messages (a file name, {@code "database"}, …)
     * @return the definition (it keeps a deep copy of {@code json})
     * @throws IllegalArgumentException when {@code json} is not an object, or its id or version is
     *                                  missing or malformed; the message names the source and the field
     */
    public static PromptDefinition of(JsonNode json, String source) {
        Objects.requireNonNull(source, "source");
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(source + ": found "
                    + (json == null
                            ? "nothing"
                            : "a JSON " + json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                    + ", expected a prompt object ({\"id\": \"support-reply\", \"version\": 1, \"messages\": [...]})");
        }
        JsonNode id = json.get("id");
        if (id == null || !id.isTextual() || !ID.matcher(id.textValue()).matches()) {
            throw new IllegalArgumentException(source + " at /id: found " + describe(id)
                    + ", expected a prompt id such as \"support-reply\" (letters, digits, '.', '_', '-'; at most 128)");
        }
        JsonNode version = json.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
            throw new IllegalArgumentException(
                    source + " at /version: found " + describe(version) + ", expected a positive integer such as 1");
        }
        return new PromptDefinition(id.textValue(), version.intValue(), ((ObjectNode) json).deepCopy(), source);
    }

    private static String describe(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        String text = v.toString();
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    /** {@return the prompt id, e.g. {@code support-reply}} */
    public String id() {
        return id;
    }

    /** {@return the version, a positive integer; the highest is the one used when none is asked for} */
    public int version() {
        return version;
    }

    /** {@return a copy of the prompt's JSON} */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** {@return the prompt's JSON without copying; callers must not modify it} */
    public ObjectNode jsonView() {
        return json;
    }

    /** {@return where the prompt came from, for error messages} */
    public String source() {
        return source;
    }

    /** {@return {@code id@version (source)}} */
    @Override
    public String toString() {
        return id + "@" + version + " (" + source + ")";
    }
}
