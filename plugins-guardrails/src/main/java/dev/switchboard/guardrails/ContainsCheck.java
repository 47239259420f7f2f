package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * operator {@code any} (default), {@code all} or {@code none}.
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
        List<String> words = p.requiredStrings("words");
        KeyOperator op = KeyOperator.read(p, KeyOperator.ANY);
        p.throwIfInvalid();
        return new Settings(words, op);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> words = settings.words();
        KeyOperator op = settings.op();
        String text = context.text();
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String w : words) {
            (!w.isEmpty() && text.contains(w) ? found : missing).add(w);
        }
        boolean ok = op.test(found.size(), words.size());
        ObjectNode data = Explanations.of("Found " + found.size() + " of " + words.size() + " words; operator '"
                + op.wording() + "' is " + (ok ? "satisfied." : "not satisfied."));
        data.put("operator", op.wording());
        found.forEach(data.putArray("foundWords")::add);
        missing.forEach(data.putArray("missingWords")::add);
        return CheckOutcome.of(ok, data);
    }
}
