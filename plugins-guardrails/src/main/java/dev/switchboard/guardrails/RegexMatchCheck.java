package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code default.regexMatch}: passes when {@code rule} (a Java regex) finds a match in the text;
 * {@code not: true} inverts. An empty text is an error, as in Portkey.
 *
 * <pre>{@code {"id": "default.regexMatch", "parameters": {"rule": "\\d{4}", "not": true}}}</pre>
 */
public final class RegexMatchCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.regexMatch";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        Pattern pattern = compile(parameters, "rule");
        boolean not = Params.bool(parameters, "not", false);
        String text = context.text();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no text to match: the " + side(context) + " text is empty");
        }
        Matcher m = pattern.matcher(text);
        boolean found = m.find();
        boolean verdict = Explanations.verdict(found, not);
        ObjectNode data = Explanations.of(found
                ? "The regex pattern '" + pattern.pattern() + "' matched the text" + (not ? ", which is not allowed." : ".")
                : "The regex pattern '" + pattern.pattern() + "' did not match the text" + (not ? ", as required." : "."));
        data.put("regexPattern", pattern.pattern());
        data.put("not", not);
        if (found) {
            ObjectNode match = data.putObject("matchDetails");
            match.put("matchedText", m.group());
            match.put("index", m.start());
            var groups = match.putArray("groups");
            for (int i = 1; i <= m.groupCount(); i++) {
                groups.add(m.group(i));
            }
        }
        return CheckOutcome.of(verdict, data);
    }

    static Pattern compile(ObjectNode parameters, String name) {
        String rule = Params.requiredString(parameters, name);
        try {
            return Pattern.compile(rule);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("parameter '" + name + "' is not a valid regex: " + e.getDescription(), e);
        }
    }

    static String side(CheckContext context) {
        return context.event() == dev.switchboard.spi.HookEvent.BEFORE_REQUEST ? "request" : "response";
    }
}
