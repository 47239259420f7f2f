package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code default.modelRules} (before-request): the allowed models are the union of
 * {@code rules.metadata[key][value]} for every request metadata entry that has a rule, or
 * {@code rules.defaults} when none applies; passes when the request's model is allowed
 * ({@code not} inverts).
 *
 * <pre>{@code
 * {"id": "default.modelRules", "parameters": {"rules": {
 *     "defaults": ["gpt-4o-mini"],
 *     "metadata": {"plan": {"paid": ["gpt-4o", "gpt-4o-mini"]}}}}}
 * }</pre>
 */
public final class ModelRulesCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.modelRules";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        JsonNode rules = parameters == null ? null : parameters.get("rules");
        if (rules == null || !rules.isObject()) {
            throw new IllegalArgumentException("parameter 'rules' is required (an object with 'defaults' and/or 'metadata')");
        }
        boolean not = Params.bool(parameters, "not", false);
        Set<String> allowed = new LinkedHashSet<>();
        JsonNode byKey = rules.path("metadata");
        if (!byKey.isMissingNode() && !byKey.isObject()) {
            throw new IllegalArgumentException("parameter 'rules.metadata' must be an object");
        }
        String source = "defaults";
        for (Map.Entry<String, String> m : context.metadata().entrySet()) {
            JsonNode models = byKey.path(m.getKey()).path(m.getValue());
            if (!models.isMissingNode()) {
                addModels(allowed, models, "rules.metadata." + m.getKey() + "." + m.getValue());
                source = "metadata";
            }
        }
        if (source.equals("defaults") && rules.has("defaults")) {
            addModels(allowed, rules.get("defaults"), "rules.defaults");
        }
        String model = ModelWhitelistCheck.requestModel(context);
        boolean ok = model != null && allowed.contains(model);
        ObjectNode data = Explanations.of(model == null ? "The request has no model."
                : "Model '" + model + "' is " + (ok ? "" : "not ") + "allowed by the " + source + " rules"
                + (not ? " (not: true)." : "."));
        data.put("requestedModel", model);
        allowed.forEach(data.putArray("allowedModels")::add);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(ok, not), data);
    }

    private static void addModels(Set<String> into, JsonNode models, String name) {
        if (!models.isArray()) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an array of model names");
        }
        for (Iterator<JsonNode> it = models.elements(); it.hasNext(); ) {
            into.add(it.next().asText());
        }
    }
}
