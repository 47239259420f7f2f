package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

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

    /** The prepared parameters. */
    private record Settings(String suffix, boolean not) {}

    /** Reads {@code suffix} and {@code not} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "suffix", "not");
        String suffix = p.requiredString("suffix");
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(suffix, not);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        String suffix = settings.suffix();
        boolean not = settings.not();
        String text = context.text().stripTrailing();
        boolean ends = text.endsWith(suffix) || text.endsWith(suffix + ".");
        ObjectNode data = Explanations.of("The text " + (ends ? "ends" : "does not end") + " with '" + suffix + "'"
                + (not ? " (not: true)." : "."));
        data.put("suffix", suffix);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(ends, not), data);
    }
}
