package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.regexReplace} (mutator): replaces every match of {@code rule} in the request text
 * (before-request) or the answer text (after-request) with {@code redactText} ("[REDACTED]").
 * The verdict is false only when {@code failOnDetection} is set and something matched. The rule is
 * compiled once, when the gateway is built.
 *
 * <pre>{@code {"id": "default.regexReplace", "parameters": {"rule": "\\b\\d{16}\\b", "redactText": "[CARD]"}}}</pre>
 */
public final class RegexReplaceMutator implements GuardrailCheck {
    /** The prepared parameters. */
    private record Settings(Pattern pattern, String replacement, boolean failOnDetection) {}

    @Override
    public String id() {
        return "default.regexReplace";
    }

    /** Compiles {@code rule} and reads {@code redactText} and {@code failOnDetection} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "rule", "redactText", "failOnDetection");
        Pattern pattern = p.regex("rule");
        String replacement = p.string("redactText", "[REDACTED]");
        boolean failOnDetection = p.bool("failOnDetection", false);
        p.throwIfInvalid();
        return new Settings(pattern, replacement, failOnDetection);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        String text = context.text();
        Matcher m = settings.pattern().matcher(text);
        int count = 0;
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.end() == m.start()) {
                continue; // an empty match redacts nothing
            }
            count++;
            m.appendReplacement(out, Matcher.quoteReplacement(settings.replacement()));
        }
        m.appendTail(out);
        ObjectNode data = Explanations.of(count == 0 ? "No matches to redact."
                : "Redacted " + count + " match(es) in the " + RegexMatchCheck.side(context) + " text.");
        data.put("matchCount", count);
        CheckOutcome outcome = CheckOutcome.of(!(settings.failOnDetection() && count > 0), data);
        return count == 0 ? outcome : TextRewrite.apply(context, outcome, out.toString());
    }
}
