package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.containsCode} (after-request): passes when the answer has a fenced code block whose
 * language tag belongs to {@code format} (SQL, Python, TypeScript, …; e.g. Python accepts
 * {@code py} and {@code python}); {@code not} inverts. Untagged blocks carry no language and never match.
 *
 * <pre>{@code {"id": "default.containsCode", "parameters": {"format": "SQL", "not": true}}}</pre>
 */
public final class ContainsCodeCheck implements GuardrailCheck {
    private static final Pattern FENCE_TAG = Pattern.compile("```[ \\t]*([^\\s`]*)");
    private static final Map<String, List<String>> TAGS = new LinkedHashMap<>();

    static {
        TAGS.put("SQL", List.of("sql", "mysql", "postgresql", "postgres", "plsql", "tsql", "sqlite"));
        TAGS.put("Python", List.of("py", "python", "python3"));
        TAGS.put("TypeScript", List.of("ts", "typescript", "tsx"));
        TAGS.put("JavaScript", List.of("js", "javascript", "jsx", "mjs", "node"));
        TAGS.put("Java", List.of("java"));
        TAGS.put("C#", List.of("cs", "csharp", "c#"));
        TAGS.put("C++", List.of("cpp", "c++", "cc", "cxx", "hpp"));
        TAGS.put("C", List.of("c", "h"));
        TAGS.put("Ruby", List.of("rb", "ruby"));
        TAGS.put("PHP", List.of("php"));
        TAGS.put("Swift", List.of("swift"));
        TAGS.put("Kotlin", List.of("kt", "kotlin", "kts"));
        TAGS.put("Go", List.of("go", "golang"));
        TAGS.put("Rust", List.of("rs", "rust"));
        TAGS.put("Scala", List.of("scala", "sc"));
        TAGS.put("R", List.of("r"));
        TAGS.put("Perl", List.of("pl", "perl"));
        TAGS.put("Shell", List.of("sh", "bash", "shell", "zsh", "ksh"));
        TAGS.put("HTML", List.of("html", "htm", "xhtml"));
        TAGS.put("CSS", List.of("css"));
        TAGS.put("XML", List.of("xml"));
        TAGS.put("JSON", List.of("json", "jsonc"));
        TAGS.put("YAML", List.of("yaml", "yml"));
        TAGS.put("Markdown", List.of("md", "markdown"));
        TAGS.put("Dockerfile", List.of("dockerfile", "docker"));
    }

    @Override
    public String id() {
        return "default.containsCode";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    /** The prepared parameters: {@code format} as its canonical name. */
    private record Settings(String format, boolean not) {}

    /** Reads {@code format} (case-insensitive, a misspelling gets the nearest) and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Settings settings = read(parameters);
        return context -> evaluate(context, settings);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private Settings read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "format", "not");
        String requested = p.requiredString("format");
        String format = requested == null ? null : format(requested);
        if (requested != null && format == null) {
            p.problem("format", ParameterReader.found(p.get("format")), "one of " + ParameterReader.quoted(TAGS.keySet()),
                    ParameterReader.nearest(requested, TAGS.keySet()));
        }
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(format, not);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        String format = settings.format();
        boolean not = settings.not();
        List<String> accepted = TAGS.get(format);
        Set<String> tags = blockTags(context.text());
        boolean found = tags.stream().anyMatch(accepted::contains);
        ObjectNode data = Explanations.of(found
                ? "The text contains a " + format + " code block" + (not ? ", which is not allowed." : ".")
                : "The text contains no " + format + " code block" + (not ? ", as required." : "."));
        data.put("format", format);
        tags.forEach(data.putArray("codeBlockLanguages")::add);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(found, not), data);
    }

    /** The canonical name of a format (case-insensitive), or null. */
    private static String format(String requested) {
        for (String f : TAGS.keySet()) {
            if (f.equalsIgnoreCase(requested)) {
                return f;
            }
        }
        return null;
    }

    /** Language tags of the opening fences (every other fence closes a block). */
    private static Set<String> blockTags(String text) {
        Set<String> tags = new LinkedHashSet<>();
        Matcher m = FENCE_TAG.matcher(text);
        boolean opening = true;
        while (m.find()) {
            if (opening && !m.group(1).isEmpty()) {
                tags.add(m.group(1).toLowerCase(Locale.ROOT));
            }
            opening = !opening;
        }
        return tags;
    }
}
