package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.containsCode} (after-request): passes when the answer has a fenced code block in
 * {@code format}; {@code not} inverts. As Portkey reads the text: a block is
 * {@code ```tag} (letters, digits or {@code _}), a line break right after the tag, then the code up
 * to the next line that starts with {@code ```}; an untagged fence or one with a space or
 * {@code \r} after the tag is no block. The tag, lower-cased, names the language through Portkey's
 * table ({@code py}, {@code python} and {@code gyp} are Python, {@code yml} is YAML, ...); a tag
 * outside the table is its own language ({@code bash} is "bash"). {@code format} is compared exactly,
 * so it is one of the table's names (SQL, Python, TypeScript, JavaScript, Java, C#, C++, C, Ruby,
 * PHP, Swift, Kotlin, Go, Rust, Scala, R, Perl, Shell, HTML, CSS, XML, JSON, YAML, Markdown,
 * Dockerfile) or a lower-case tag outside it. A format that can never be found ({@code python},
 * which the table turns into Python, or {@code Pyton}) is a config error with the nearest name.
 * No block at all gives the verdict {@code not}. An empty text is an error.
 *
 * <pre>{@code {"id": "default.containsCode", "parameters": {"format": "SQL", "not": true}}}</pre>
 */
public final class ContainsCodeCheck implements GuardrailCheck {
    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n[\\s\\S]*?\\n```");
    private static final Pattern RAW_TAG = Pattern.compile("\\w+");
    /** Portkey's {@code languageMap}: fence tag → language name. */
    private static final Map<String, String> LANGUAGES = new LinkedHashMap<>();

    static {
        String[][] table = {
            {"sql", "SQL"},
            {"py", "Python"},
            {"python", "Python"},
            {"gyp", "Python"},
            {"ts", "TypeScript"},
            {"tsx", "TypeScript"},
            {"typescript", "TypeScript"},
            {"js", "JavaScript"},
            {"jsx", "JavaScript"},
            {"javascript", "JavaScript"},
            {"java", "Java"},
            {"cs", "C#"},
            {"cpp", "C++"},
            {"c", "C"},
            {"rb", "Ruby"},
            {"php", "PHP"},
            {"swift", "Swift"},
            {"kt", "Kotlin"},
            {"go", "Go"},
            {"rs", "Rust"},
            {"scala", "Scala"},
            {"r", "R"},
            {"pl", "Perl"},
            {"sh", "Shell"},
            {"html", "HTML"},
            {"css", "CSS"},
            {"xml", "XML"},
            {"json", "JSON"},
            {"yml", "YAML"},
            {"md", "Markdown"},
            {"dockerfile", "Dockerfile"},
        };
        for (String[] row : table) {
            LANGUAGES.put(row[0], row[1]);
        }
    }

    @Override
    public String id() {
        return "default.containsCode";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    /** The prepared parameters. */
    private record Settings(String format, boolean not) {}

    /** Reads {@code format} (a name that can be found; a misspelling gets the nearest) and {@code not} once. */
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
        String format = p.requiredString("format");
        if (format != null && !findable(format)) {
            Set<String> names = new LinkedHashSet<>(LANGUAGES.values());
            String suggestion = LANGUAGES.containsKey(format.toLowerCase(Locale.ROOT))
                    ? LANGUAGES.get(format.toLowerCase(Locale.ROOT))
                    : ParameterReader.nearest(format, names);
            p.problem(
                    "format",
                    ParameterReader.found(p.get("format")) + " (no code block can have it: Portkey compares "
                            + "the language names exactly)",
                    "one of " + ParameterReader.quoted(names) + " or a lower-case fence tag outside that table",
                    suggestion);
        }
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(format, not);
    }

    /** Whether some fence tag can produce {@code format}. */
    private static boolean findable(String format) {
        return LANGUAGES.containsValue(format)
                || (!LANGUAGES.containsKey(format)
                        && RAW_TAG.matcher(format).matches()
                        && format.equals(format.toLowerCase(Locale.ROOT)));
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        String format = settings.format();
        boolean not = settings.not();
        String text = PortkeyText.text(context);
        if (text.isEmpty()) {
            throw new IllegalStateException("No text content to analyze");
        }
        List<String> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String tag = m.group(1).toLowerCase(Locale.ROOT);
            found.add(LANGUAGES.getOrDefault(tag, tag));
        }
        ObjectNode data = Json.object();
        boolean verdict;
        if (found.isEmpty()) {
            verdict = not;
            data.put("explanation", "No code blocks found in the text");
        } else {
            boolean has = found.contains(format);
            verdict = has != not;
            data.put(
                    "explanation",
                    verdict
                            ? not
                                    ? "No code blocks in " + format + " format found as expected"
                                    : "Found code block(s) in " + format + " format"
                            : not
                                    ? "Found code block(s) in " + format + " format when none were expected"
                                    : "No code blocks in " + format + " format found");
        }
        data.put("searchedFormat", format);
        data.put("not", not);
        ArrayNode formats = data.putArray("foundFormats");
        found.forEach(formats::add);
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
