package dev.switchboard.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a check's parameters, reported by {@link GuardrailCheck#prepare} inside an
 * {@link InvalidParametersException}. The gateway turns it into a {@code ConfigException} problem at
 * the parameter's JSON pointer ({@code /before_request_hooks/0/checks/1/parameters/maxWords}, or
 * {@code /input_guardrails/0/default.wordCount/maxWords} for the shorthand form).
 *
 * <pre>{@code
 * new ParameterProblem("maxWords", "\"five\"", "a non-negative integer")
 * // parameter 'maxWords': found "five", expected a non-negative integer
 * }</pre>
 *
 * @param parameter  the parameter's name, or the path to a value inside it, segments joined by
 *                   {@code /} and escaped as in a JSON pointer (build it with {@link #path}); {@code ""}
 *                   for the parameters object as a whole
 * @param found      what was there, shortened ({@code "five"}, {@code 1.5}, {@code nothing}); never a
 *                   secret: describe a header value or token instead of quoting it
 * @param expected   what would be valid
 * @param suggestion the nearest valid name or value for a likely misspelling, or null
 */
public record ParameterProblem(String parameter, String found, String expected, @Nullable String suggestion) {

    /**
     * Normalises a null {@code parameter} to {@code ""}; {@code found} and {@code expected} are required.
     *
     * @param parameter  the parameter's name or path; null for the parameters object as a whole
     * @param found      what was there, shortened; never a secret
     * @param expected   what would be valid
     * @param suggestion the nearest valid name or value, or null
     * @throws NullPointerException when {@code found} or {@code expected} is null
     */
    public ParameterProblem {
        parameter = parameter == null ? "" : parameter;
        Objects.requireNonNull(found, "found");
        Objects.requireNonNull(expected, "expected");
    }

    /**
     * A problem without a suggestion.
     *
     * @param parameter the parameter's name or path; null for the parameters object as a whole
     * @param found     what was there, shortened; never a secret
     * @param expected  what would be valid
     */
    public ParameterProblem(@Nullable String parameter, String found, String expected) {
        this(parameter, found, expected, null);
    }

    /**
     * The {@link #parameter} of a value inside a parameter: names escaped as in a JSON pointer
     * ({@code ~} → {@code ~0}, {@code /} → {@code ~1}), array indexes as numbers.
     *
     * <pre>{@code ParameterProblem.path("rules", "metadata", "plan")  // "rules/metadata/plan"}</pre>
     *
     * @param segments the names and indexes from the parameter down to the value, outermost first
     * @return the segments escaped and joined by {@code /}
     */
    public static String path(Object... segments) {
        StringBuilder sb = new StringBuilder();
        for (Object segment : segments) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(String.valueOf(segment).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /** {@code parameter 'maxWords': found "five", expected a non-negative integer}. */
    @Override
    public String toString() {
        return (parameter.isEmpty() ? "parameters" : "parameter '" + parameter + "'") + ": found " + found
                + ", expected " + expected + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)");
    }
}
