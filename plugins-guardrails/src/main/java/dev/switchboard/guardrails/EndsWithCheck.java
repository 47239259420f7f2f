package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;

/**
 * {@code default.endsWith}: passes when the text (trailing whitespace ignored) ends with
 * {@code suffix} or with {@code suffix} followed by a period; {@code not} inverts.
 *
 * <pre>{@code {"id": "default.endsWith", "parameters": {"suffix": "Thanks"}}}</pre>
 */
public final class EndsWithCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.endsWith";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        String suffix = Params.requiredString(parameters, "suffix");
        boolean not = Params.bool(parameters, "not", false);
        String text = context.text().stripTrailing();
        boolean ends = text.endsWith(suffix) || text.endsWith(suffix + ".");
        ObjectNode data = Explanations.of("The text " + (ends ? "ends" : "does not end") + " with '" + suffix + "'"
                + (not ? " (not: true)." : "."));
        data.put("suffix", suffix);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(ends, not), data);
    }
}
