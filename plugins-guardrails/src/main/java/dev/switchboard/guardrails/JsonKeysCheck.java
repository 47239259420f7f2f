package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code default.jsonKeys} (after-request): passes when some JSON object in the answer has
 * {@code any} (default), {@code all} or {@code none} of the top-level {@code keys}. No JSON → fail.
 *
 * <pre>{@code {"id": "default.jsonKeys", "parameters": {"keys": ["name", "age"], "operator": "all"}}}</pre>
 */
public final class JsonKeysCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.jsonKeys";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    /** The prepared parameters. */
    private record Settings(List<String> keys, KeyOperator op) {}

    /** Reads {@code keys} and {@code operator} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "keys", "operator");
        List<String> keys = p.requiredStrings("keys");
        KeyOperator op = KeyOperator.read(p, KeyOperator.ANY);
        p.throwIfInvalid();
        return new Settings(keys, op);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> keys = settings.keys();
        KeyOperator op = settings.op();
        List<JsonNode> candidates = JsonCandidates.extract(context.text());
        ObjectNode best = null;
        for (JsonNode candidate : candidates) {
            if (!candidate.isObject()) {
                continue;
            }
            List<String> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String k : keys) {
                (candidate.has(k) ? present : missing).add(k);
            }
            boolean ok = op.test(present.size(), keys.size());
            ObjectNode data = Explanations.of(ok
                    ? "The JSON satisfies operator '" + op.wording() + "' for the keys."
                    : "The JSON does not satisfy operator '" + op.wording() + "' for the keys.");
            data.put("operator", op.wording());
            data.set("matchedJson", candidate);
            present.forEach(data.putArray("presentKeys")::add);
            missing.forEach(data.putArray("missingKeys")::add);
            if (ok) {
                return CheckOutcome.pass(data);
            }
            if (best == null) {
                best = data;
            }
        }
        if (best == null) {
            best = Explanations.of("No JSON object found in the text.");
            best.put("operator", op.wording());
        }
        return CheckOutcome.fail(best);
    }
}
