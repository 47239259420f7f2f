package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.regexMatch}: passes when {@code rule} (a Java regex) finds a match in the text;
 * {@code not: true} inverts. The rule is compiled once, when the gateway is built (an invalid one is
 * a config error naming the regex error and its index). An empty text is an error, as in Portkey.
 *
 * <pre>{@code {"id": "default.regexMatch", "parameters": {"rule": "\\d{4}", "not": true}}}</pre>
 */
public final class RegexMatchCheck implements GuardrailCheck {
    /** The prepared parameters. */
    private record Settings(Pattern pattern, boolean not) {}

    @Override
    public String id() {
        return "default.regexMatch";
    }

    /** Compiles {@code rule} and reads {@code not} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "rule", "not");
        Pattern pattern = p.regex("rule");
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(pattern, not);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        Pattern pattern = settings.pattern();
        boolean not = settings.not();
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

    static String side(CheckContext context) {
        return context.event() == dev.switchboard.spi.HookEvent.BEFORE_REQUEST ? "request" : "response";
    }
}
