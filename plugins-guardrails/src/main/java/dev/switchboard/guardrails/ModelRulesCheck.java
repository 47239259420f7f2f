package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code default.modelRules} (before-request): the allowed models are the union of
 * {@code rules.metadata[key][value]} for every request metadata entry that has a rule, or
 * {@code rules.defaults} when none applies; passes when the request's model is allowed
 * ({@code not} inverts). The whole rule tree is checked when the gateway is built: {@code defaults}
 * and every {@code metadata[key][value]} are arrays of model names, {@code metadata[key]} an object.
 *
 * <pre>{@code
 * {"id": "default.modelRules", "parameters": {"rules": {
 *     "defaults": ["gpt-4o-mini"],
 *     "metadata": {"plan": {"paid": ["gpt-4o", "gpt-4o-mini"]}}}}}
 * }</pre>
 */
public final class ModelRulesCheck implements GuardrailCheck {
    private static final String RULES_EXPECTED = "an object with \"defaults\" and/or \"metadata\"";

    /** The prepared rules: {@code defaults} (null when absent) and models by metadata key and value. */
    private record Rules(List<String> defaults, Map<String, Map<String, List<String>>> byMetadata, boolean not) {}

    @Override
    public String id() {
        return "default.modelRules";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    /** Reads and checks the rule tree and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Rules rules = read(parameters);
        return context -> evaluate(context, rules);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private Rules read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "rules", "not");
        boolean not = p.bool("not", false);
        JsonNode rules = p.get("rules");
        List<String> defaults = null;
        Map<String, Map<String, List<String>>> byMetadata = new LinkedHashMap<>();
        if (rules == null || !rules.isObject()) {
            p.problem("rules", ParameterReader.found(rules), RULES_EXPECTED + " (required)");
        } else {
            for (String key : (Iterable<String>) rules::fieldNames) {
                if (!key.equals("defaults") && !key.equals("metadata")) {
                    String suggestion = ParameterReader.nearest(key, List.of("defaults", "metadata"));
                    if (suggestion != null) {
                        p.problem(ParameterProblem.path("rules", key), "unknown key \"" + key + "\"",
                                "a key of the rules (\"defaults\", \"metadata\")", suggestion);
                    }
                }
            }
            JsonNode d = rules.get("defaults");
            if (d != null && !d.isNull()) {
                defaults = models(p, d, "defaults");
            }
            JsonNode m = rules.get("metadata");
            if (m != null && !m.isNull()) {
                metadata(p, m, byMetadata);
            }
        }
        p.throwIfInvalid();
        return new Rules(defaults, byMetadata, not);
    }

    private static void metadata(ParameterReader p, JsonNode metadata, Map<String, Map<String, List<String>>> into) {
        if (!metadata.isObject()) {
            p.problem(ParameterProblem.path("rules", "metadata"), ParameterReader.found(metadata),
                    "an object of metadata keys to {value: [models]}");
            return;
        }
        for (Map.Entry<String, JsonNode> key : metadata.properties()) {
            if (!key.getValue().isObject()) {
                p.problem(ParameterProblem.path("rules", "metadata", key.getKey()), ParameterReader.found(key.getValue()),
                        "an object of metadata values to arrays of models ({\"paid\": [\"gpt-4o\"]})");
                continue;
            }
            Map<String, List<String>> byValue = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> value : key.getValue().properties()) {
                byValue.put(value.getKey(), models(p, value.getValue(), "metadata", key.getKey(), value.getKey()));
            }
            into.put(key.getKey(), byValue);
        }
    }

    /** An array of model names below {@code rules}; problems are reported per element. */
    private static List<String> models(ParameterReader p, JsonNode models, Object... path) {
        Object[] full = new Object[path.length + 1];
        full[0] = "rules";
        System.arraycopy(path, 0, full, 1, path.length);
        if (!models.isArray()) {
            p.problem(ParameterProblem.path(full), ParameterReader.found(models), "an array of model names");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            JsonNode model = models.get(i);
            if (!model.isTextual()) {
                Object[] element = java.util.Arrays.copyOf(full, full.length + 1);
                element[full.length] = i;
                p.problem(ParameterProblem.path(element), ParameterReader.found(model), "a model name (string)");
            } else {
                out.add(model.asText());
            }
        }
        return List.copyOf(out);
    }

    private static CheckOutcome evaluate(CheckContext context, Rules rules) {
        boolean not = rules.not();
        Set<String> allowed = new LinkedHashSet<>();
        String source = "defaults";
        for (Map.Entry<String, String> m : context.metadata().entrySet()) {
            List<String> models = rules.byMetadata().getOrDefault(m.getKey(), Map.of()).get(m.getValue());
            if (models != null) {
                allowed.addAll(models);
                source = "metadata";
            }
        }
        if (source.equals("defaults") && rules.defaults() != null) {
            allowed.addAll(rules.defaults());
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
}
