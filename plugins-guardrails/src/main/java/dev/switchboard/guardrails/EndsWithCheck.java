package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

/**
 * {@code default.endsWith}: passes when the text ends exactly with {@code suffix}, or with
 * {@code suffix} followed by a period (trailing whitespace counts, as in Portkey);
 * {@code not} inverts. An empty text is an error ("Missing text to analyze").
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
        String text = PortkeyText.text(context);
        if (text.isEmpty()) {
            throw new IllegalStateException("Missing text to analyze");
        }
        boolean withPeriod = text.endsWith(suffix + ".");
        boolean ends = text.endsWith(suffix) || withPeriod;
        boolean verdict = ends != not;
        ObjectNode data = Json.object();
        data.put("suffix", suffix);
        data.put("not", not);
        data.put("verdict", verdict);
        data.put(
                "explanation",
                verdict
                        ? not
                                ? "The text does not end with \"" + suffix + "\" as expected."
                                : "The text ends with \"" + suffix + "\""
                                        + (withPeriod ? " (including trailing period)" : "") + "."
                        : not
                                ? "The text ends with \"" + suffix + "\" when it should not."
                                : "The text does not end with \"" + suffix + "\".");
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
