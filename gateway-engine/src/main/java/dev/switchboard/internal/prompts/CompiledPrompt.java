package dev.switchboard.internal.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.Json;
import dev.switchboard.prompts.PromptException;
import dev.switchboard.spi.PromptDefinition;
import dev.switchboard.spi.support.NearestName;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A prompt definition checked and compiled: its fields validated, every string of its
 * {@code messages} (but {@code role}) compiled as a {@link Mustache} template. {@link #render} makes
 * the chat completion body. Immutable and thread-safe.
 *
 * <p>The rendered body: {@code model}, then {@code parameters} (temperature, max_tokens, …), then
 * {@code messages} rendered, then {@code tools} and {@code response_format} as written (they are
 * not templates), then the request's overrides over all of it.
 */
public final class CompiledPrompt {
    /** The keys a prompt file may have. */
    static final List<String> KEYS =
            List.of("id", "version", "description", "model", "parameters", "messages", "tools", "response_format");

    /** Where a character of a string in the prompt's source is: line and column, 1-based; null when unknown. */
    @FunctionalInterface
    public interface Locator {
        /**
         * @param pointer the JSON pointer of a string
         * @param offset  a character offset in the string's (decoded) value
         * @return {@code {line, column}} in the source, or null when the source has no positions
         */
        int[] at(String pointer, int offset);
    }

    private final PromptDefinition definition;
    private final String model;
    private final ObjectNode parameters;
    private final ArrayNode messages;
    private final JsonNode tools;
    private final JsonNode responseFormat;
    /** The templates of the messages' strings by JSON pointer (relative to the prompt). */
    private final Map<String, Mustache.Template> templates;

    private CompiledPrompt(
            PromptDefinition definition,
            String model,
            ObjectNode parameters,
            ArrayNode messages,
            JsonNode tools,
            JsonNode responseFormat,
            Map<String, Mustache.Template> templates) {
        this.definition = definition;
        this.model = model;
        this.parameters = parameters;
        this.messages = messages;
        this.tools = tools;
        this.responseFormat = responseFormat;
        this.templates = Map.copyOf(templates);
    }

    /** {@return the definition compiled} */
    public PromptDefinition definition() {
        return definition;
    }

    /**
     * Checks and compiles a prompt.
     *
     * @param d       the prompt
     * @param locator where its strings are in its source, or null (positions are then given inside the template)
     * @return the compiled prompt
     * @throws PromptException naming the source, position, field, what was found and what was expected
     */
    public static CompiledPrompt compile(PromptDefinition d, Locator locator) {
        ObjectNode json = d.jsonView();
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!KEYS.contains(k)) {
                String near = NearestName.suggest(k, KEYS);
                throw problem(
                        d,
                        locator,
                        "/" + k,
                        -1,
                        "found an unknown field \"" + k + "\", expected one of " + KEYS
                                + (near == null ? "" : " (did you mean \"" + near + "\"?)"));
            }
        }
        JsonNode model = json.get("model");
        if (model == null || !model.isTextual() || model.textValue().isBlank()) {
            throw problem(
                    d, locator, "/model", -1, "found " + found(model) + ", expected the model, e.g. \"gpt-4o-mini\"");
        }
        JsonNode params = json.get("parameters");
        ObjectNode parameters = Json.object();
        if (params != null) {
            if (!params.isObject()) {
                throw problem(
                        d,
                        locator,
                        "/parameters",
                        -1,
                        "found " + found(params)
                                + ", expected an object of request parameters ({\"temperature\": 0.2, \"max_tokens\": 300})");
            }
            for (String reserved : List.of("messages", "model", "tools", "response_format", "variables")) {
                if (params.has(reserved)) {
                    throw problem(
                            d,
                            locator,
                            "/parameters/" + reserved,
                            -1,
                            "found \"" + reserved
                                    + "\" among the parameters, expected it "
                                    + ("variables".equals(reserved)
                                            ? "in the request"
                                            : "as a field of the prompt itself"));
                }
            }
            parameters = (ObjectNode) params;
        }
        JsonNode msgs = json.get("messages");
        if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
            throw problem(
                    d,
                    locator,
                    "/messages",
                    -1,
                    "found " + found(msgs)
                            + ", expected a non-empty array of messages ([{\"role\": \"user\", \"content\": \"{{question}}\"}])");
        }
        Map<String, Mustache.Template> templates = new HashMap<>();
        for (int i = 0; i < msgs.size(); i++) {
            JsonNode m = msgs.get(i);
            String at = "/messages/" + i;
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw problem(
                        d,
                        locator,
                        at,
                        -1,
                        "found " + found(m)
                                + ", expected a message object with a role ({\"role\": \"user\", \"content\": \"...\"})");
            }
            compileStrings(d, locator, m, at, templates);
        }
        JsonNode tools = json.get("tools");
        if (tools != null && !tools.isArray()) {
            throw problem(d, locator, "/tools", -1, "found " + found(tools) + ", expected an array of tools");
        }
        JsonNode rf = json.get("response_format");
        if (rf != null && !rf.isObject()) {
            throw problem(
                    d,
                    locator,
                    "/response_format",
                    -1,
                    "found " + found(rf) + ", expected an object such as {\"type\": \"json_object\"}");
        }
        return new CompiledPrompt(d, model.textValue(), parameters, (ArrayNode) msgs, tools, rf, templates);
    }

    private static void compileStrings(
            PromptDefinition d, Locator locator, JsonNode node, String pointer, Map<String, Mustache.Template> into) {
        if (node.isTextual()) {
            try {
                Mustache.Template t = Mustache.compile(node.textValue());
                if (!t.isConstant()) {
                    into.put(pointer, t);
                }
            } catch (Mustache.SyntaxError e) {
                throw problem(d, locator, pointer, e.offset(), e.getMessage(), node.textValue());
            }
        } else if (node.isObject()) {
            node.properties().forEach(f -> {
                if (!f.getKey().equals("role") || !pointer.matches("/messages/\\d+")) {
                    compileStrings(d, locator, f.getValue(), pointer + "/" + escape(f.getKey()), into);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                compileStrings(d, locator, node.get(i), pointer + "/" + i, into);
            }
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static PromptException problem(
            PromptDefinition d, Locator locator, String pointer, int offset, String msg) {
        return problem(d, locator, pointer, offset, msg, null);
    }

    private static PromptException problem(
            PromptDefinition d, Locator locator, String pointer, int offset, String msg, String template) {
        int[] pos = locator == null ? null : locator.at(pointer, Math.max(offset, 0));
        if (pos == null && template != null && offset >= 0) {
            // no file positions: the line and column inside the template text
            int line = 1;
            int col = 1;
            for (int i = 0; i < offset && i < template.length(); i++) {
                if (template.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new PromptException(
                    d.source(), pointer, 0, 0, msg + " (line " + line + ", column " + col + " of the template)");
        }
        return new PromptException(d.source(), pointer, pos == null ? 0 : pos[0], pos == null ? 0 : pos[1], msg);
    }

    private static String found(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        String t = v.toString();
        return t.length() <= 60 ? t : t.substring(0, 60) + "…";
    }

    /** A variable missing at render time, with where the template uses it. */
    public static final class MissingVariable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String name;

        MissingVariable(String message, String name) {
            super(message);
            this.name = name;
        }

        /** {@return the variable's name} */
        public String name() {
            return name;
        }
    }

    /**
     * Renders the chat completion body.
     *
     * @param variables the request's {@code variables} (an object; null for none)
     * @param overrides request fields set over the rendered prompt (never {@code messages} or {@code variables})
     * @return a new body
     * @throws MissingVariable naming the prompt, the variable and where it is used, and the names given
     */
    public ObjectNode render(JsonNode variables, ObjectNode overrides) {
        JsonNode vars = variables == null ? Json.object() : variables;
        ObjectNode body = Json.object();
        body.put("model", model);
        body.setAll(parameters.deepCopy());
        body.set("messages", renderNode(messages, "/messages", vars));
        if (tools != null) {
            body.set("tools", tools.deepCopy());
        }
        if (responseFormat != null) {
            body.set("response_format", responseFormat.deepCopy());
        }
        if (overrides != null) {
            overrides.properties().forEach(f -> {
                if (!f.getKey().equals("variables")) {
                    body.set(f.getKey(), f.getValue().deepCopy());
                }
            });
        }
        return body;
    }

    private JsonNode renderNode(JsonNode node, String pointer, JsonNode vars) {
        if (node.isTextual()) {
            Mustache.Template t = templates.get(pointer);
            if (t == null) {
                return node;
            }
            try {
                return TextNode.valueOf(t.render(vars));
            } catch (Mustache.MissingVariable e) {
                Set<String> given = new LinkedHashSet<>();
                vars.fieldNames().forEachRemaining(given::add);
                throw new MissingVariable(
                        "prompt \"" + definition.id() + "@" + definition.version() + "\": " + e.getMessage()
                                + " (used at " + pointer + "); the variables given: "
                                + (given.isEmpty() ? "none" : String.join(", ", given)),
                        e.name());
            }
        }
        if (node.isObject()) {
            ObjectNode out = Json.object();
            node.properties()
                    .forEach(f ->
                            out.set(f.getKey(), renderNode(f.getValue(), pointer + "/" + escape(f.getKey()), vars)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.array();
            for (int i = 0; i < node.size(); i++) {
                out.add(renderNode(node.get(i), pointer + "/" + i, vars));
            }
            return out;
        }
        return node.deepCopy();
    }
}
