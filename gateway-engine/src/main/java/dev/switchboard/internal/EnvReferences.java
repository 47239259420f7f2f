package dev.switchboard.internal;

import java.util.function.Function;

/**
 * Expands {@code ${NAME}} references to environment variables in secrets, the one implementation
 * behind the keys file and the config compiler. {@code NAME} is letters, digits and {@code _}, not
 * starting with a digit; <code>$${</code> stands for a literal <code>${</code>. Any other <code>${</code> (no
 * closing brace, a bad name) is an error rather than text sent upstream as it is. An unset or empty
 * variable is an error naming the variable; errors never quote the value being expanded.
 *
 * <pre>{@code
 * EnvReferences.expand("${OPENAI_API_KEY}", System::getenv);      // "sk-..."
 * EnvReferences.expand("pa$${word}", System::getenv);             // "pa${word}"
 * EnvReferences.expand("${OPENAI_API_KEY}", null);                // throws: references not allowed here
 * }</pre>
 */
public final class EnvReferences {
    private EnvReferences() {}

    /** Why a value could not be expanded. */
    public enum Reason {
        /** the variable is not set */
        NOT_SET,
        /** the variable is set to the empty string */
        EMPTY,
        /** <code>${</code> not followed by a name and <code>}</code> */
        MALFORMED,
        /** a reference where the environment may not be read (a per-request config) */
        NOT_ALLOWED
    }

    /** A reference that could not be expanded; the message names the variable, never a value. */
    public static final class UnresolvedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final Reason reason;
        private final String variable;

        UnresolvedException(Reason reason, String variable) {
            super(describe(reason, variable));
            this.reason = reason;
            this.variable = variable;
        }

        /** Why the reference failed. */
        public Reason reason() {
            return reason;
        }

        /** The variable's name; null for a malformed reference. */
        public String variable() {
            return variable;
        }

        private static String describe(Reason reason, String variable) {
            switch (reason) {
                case NOT_SET:
                    return "environment variable " + variable + " is not set";
                case EMPTY:
                    return "environment variable " + variable + " is set but empty";
                case NOT_ALLOWED:
                    return "a reference to environment variable " + variable
                            + ", which is only expanded in the gateway's own config, never in a per-request config";
                case MALFORMED:
                default:
                    return "a malformed ${...} reference (expected ${NAME}, NAME of letters, digits and _;"
                            + " write $${ for a literal ${)";
            }
        }
    }

    /** Whether {@code value} contains anything {@link #expand} would change or reject. */
    public static boolean hasReference(String value) {
        return value != null && value.contains("${");
    }

    /**
     * {@code value} with every {@code ${NAME}} replaced by {@code env.apply(NAME)} and every
     * <code>$${</code> by <code>${</code>.
     *
     * @param env the environment (null when references are not allowed: any {@code ${NAME}} fails)
     * @throws UnresolvedException for an unset or empty variable, a malformed reference, or any
     *                             reference when {@code env} is null
     */
    public static String expand(String value, Function<String, String> env) {
        if (!hasReference(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            int at = value.indexOf("${", i);
            if (at < 0) {
                out.append(value, i, value.length());
                break;
            }
            if (at > i && value.charAt(at - 1) == '$') {
                // "$${" is the escape for a literal "${"; the first '$' was copied already
                out.append(value, i, at - 1).append("${");
                i = at + 2;
                continue;
            }
            out.append(value, i, at);
            int close = value.indexOf('}', at + 2);
            String name = close < 0 ? null : value.substring(at + 2, close);
            if (name == null || !isName(name)) {
                throw new UnresolvedException(Reason.MALFORMED, null);
            }
            if (env == null) {
                throw new UnresolvedException(Reason.NOT_ALLOWED, name);
            }
            String v = env.apply(name);
            if (v == null) {
                throw new UnresolvedException(Reason.NOT_SET, name);
            }
            if (v.isEmpty()) {
                throw new UnresolvedException(Reason.EMPTY, name);
            }
            out.append(v);
            i = close + 1;
        }
        return out.toString();
    }

    private static boolean isName(String s) {
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
