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
 * {@code default.requiredMetadataKeys} (before-request): checks the request metadata for
 * {@code metadataKeys} with operator {@code all} (default), {@code any} or {@code none}.
 *
 * <pre>{@code {"id": "default.requiredMetadataKeys", "parameters": {"metadataKeys": ["user_id"]}}}</pre>
 */
public final class RequiredMetadataKeysCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.requiredMetadataKeys";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    /** The prepared parameters. */
    private record Settings(List<String> keys, KeyOperator op) {}

    /** Reads {@code metadataKeys} and {@code operator} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "metadataKeys", "operator");
        List<String> keys = p.requiredStrings("metadataKeys");
        KeyOperator op = KeyOperator.read(p, KeyOperator.ALL);
        p.throwIfInvalid();
        return new Settings(keys, op);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> keys = settings.keys();
        KeyOperator op = settings.op();
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            (context.metadata().containsKey(k) ? present : missing).add(k);
        }
        boolean ok = op.test(present.size(), keys.size());
        ObjectNode data = Explanations.of(present.size() + " of " + keys.size() + " metadata keys present; operator '"
                + op.wording() + "' is " + (ok ? "satisfied." : "not satisfied."));
        data.put("operator", op.wording());
        present.forEach(data.putArray("presentKeys")::add);
        missing.forEach(data.putArray("missingKeys")::add);
        return CheckOutcome.of(ok, data);
    }
}
