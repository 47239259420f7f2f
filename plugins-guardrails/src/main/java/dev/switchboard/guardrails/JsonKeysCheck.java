package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
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

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        List<String> keys = Params.requiredStrings(parameters, "keys");
        KeyOperator op = KeyOperator.read(parameters, KeyOperator.ANY);
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
