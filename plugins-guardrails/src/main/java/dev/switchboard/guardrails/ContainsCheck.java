package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code default.contains} (after-request): case-sensitive substring test of {@code words} with
 * operator {@code any} (the default Portkey's manifest documents), {@code all} or {@code none}, as
 * Portkey's handler: an empty word is found in every text, an empty list fails {@code any} and passes
 * {@code all} and {@code none}, an empty text contains only the empty word. An operator other than
 * the three is a config error (Portkey fails every answer with it, and with none at all).
 *
 * <pre>{@code {"id": "default.contains", "parameters": {"words": ["Apple"], "operator": "none"}}}</pre>
 */
public final class ContainsCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.contains";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    /** The prepared parameters. */
    private record Settings(List<String> words, KeyOperator op) {}

    /** Reads {@code words} and {@code operator} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "words", "operator");
        List<String> words = p.get("words") == null ? null : p.strings("words", false);
        if (words == null) {
            p.problem("words", "nothing", "an array of strings (required)");
        }
        KeyOperator op = KeyOperator.read(p, KeyOperator.ANY);
        p.throwIfInvalid();
        return new Settings(words, op);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> words = settings.words();
        KeyOperator op = settings.op();
        String text = PortkeyText.text(context);
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String w : words) {
            (text.contains(w) ? found : missing).add(w);
        }
        boolean verdict = op.test(found.size(), words.size());
        String operator = op.wording();
        ObjectNode data = Json.object();
        data.put(
                "explanation",
                "Check " + (verdict ? "passed" : "failed") + " for '" + operator + "' words. "
                        + switch (op) {
                            case ANY -> verdict ? "At least one word was found." : "No words were found.";
                            case ALL -> verdict ? "All words were found." : "Some words were missing.";
                            case NONE -> verdict ? "No words were found." : "Some words were found.";
                        });
        found.forEach(data.putArray("foundWords")::add);
        missing.forEach(data.putArray("missingWords")::add);
        data.put("operator", operator);
        return CheckOutcome.of(verdict, data);
    }
}
