package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code default.regexReplace} (mutator), as Portkey's handler: {@code rule} is a JavaScript regular
 * expression, either {@code /pattern/flags} (flags from {@code gimsuyd}; without {@code g} only the
 * first match is replaced; {@code y} as Portkey's match-then-replace leaves it) or a plain pattern (first match only). Matches are replaced by
 * {@code redactText} ("[REDACTED]"; "" counts as absent) with JavaScript's replacement syntax
 * ({@code $1}, {@code $<name>}, {@code $&}, {@code $$}, ...). Before the call the last message is
 * rewritten, each text part of a multi-part content on its own; after the call, the answer. The
 * verdict is false only when {@code failOnDetection} is set and something matched. A request or
 * answer without content is an error ("Missing text to match"). The rule is translated once, when
 * the gateway is built.
 * Regex work is bounded ({@link dev.switchboard.regex.RegexBudget#DEFAULT}): a rule longer than
 * 10,000 characters is a config error; a text longer than 1 Mi characters, or a match that exhausts its
 * step budget (catastrophic backtracking such as {@code (a+)+$}), makes the check error — it passes
 * (fail-open) unless {@code failOnError} is set, as for any check error.
 *
 * <pre>{@code {"id": "default.regexReplace", "parameters": {"rule": "/\\b\\d{16}\\b/g", "redactText": "[CARD]"}}}</pre>
 */
public final class RegexReplaceMutator implements GuardrailCheck {
    /** The prepared parameters. */
    private record Settings(JsRegex regex, String rule, String replacement, boolean failOnDetection) {}

    @Override
    public String id() {
        return "default.regexReplace";
    }

    /** Translates {@code rule} and reads {@code redactText} and {@code failOnDetection} once. */
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
        JsRegex regex = p.jsRegex("rule", true);
        String replacement = p.string("redactText", "[REDACTED]");
        boolean failOnDetection = p.bool("failOnDetection", false);
        p.throwIfInvalid();
        return new Settings(
                regex,
                regex == null ? null : p.get("rule").asText(),
                replacement == null || replacement.isEmpty() ? "[REDACTED]" : replacement,
                failOnDetection);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        PortkeyText.Part part = PortkeyText.current(context);
        if (part.contentFalsy()) {
            throw new IllegalStateException("Missing text to match");
        }
        JsRegex regex = settings.regex();
        boolean matched = false;
        List<String> rewritten = new ArrayList<>();
        for (JsonNode t : part.texts()) {
            if (!JsText.truthy(t)) {
                rewritten.add(null);
                continue;
            }
            if (!t.isTextual()) {
                throw new IllegalStateException(
                        "text.match is not a function: a " + ParameterReader.kind(t) + " is not text");
            }
            String text = t.textValue();
            String replaced = regex.matchThenReplace(text, settings.replacement());
            matched |= replaced != null;
            rewritten.add(replaced == null ? text : replaced);
        }
        boolean verdict = !(settings.failOnDetection() && matched);
        ObjectNode data = Json.object();
        data.put("regexPattern", settings.rule());
        data.put("verdict", verdict);
        data.put(
                "explanation",
                matched
                        ? "Pattern '" + settings.rule() + "' matched and was replaced with '" + settings.replacement()
                                + "'"
                        : "The regex pattern '" + settings.rule() + "' did not match any text.");
        CheckOutcome outcome = CheckOutcome.of(verdict, data);
        if (!matched) {
            return outcome;
        }
        ObjectNode written = PortkeyText.write(context, rewritten);
        if (written == null) {
            return outcome;
        }
        return context.event() == HookEvent.BEFORE_REQUEST
                ? outcome.withTransformedRequest(written)
                : outcome.withTransformedResponse(written);
    }
}
