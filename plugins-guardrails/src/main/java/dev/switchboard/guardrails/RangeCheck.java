package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The inclusive range and {@code not} of the counting checks (words, sentences, characters). A
 * bound that is absent takes the default Portkey's manifest documents (0 and 99999 or 9999999);
 * Portkey's handlers ignore those defaults and error, which fails open. A bound the handler would
 * reject on every request (not a number, or not an integer where it tests {@code Number.isInteger})
 * is a config error, and so are bounds no count can meet (a negative maximum, a minimum above the
 * maximum): with them Portkey denies every request.
 */
record RangeCheck(double min, double max, boolean not) {

    /** Reads {@code <minName>}, {@code <maxName>} and {@code not}; throws every problem at once. */
    static RangeCheck read(
            String checkId, ObjectNode parameters, String minName, String maxName, long maxDefault, boolean integers) {
        ParameterReader p = new ParameterReader(checkId, parameters, minName, maxName, "not");
        int before = p.problemCount();
        double min;
        double max;
        if (integers) {
            min = p.integer(minName, 0);
            max = p.nonNegative(maxName, maxDefault);
        } else {
            Double lo = p.number(minName, "a number");
            Double hi = p.number(maxName, "a non-negative number");
            min = lo == null ? 0 : lo;
            max = hi == null ? maxDefault : hi;
            if (hi != null && hi < 0) {
                p.problem(maxName, ParameterReader.found(p.get(maxName)), "a non-negative number");
            }
        }
        if (p.problemCount() == before && min > max) {
            p.problem(
                    minName,
                    number(min) + " (greater than " + maxName + " " + number(max) + ")",
                    "a value at most " + maxName + " (" + number(max) + ")");
        }
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new RangeCheck(min, max, not);
    }

    /** Whether {@code count} is in range, inverted by {@code not}. */
    boolean verdict(long count) {
        return (count >= min && count <= max) != not;
    }

    /** A bound as JavaScript prints it (5, not 5.0). */
    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Puts a bound into {@code data} as an integer when it is one. */
    static void put(ObjectNode data, String name, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            data.put(name, (long) value);
        } else {
            data.put(name, value);
        }
    }
}
