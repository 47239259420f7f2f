package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An inclusive [min, max] bound read from two parameters, shared by the counting checks. */
record RangeCheck(long min, long max, String minName, String maxName) {

    /** Reads both bounds (non-negative integers); a min above the max is a problem of the min. */
    static RangeCheck read(ParameterReader params, String minName, long minDefault, String maxName, long maxDefault) {
        int before = params.problemCount();
        long min = params.nonNegative(minName, minDefault);
        long max = params.nonNegative(maxName, maxDefault);
        if (params.problemCount() == before && min > max) {
            params.problem(minName, min + " (greater than " + maxName + " " + max + ")",
                    "a value at most " + maxName + " (" + max + ")");
        }
        return new RangeCheck(min, max, minName, maxName);
    }

    boolean contains(long value) {
        return value >= min && value <= max;
    }

    /** "12 words is within [0, 100]" style sentence. */
    String describe(long value, String unit) {
        return "The text has " + value + " " + unit + ", " + (contains(value) ? "within" : "outside")
                + " the range [" + min + ", " + max + "].";
    }

    void into(ObjectNode data) {
        data.put(minName, min);
        data.put(maxName, max);
    }
}
