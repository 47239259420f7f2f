package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.regexReplace} (mutator): replaces every match of {@code rule} in the request text
 * (before-request) or the answer text (after-request) with {@code redactText} ("[REDACTED]").
 * The verdict is false only when {@code failOnDetection} is set and something matched.
 *
 * <pre>{@code {"id": "default.regexReplace", "parameters": {"rule": "\\b\\d{16}\\b", "redactText": "[CARD]"}}}</pre>
 */
public final class RegexReplaceMutator implements GuardrailCheck {
    @Override
    public String id() {
        return "default.regexReplace";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        Pattern pattern = RegexMatchCheck.compile(parameters, "rule");
        String replacement = Params.string(parameters, "redactText", "[REDACTED]");
        boolean failOnDetection = Params.bool(parameters, "failOnDetection", false);
        String text = context.text();
        Matcher m = pattern.matcher(text);
        int count = 0;
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.end() == m.start()) {
                continue; // an empty match redacts nothing
            }
            count++;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        ObjectNode data = Explanations.of(count == 0 ? "No matches to redact."
                : "Redacted " + count + " match(es) in the " + RegexMatchCheck.side(context) + " text.");
        data.put("matchCount", count);
        CheckOutcome outcome = CheckOutcome.of(!(failOnDetection && count > 0), data);
        return count == 0 ? outcome : TextRewrite.apply(context, outcome, out.toString());
    }
}
