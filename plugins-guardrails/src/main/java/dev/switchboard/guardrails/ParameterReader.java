package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.InvalidParametersException;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.support.NearestName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a check's {@code parameters} once, in {@code prepare}, collecting every problem instead of
 * stopping at the first: each accessor returns the default (or null) for a bad value and records a
 * {@link ParameterProblem} naming the parameter, what was found and what was expected.
 * {@link #throwIfInvalid()} then throws them all as one {@link InvalidParametersException}.
 *
 * <p>Unknown parameter names follow one rule: a name within typo distance of a known one
 * ({@code maxWord}, {@code maxwords}) is a problem with "did you mean"; any other unknown name is
 * accepted and ignored, because Portkey configs carry parameters some checks do not read.
 * {@code failOnError} (read by the gateway for every check) is always known.
 *
 * <pre>{@code
 * ParameterReader p = new ParameterReader("default.wordCount", parameters, "minWords", "maxWords", "not");
 * long max = p.nonNegative("maxWords", 99999);
 * p.throwIfInvalid();
 * }</pre>
 */
final class ParameterReader {
    /** The parameter the gateway reads for every check. */
    static final String FAIL_ON_ERROR = "failOnError";

    private static final int MAX_FOUND_LENGTH = 60;

    private final ObjectNode params;
    private final List<ParameterProblem> problems = new ArrayList<>();

    /** A reader that also reports likely misspellings of {@code known} parameter names. */
    ParameterReader(String checkId, ObjectNode params, String... known) {
        this.params = params == null ? Json.object() : params;
        Set<String> names = new LinkedHashSet<>(List.of(known));
        names.add(FAIL_ON_ERROR);
        this.params.fieldNames().forEachRemaining(name -> {
            if (!names.contains(name)) {
                String suggestion = nearest(name, names);
                if (suggestion != null) {
                    problems.add(new ParameterProblem(
                            ParameterProblem.path(name),
                            "unknown parameter \"" + name + "\"",
                            "a parameter of " + checkId,
                            suggestion));
                }
            }
        });
    }

    /** A reader without the unknown-name rule (the static {@link Params} helpers). */
    private ParameterReader(ObjectNode params) {
        this.params = params == null ? Json.object() : params;
    }

    static ParameterReader lenient(ObjectNode params) {
        return new ParameterReader(params);
    }

    /** The value, or null when absent or JSON {@code null}. */
    JsonNode get(String name) {
        JsonNode n = params.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return get(name) != null;
    }

    void problem(String parameter, String found, String expected) {
        problems.add(new ParameterProblem(parameter, found, expected));
    }

    void problem(String parameter, String found, String expected, String suggestion) {
        problems.add(new ParameterProblem(parameter, found, expected, suggestion));
    }

    /** The number of problems so far (to tell whether a group of reads went well). */
    int problemCount() {
        return problems.size();
    }

    List<ParameterProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Throws every problem found so far as one exception. */
    void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
    }

    /**
     * A flag Portkey's handlers test for truthiness ({@code parameters.not || false}): JSON true or
     * false, or the string "true". Any other value is a problem, because Portkey reads every non-empty
     * string (also "false") and every non-zero number as true: accepting them here would give them a
     * meaning Portkey does not.
     */
    boolean bool(String name, boolean defaultValue) {
        JsonNode n = get(name);
        if (n == null) {
            return defaultValue;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && n.asText().equals("true")) {
            return true;
        }
        problem(
                name,
                found(n) + (n.isTextual() && !n.asText().isEmpty() ? " (a string, which Portkey reads as true)" : ""),
                "true or false");
        return defaultValue;
    }

    /** A flag Portkey compares with {@code === true} or {@code !== false}: JSON true or false only. */
    boolean strictBool(String name, boolean defaultValue) {
        JsonNode n = get(name);
        if (n == null) {
            return defaultValue;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        problem(name, found(n) + " (Portkey compares it with the JSON value " + !defaultValue + ")", "true or false");
        return defaultValue;
    }

    /** Any JSON number ({@code typeof x === 'number'}); null when absent or after a problem. */
    Double number(String name, String expected) {
        JsonNode n = get(name);
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            problem(name, found(n), expected);
            return null;
        }
        return n.doubleValue();
    }

    /** An integral number (1.0 is accepted, 1.5 is not). */
    long integer(String name, long defaultValue) {
        Long v = integral(name, "an integer");
        return v == null ? defaultValue : v;
    }

    /** A non-negative integer. */
    long nonNegative(String name, long defaultValue) {
        Long v = integral(name, "a non-negative integer");
        if (v == null) {
            return defaultValue;
        }
        if (v < 0) {
            problem(name, found(get(name)), "a non-negative integer");
            return defaultValue;
        }
        return v;
    }

    private Long integral(String name, String expected) {
        JsonNode n = get(name);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
            return (long) n.doubleValue();
        }
        problem(name, found(n), expected);
        return null;
    }

    String string(String name, String defaultValue) {
        JsonNode n = get(name);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isTextual()) {
            problem(name, found(n), "a string");
            return defaultValue;
        }
        return n.asText();
    }

    /** A required, non-empty string; null after a problem. */
    String requiredString(String name) {
        JsonNode n = get(name);
        if (n == null || (n.isTextual() && n.asText().isEmpty())) {
            problem(name, n == null ? "nothing" : "\"\"", "a non-empty string (required)");
            return null;
        }
        return string(name, null);
    }

    /** An array of strings, or (when {@code csvAllowed}) a comma-separated string; absent gives an empty list. */
    List<String> strings(String name, boolean csvAllowed) {
        JsonNode n = get(name);
        if (n == null) {
            return List.of();
        }
        if (n.isTextual() && csvAllowed) {
            return Params.csv(n.asText());
        }
        if (!n.isArray()) {
            problem(name, found(n), "an array of strings" + (csvAllowed ? " or a comma-separated string" : ""));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                problem(ParameterProblem.path(name, i), found(e), "a string");
            } else {
                out.add(e.asText());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** A required, non-empty array of strings. */
    List<String> requiredStrings(String name) {
        JsonNode n = get(name);
        if (n == null || (n.isArray() && n.isEmpty())) {
            problem(name, n == null ? "nothing" : "[]", "a non-empty array of strings (required)");
            return List.of();
        }
        return strings(name, false);
    }

    /** One of the allowed values (exact match), suggesting the nearest for a misspelling. */
    String oneOf(String name, String defaultValue, List<String> allowed) {
        String v = string(name, defaultValue);
        if (!allowed.contains(v)) {
            problem(name, found(get(name)), "one of " + quoted(allowed), nearest(v, allowed));
            return defaultValue;
        }
        return v;
    }

    /**
     * HTTP headers given as a JSON object or as a string holding a JSON object; absent gives an empty
     * map. Values are never quoted in a problem: they are often credentials.
     */
    Map<String, String> headers(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Map.of();
        }
        if (n.isTextual()) {
            if (n.asText().isBlank()) {
                return Map.of();
            }
            try {
                n = Json.parse(n.asText());
            } catch (IllegalArgumentException e) {
                problem(
                        name,
                        "a string that is not JSON",
                        "an object of header names to values, or a string holding one");
                return Map.of();
            }
        }
        if (!n.isObject()) {
            problem(name, "a " + kind(n), "an object of header names to values, or a string holding one");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isValueNode()) {
                problem(ParameterProblem.path(name, e.getKey()), "a " + kind(e.getValue()), "a string header value");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A required JavaScript regular expression, translated once ({@link JsRegex}); null after a problem,
     * which names JavaScript's error (or why the pattern cannot run with the same meaning) and its index.
     *
     * @param literalForm whether {@code /pattern/flags} is read as a regex literal (Portkey's
     *                    {@code regexReplace} does; {@code regexMatch} uses the rule as the pattern as written)
     */
    JsRegex jsRegex(String name, boolean literalForm) {
        String rule = requiredString(name);
        if (rule == null) {
            return null;
        }
        String tooLong = JsRegex.BUDGET.patternProblem(rule);
        if (tooLong != null) {
            // the rule itself is not quoted: it is long, and only its length matters here
            problem(
                    name,
                    tooLong,
                    "a regular expression of at most " + JsRegex.BUDGET.maxPatternLength() + " characters");
            return null;
        }
        try {
            return literalForm ? JsRegex.parseRule(rule) : JsRegex.compile(rule, "");
        } catch (JsRegex.SyntaxError e) {
            problem(name, found(get(name)) + " (" + e.getMessage() + ")", "a valid JavaScript regular expression");
            return null;
        }
    }

    /**
     * A required http(s) URL; null after a problem. The problem never quotes more of the URL than its
     * scheme and host: a path or query string may hold a token.
     */
    URI httpUrl(String name) {
        String text = requiredString(name);
        if (text == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            problem(
                    name,
                    "a string that is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")",
                    "an http(s) URL");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problem(
                    name,
                    scheme.isEmpty() ? "a URL without a scheme" : "a URL with scheme \"" + uri.getScheme() + "\"",
                    "an http(s) URL",
                    nearest(scheme, List.of("http", "https")));
            return null;
        }
        if (uri.getHost() == null) {
            problem(name, "a " + scheme + " URL without a host", "an http(s) URL with a host");
            return null;
        }
        return uri;
    }

    /** A value as a problem shows it: JSON text, shortened. */
    static String found(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String text = n.isContainerNode() ? Json.text(n) : n.toString();
        return text.length() <= MAX_FOUND_LENGTH ? text : text.substring(0, MAX_FOUND_LENGTH) + "…";
    }

    /** "an object", "an array", "a number", … for values that must not be quoted. */
    static String kind(JsonNode n) {
        if (n.isObject()) {
            return "JSON object";
        }
        if (n.isArray()) {
            return "JSON array";
        }
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String quoted(Collection<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add("\"" + v + "\""));
        return String.join(", ", out);
    }

    /**
     * The candidate nearest to {@code written} if it is a plausible typo: case-insensitive optimal
     * string alignment distance at most 1 for names of up to 3 characters, else at most 2.
     * The same rule the gateway uses for config keys, within the parameters' two-edit bound.
     */
    static String nearest(String written, Collection<String> candidates) {
        return NearestName.suggest(written, candidates, 2);
    }
}
