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
 * {@code rules.defaults} when that union is empty (no rule applies, or the rules that apply list no
 * model); passes when the request's model is allowed ({@code not} inverts). As in Portkey, a request
 * without a model, or rules that resolve no model at all, are errors. The whole rule tree is checked when the gateway is built: {@code defaults}
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
                        p.problem(
                                ParameterProblem.path("rules", key),
                                "unknown key \"" + key + "\"",
                                "a key of the rules (\"defaults\", \"metadata\")",
                                suggestion);
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
        boolean anyModel = defaults != null && !defaults.isEmpty()
                || byMetadata.values().stream()
                        .flatMap(v -> v.values().stream())
                        .anyMatch(l -> l.stream().anyMatch(m -> !m.isEmpty()));
        if (rules != null && rules.isObject() && p.problemCount() == 0 && !anyModel) {
            p.problem(
                    "rules",
                    ParameterReader.found(rules) + " (no model anywhere: Portkey errors on every request)",
                    RULES_EXPECTED + " naming at least one model");
        }
        p.throwIfInvalid();
        return new Rules(defaults, byMetadata, not);
    }

    private static void metadata(ParameterReader p, JsonNode metadata, Map<String, Map<String, List<String>>> into) {
        if (!metadata.isObject()) {
            p.problem(
                    ParameterProblem.path("rules", "metadata"),
                    ParameterReader.found(metadata),
                    "an object of metadata keys to {value: [models]}");
            return;
        }
        for (Map.Entry<String, JsonNode> key : metadata.properties()) {
            if (!key.getValue().isObject()) {
                p.problem(
                        ParameterProblem.path("rules", "metadata", key.getKey()),
                        ParameterReader.found(key.getValue()),
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
        JsonNode model = ModelWhitelistCheck.requestModel(context);
        Set<String> matched = new LinkedHashSet<>();
        List<String> matchedRules = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<String>>> rule :
                rules.byMetadata().entrySet()) {
            String value = context.metadata().get(rule.getKey());
            if (value == null) {
                continue;
            }
            List<String> models = rule.getValue().get(value);
            if (models != null) {
                matchedRules.add(rule.getKey() + ":" + value);
                models.stream().filter(m -> !m.isEmpty()).forEach(matched::add);
            }
        }
        List<String> allowed = new ArrayList<>(matched);
        boolean usingDefaults = false;
        if (allowed.isEmpty()) {
            // Portkey falls back to the defaults whenever the matched rules resolve no model (also an empty list)
            allowed = rules.defaults() == null ? List.of() : rules.defaults();
            usingDefaults = true;
        }
        if (allowed.isEmpty()) {
            throw new IllegalStateException("No allowed models resolved from rules");
        }
        String name = JsText.string(model);
        boolean inList = model.isTextual() && allowed.contains(model.textValue());
        boolean verdict = inList != not;
        String explanation;
        if (verdict) {
            explanation = not
                    ? "Model \"" + name + "\" is not permitted by rules (blocked list)."
                    : "Model \"" + name + "\" is allowed by rules.";
            if (!matchedRules.isEmpty()) {
                explanation += " (matched rules: " + String.join(", ", matchedRules) + ")";
            } else if (usingDefaults) {
                explanation += " (using default models)";
            }
        } else {
            explanation = not
                    ? "Model \"" + name + "\" is permitted by rules (in blocked list)."
                    : "Model \"" + name + "\" is not allowed by rules.";
        }
        return CheckOutcome.of(verdict, Explanations.of(explanation));
    }
}
