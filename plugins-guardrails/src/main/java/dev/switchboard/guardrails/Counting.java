package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckOutcome;

/** The prepared parameters of the counting checks (words, sentences, characters): a range and {@code not}. */
record Counting(RangeCheck range, boolean not) {

    /** Reads {@code <minName>} (0), {@code <maxName>} and {@code not}; throws every problem at once. */
    static Counting read(String checkId, ObjectNode parameters, String minName, String maxName, long maxDefault) {
        ParameterReader p = new ParameterReader(checkId, parameters, minName, maxName, "not");
        RangeCheck range = RangeCheck.read(p, minName, 0, maxName, maxDefault);
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Counting(range, not);
    }

    /** The verdict for {@code count}, with the explanation, the count under {@code countField}, the bounds and {@code not}. */
    CheckOutcome outcome(long count, String unit, String countField) {
        ObjectNode data = Explanations.of(range.describe(count, unit));
        data.put(countField, count);
        range.into(data);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(range.contains(count), not), data);
    }
}
