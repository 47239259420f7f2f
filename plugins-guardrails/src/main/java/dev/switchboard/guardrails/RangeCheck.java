package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An inclusive [min, max] bound read from two parameters, shared by the counting checks. */
record RangeCheck(long min, long max, String minName, String maxName) {

    static RangeCheck read(ObjectNode params, String minName, long minDefault, String maxName, long maxDefault) {
        long min = Params.nonNegative(params, minName, minDefault);
        long max = Params.nonNegative(params, maxName, maxDefault);
        if (min > max) {
            throw new IllegalArgumentException("parameter '" + minName + "' (" + min + ") is greater than '"
                    + maxName + "' (" + max + ")");
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
