package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import java.util.Map;

/**
 * {@code default.regexMatch}: passes when {@code rule}, a JavaScript regular expression without
 * flags (as Portkey's {@code new RegExp(rule)}: {@code /a/i} is the literal text "/a/i"), finds a
 * match in the text; {@code not: true} inverts. The rule is translated once, when the gateway is
 * built: a rule JavaScript rejects, or one that cannot run with the same meaning, is a config error
 * naming the reason and its index. An empty text is an error ("Missing text to match"), as in Portkey.
 * Regex work is bounded ({@link dev.switchboard.regex.RegexBudget#DEFAULT}): a rule longer than
 * 10,000 characters is a config error; a text longer than 1 Mi characters, or a match that exhausts its
 * step budget (catastrophic backtracking such as {@code (a+)+$}), makes the check error — it passes
 * (fail-open) unless {@code failOnError} is set, as for any check error.
 *
 * <pre>{@code {"id": "default.regexMatch", "parameters": {"rule": "\\d{4}", "not": true}}}</pre>
 */
public final class RegexMatchCheck implements GuardrailCheck {
    /** The prepared parameters. */
    private record Settings(JsRegex regex, boolean not) {}

    @Override
    public String id() {
        return "default.regexMatch";
    }

    /** Translates {@code rule} and reads {@code not} once. */
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
        JsRegex regex = p.jsRegex("rule", false);
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(regex, not);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        String text = PortkeyText.text(context);
        if (text.isEmpty()) {
            throw new IllegalStateException("Missing text to match");
        }
        boolean not = settings.not();
        String rule = settings.regex().source();
        JsRegex.Match match = settings.regex().exec(text, 0);
        boolean verdict = Explanations.verdict(match != null, not);
        ObjectNode data = Json.object();
        data.put("regexPattern", rule);
        data.put("not", not);
        data.put("verdict", verdict);
        data.put(
                "explanation",
                verdict
                        ? not
                                ? "The regex pattern '" + rule + "' did not match the text as expected."
                                : "The regex pattern '" + rule + "' successfully matched the text."
                        : not
                                ? "The regex pattern '" + rule + "' matched the text when it should not have."
                                : "The regex pattern '" + rule + "' did not match the text.");
        if (match == null) {
            data.putNull("matchDetails");
        } else {
            ObjectNode details = data.putObject("matchDetails");
            details.put("matchedText", match.matched());
            details.put("index", match.start());
            ObjectNode groups = details.putObject("groups");
            for (Map.Entry<String, String> g : match.named().entrySet()) {
                if (g.getValue() != null) {
                    groups.put(g.getKey(), g.getValue());
                }
            }
            ArrayNode captures = details.putArray("captures");
            match.captures().forEach(captures::add);
        }
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
