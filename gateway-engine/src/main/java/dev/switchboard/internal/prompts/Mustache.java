package dev.switchboard.internal.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A small Mustache for prompt templates: variables {@code {{name}}} with dotted names
 * ({@code {{customer.name}}}) and the implicit iterator {@code {{.}}}, sections
 * {@code {{#x}}…{{/x}}} (a list repeats its body per element, any other truthy value renders it once
 * with the value on top of the context, a falsy one skips it), inverted sections {@code {{^x}}…{{/x}}}
 * and comments {@code {{! … }}}. Tags alone on their line (sections, inverted sections, their ends and
 * comments) take the line with them, as Mustache's "standalone" rule says.
 *
 * <p>Deliberate differences from Mustache, for prompts rather than HTML:
 * <ul>
 *   <li>No HTML escaping: {@code {{x}}} inserts the value as is; {@code {{{x}}}} and {@code {{& x}}}
 *       are accepted and mean the same. A value is never re-read as a template.</li>
 *   <li>A variable that is missing (or JSON null) is an error naming it, never the empty string. A
 *       section or inverted section on a missing name treats it as false (that is what they test).</li>
 *   <li>Falsy: missing, null, false, an empty list and the empty string. Everything else (0 included) is truthy.</li>
 *   <li>Objects and lists inserted by {@code {{x}}} are written as compact JSON; numbers and booleans as their JSON text.</li>
 *   <li>Partials ({@code {{> name}}}) and delimiter changes ({@code {{=<% %>=}}}) are not supported:
 *       they are errors when the template is compiled.</li>
 * </ul>
 *
 * <pre>{@code
 * Mustache.Template t = Mustache.compile("Hi {{user.name}}{{#items}}, {{.}}{{/items}}");
 * t.render(Json.parse("{\"user\":{\"name\":\"Ada\"},\"items\":[1,2]}"));   // "Hi Ada, 1, 2"
 * }</pre>
 */
public final class Mustache {
    private Mustache() {}

    /** A template that could not be compiled; {@link #offset} is the character where the problem is. */
    public static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int offset;

        SyntaxError(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        /** {@return the offset in the template text where the problem starts} */
        public int offset() {
            return offset;
        }
    }

    /** A variable the template needs that the variables do not have (or have as null). */
    public static final class MissingVariable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final int offset;

        MissingVariable(String name, int offset, String why) {
            super("variable \"" + name + "\" " + why);
            this.name = name;
            this.offset = offset;
        }

        /** {@return the variable's name as the template writes it, e.g. {@code customer.name}} */
        public String name() {
            return name;
        }

        /** {@return the offset of its tag in the template text} */
        public int offset() {
            return offset;
        }
    }

    private sealed interface Node permits Text, Var, Section {}

    private record Text(String text) implements Node {}

    private record Var(String name, String[] path, int offset) implements Node {}

    private record Section(String name, String[] path, boolean inverted, List<Node> body, int offset) implements Node {}

    /** A compiled template. Immutable and thread-safe. */
    public static final class Template {
        private final List<Node> nodes;
        private final String source;

        private Template(List<Node> nodes, String source) {
            this.nodes = nodes;
            this.source = source;
        }

        /** {@return the template text it was compiled from} */
        public String source() {
            return source;
        }

        /** {@return true when the template has no tags (renders to its own text)} */
        public boolean isConstant() {
            return nodes.isEmpty() || (nodes.size() == 1 && nodes.get(0) instanceof Text);
        }

        /** {@return the top-level names the template reads, in order of appearance (for messages)} */
        public Set<String> names() {
            Set<String> out = new LinkedHashSet<>();
            collect(nodes, out);
            return out;
        }

        private static void collect(List<Node> nodes, Set<String> out) {
            for (Node n : nodes) {
                if (n instanceof Var v && !".".equals(v.name())) {
                    out.add(v.name());
                } else if (n instanceof Section s) {
                    out.add(s.name());
                    collect(s.body(), out);
                }
            }
        }

        /**
         * Renders the template.
         *
         * @param variables the variables, usually an object
         * @return the text
         * @throws MissingVariable when a {@code {{name}}} has no value
         */
        public String render(JsonNode variables) {
            StringBuilder out = new StringBuilder(source.length() + 64);
            Deque<JsonNode> stack = new ArrayDeque<>();
            stack.push(variables == null ? Json.object() : variables);
            render(nodes, stack, out);
            return out.toString();
        }

        private static void render(List<Node> nodes, Deque<JsonNode> stack, StringBuilder out) {
            for (Node n : nodes) {
                if (n instanceof Text t) {
                    out.append(t.text());
                } else if (n instanceof Var v) {
                    JsonNode value = resolve(v.path(), stack);
                    if (value == null) {
                        throw new MissingVariable(v.name(), v.offset(), "is missing");
                    }
                    if (value.isNull()) {
                        throw new MissingVariable(v.name(), v.offset(), "is null");
                    }
                    out.append(value.isValueNode() ? value.asText() : Json.text(value));
                } else {
                    Section s = (Section) n;
                    JsonNode value = resolve(s.path(), stack);
                    boolean truthy = truthy(value);
                    if (s.inverted()) {
                        if (!truthy) {
                            render(s.body(), stack, out);
                        }
                    } else if (truthy) {
                        if (value.isArray()) {
                            for (JsonNode item : value) {
                                stack.push(item);
                                render(s.body(), stack, out);
                                stack.pop();
                            }
                        } else {
                            stack.push(value);
                            render(s.body(), stack, out);
                            stack.pop();
                        }
                    }
                }
            }
        }

        private static boolean truthy(JsonNode v) {
            if (v == null || v.isNull() || v.isMissingNode()) {
                return false;
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isArray()) {
                return !v.isEmpty();
            }
            return !(v.isTextual() && v.textValue().isEmpty());
        }

        /** Mustache's lookup: the first name up the context stack, the rest inside what it found. */
        private static JsonNode resolve(String[] path, Deque<JsonNode> stack) {
            if (path.length == 0) {
                return stack.peek(); // "."
            }
            JsonNode found = null;
            for (JsonNode ctx : stack) {
                if (ctx.isObject() && ctx.has(path[0])) {
                    found = ctx.get(path[0]);
                    break;
                }
            }
            for (int i = 1; i < path.length && found != null; i++) {
                found = found.isObject() ? found.get(path[i]) : null;
            }
            return found;
        }
    }

    private enum Kind {
        VAR,
        SECTION,
        INVERTED,
        CLOSE,
        COMMENT
    }

    private record Tag(Kind kind, String name, int start, int end) {}

    /**
     * Compiles a template.
     *
     * @param text the template
     * @return the template
     * @throws SyntaxError naming the problem, at the offset where it is
     */
    public static Template compile(String text) {
        List<Tag> tags = tags(text);
        BitSet dropped = standalone(text, tags);
        Deque<Section> open = new ArrayDeque<>();
        Deque<List<Node>> bodies = new ArrayDeque<>();
        List<Node> root = new ArrayList<>();
        bodies.push(root);
        int at = 0;
        for (Tag t : tags) {
            addText(text, at, t.start(), dropped, bodies.peek());
            at = t.end();
            switch (t.kind()) {
                case COMMENT -> {}
                case VAR -> bodies.peek().add(new Var(t.name(), path(t.name()), t.start()));
                case SECTION, INVERTED -> {
                    if (".".equals(t.name())) {
                        throw new SyntaxError(
                                "a section cannot be named \".\"; name the list or value it tests", t.start());
                    }
                    Section s = new Section(
                            t.name(), path(t.name()), t.kind() == Kind.INVERTED, new ArrayList<>(), t.start());
                    bodies.peek().add(s);
                    open.push(s);
                    bodies.push(s.body());
                }
                case CLOSE -> {
                    if (open.isEmpty()) {
                        throw new SyntaxError(
                                "found {{/" + t.name() + "}} with no open section; expected {{#" + t.name()
                                        + "}} or {{^" + t.name() + "}} before it",
                                t.start());
                    }
                    Section s = open.peek();
                    if (!s.name().equals(t.name())) {
                        throw new SyntaxError(
                                "found {{/" + t.name() + "}}, expected {{/" + s.name()
                                        + "}} to close the section opened" + " at offset " + s.offset(),
                                t.start());
                    }
                    open.pop();
                    bodies.pop();
                }
            }
        }
        if (!open.isEmpty()) {
            Section s = open.peek();
            throw new SyntaxError(
                    "section {{" + (s.inverted() ? "^" : "#") + s.name() + "}} is never closed; expected {{/" + s.name()
                            + "}}",
                    s.offset());
        }
        addText(text, at, text.length(), dropped, root);
        return new Template(List.copyOf(root), text);
    }

    private static void addText(String text, int from, int to, BitSet dropped, List<Node> into) {
        if (from >= to) {
            return;
        }
        int next = dropped.nextSetBit(from);
        if (next < 0 || next >= to) {
            into.add(new Text(text.substring(from, to)));
            return;
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            if (!dropped.get(i)) {
                sb.append(text.charAt(i));
            }
        }
        if (sb.length() > 0) {
            into.add(new Text(sb.toString()));
        }
    }

    private static List<Tag> tags(String text) {
        List<Tag> tags = new ArrayList<>();
        int i = 0;
        while (true) {
            int start = text.indexOf("{{", i);
            if (start < 0) {
                return tags;
            }
            if (text.startsWith("{{{", start)) {
                int close = text.indexOf("}}}", start + 3);
                int plain = text.indexOf("}}", start + 3);
                if (close < 0) {
                    throw new SyntaxError(
                            plain < 0
                                    ? "unclosed tag: \"{{{\" has no \"}}}\""
                                    : "found \"{{{\" closed by \"}}\", expected \"}}}\"",
                            start);
                }
                String name = checkedName(text.substring(start + 3, close), start);
                tags.add(new Tag(Kind.VAR, name, start, close + 3));
                i = close + 3;
                continue;
            }
            int close = text.indexOf("}}", start + 2);
            if (close < 0) {
                throw new SyntaxError("unclosed tag: \"{{\" has no \"}}\"", start);
            }
            String inner = text.substring(start + 2, close);
            String trimmed = inner.strip();
            int end = close + 2;
            char sigil = trimmed.isEmpty() ? 0 : trimmed.charAt(0);
            switch (sigil) {
                case '!' -> tags.add(new Tag(Kind.COMMENT, "", start, end));
                case '#' -> tags.add(new Tag(Kind.SECTION, checkedName(trimmed.substring(1), start), start, end));
                case '^' -> tags.add(new Tag(Kind.INVERTED, checkedName(trimmed.substring(1), start), start, end));
                case '/' -> tags.add(new Tag(Kind.CLOSE, checkedName(trimmed.substring(1), start), start, end));
                case '&' -> tags.add(new Tag(Kind.VAR, checkedName(trimmed.substring(1), start), start, end));
                case '>' ->
                    throw new SyntaxError(
                            "found a partial {{" + trimmed + "}}; partials are not supported in prompt templates",
                            start);
                case '=' ->
                    throw new SyntaxError(
                            "found a delimiter change {{" + trimmed + "}}; prompt templates keep {{ }}", start);
                case '{' -> throw new SyntaxError("found \"{{{\" not closed by \"}}}\"", start);
                default -> tags.add(new Tag(Kind.VAR, checkedName(trimmed, start), start, end));
            }
            i = end;
        }
    }

    private static String checkedName(String raw, int offset) {
        String name = raw.strip();
        if (name.isEmpty()) {
            throw new SyntaxError("found an empty tag, expected a variable name such as {{customer}}", offset);
        }
        if (name.equals(".")) {
            return name;
        }
        boolean ok = !name.startsWith(".") && !name.endsWith(".") && !name.contains("..");
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
        }
        if (!ok) {
            String shown = name.length() <= 40 ? name : name.substring(0, 40) + "…";
            throw new SyntaxError(
                    "found \"" + shown + "\" in a tag, expected a variable name (letters, digits, '_', '-', dotted"
                            + " as customer.name, or \".\")",
                    offset);
        }
        return name;
    }

    private static String[] path(String name) {
        return ".".equals(name) ? new String[0] : name.split("\\.", -1);
    }

    /**
     * Mustache's standalone rule: a section, inverted section, end or comment tag alone on its line
     * (only blanks around it) takes the line with it — its blanks and its line break.
     */
    private static BitSet standalone(String text, List<Tag> tags) {
        BitSet dropped = new BitSet(text.length());
        for (Tag t : tags) {
            if (t.kind() == Kind.VAR) {
                continue;
            }
            int lineStart = text.lastIndexOf('\n', t.start() - 1) + 1;
            int nl = text.indexOf('\n', t.end());
            int lineEnd = nl < 0 ? text.length() : nl;
            if (blank(text, lineStart, t.start()) && blank(text, t.end(), lineEnd)) {
                dropped.set(lineStart, t.start());
                dropped.set(t.end(), nl < 0 ? text.length() : nl + 1);
            }
        }
        return dropped;
    }

    private static boolean blank(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
