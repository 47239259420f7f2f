package dev.switchboard;

import dev.switchboard.internal.Redactor;
import java.util.List;

/**
 * An invalid config, reported when the gateway is built — never at request time. Every problem names
 * the JSON pointer ({@code /targets/1/retry/attempts}), what was found, what was expected, and for a
 * misspelt key the nearest valid one.
 *
 * <pre>{@code
 * try { Gateway.fromConfig(json); }
 * catch (ConfigException e) { e.problems().forEach(p -> System.err.println(p.path() + ": " + p.expected())); }
 * }</pre>
 */
public final class ConfigException extends RuntimeException {
    /** Every problem found, in config order; never empty. */
    private final List<Problem> problems;

    /**
     * Reports several problems at once; the message lists them all.
     *
     * @param problems every problem found; at least one
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public ConfigException(List<Problem> problems) {
        super(format(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /**
     * Reports one problem.
     *
     * @param path       JSON pointer into the config ({@code ""} for the root)
     * @param found      what was there, shortened; never a secret
     * @param expected   what would be valid
     * @param suggestion the nearest valid key or value for a misspelling, or null
     */
    public ConfigException(String path, String found, String expected, String suggestion) {
        this(List.of(new Problem(path, found, expected, suggestion)));
    }

    /** {@return every problem found, in config order; never empty} */
    public List<Problem> problems() {
        return problems;
    }

    /** {@return the JSON pointer of the first problem} */
    public String path() {
        return problems.get(0).path();
    }

    private static String format(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid config");
        if (problems.size() == 1) {
            return sb.append(" at ").append(problems.get(0)).toString();
        }
        sb.append(": ").append(problems.size()).append(" problems");
        for (Problem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }

    /**
     * One problem.
     *
     * @param path       JSON pointer into the config ({@code ""} for the root)
     * @param found      what was there, shortened (never a secret: api keys are shown as {@code "****"})
     * @param expected   what would be valid
     * @param suggestion the nearest valid key or value for a misspelling, or null
     */
    public record Problem(String path, String found, String expected, String suggestion) {
        /**
         * Masks key-shaped text ({@code sk-…}, {@code Bearer …}, {@code user:secret@} in a URL, …) in
         * what was found and what was expected, so no problem can carry a secret.
         *
         * @param path       JSON pointer into the config
         * @param found      what was there
         * @param expected   what would be valid
         * @param suggestion the nearest valid key or value, or null
         */
        public Problem {
            found = Redactor.patterns().redact(found);
            expected = Redactor.patterns().redact(expected);
        }

        @Override
        public String toString() {
            return (path.isEmpty() ? "/" : path) + ": found " + found + ", expected " + expected
                    + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)");
        }
    }
}
