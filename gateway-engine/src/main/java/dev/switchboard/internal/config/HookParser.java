package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.HookResult.HookPhase;
import dev.switchboard.api.Json;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.InvalidParametersException;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import dev.switchboard.spi.support.NearestName;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a node's hooks (reference §5.1): {@code before_request_hooks}/{@code after_request_hooks}
 * and the shorthands {@code input_guardrails}, {@code output_guardrails}, {@code input_mutators},
 * {@code output_mutators}, which become hooks appended to the node's own lists. Every check must be
 * registered and support the hook's phase, and is prepared with its parameters
 * ({@link GuardrailCheck#prepare}): bad parameters are problems at their pointers
 * ({@code /before_request_hooks/0/checks/1/parameters/maxWords}, {@code /input_guardrails/0/wordCount/maxWords}),
 * also for disabled checks. Hooks without an id get one derived from their place in
 * the config ({@code input_guardrail_targets_1_0}), so ids are stable across runs.
 */
final class HookParser {
    /** A node's own hooks; {@code defined} = it has any hook field, so it replaces the inherited lists. */
    record NodeHooks(boolean defined, List<HookSpec> before, List<HookSpec> after) {}

    private final CompileContext ctx;
    private final Problems problems;
    private final String nodeSuffix;

    private HookParser(CompileContext ctx, Problems problems, String nodePointer) {
        this.ctx = ctx;
        this.problems = problems;
        String s = nodePointer.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "");
        this.nodeSuffix = s.isEmpty() ? "" : s + "_";
    }

    static NodeHooks parse(ConfigObject node, CompileContext ctx) {
        return new HookParser(ctx, node.problems(), node.pointer()).parse(node);
    }

    private NodeHooks parse(ConfigObject node) {
        boolean defined = false;
        for (String field : ConfigKeys.HOOK_FIELDS) {
            defined |= node.has(field);
        }
        List<HookSpec> before = new ArrayList<>();
        List<HookSpec> after = new ArrayList<>();
        raw(node, "before_request_hooks", HookPhase.BEFORE_REQUEST, before);
        raw(node, "after_request_hooks", HookPhase.AFTER_REQUEST, after);
        shorthand(
                node, "input_guardrails", HookPhase.BEFORE_REQUEST, HookSpec.Type.GUARDRAIL, "input_guardrail", before);
        shorthand(
                node, "output_guardrails", HookPhase.AFTER_REQUEST, HookSpec.Type.GUARDRAIL, "output_guardrail", after);
        shorthand(node, "input_mutators", HookPhase.BEFORE_REQUEST, HookSpec.Type.MUTATOR, "input_mutator", before);
        shorthand(node, "output_mutators", HookPhase.AFTER_REQUEST, HookSpec.Type.MUTATOR, "output_mutator", after);
        return new NodeHooks(defined, before, after);
    }

    private void raw(ConfigObject node, String field, HookPhase phase, List<HookSpec> into) {
        ArrayNode hooks = node.array(field, "an array of hook objects");
        if (hooks == null) {
            return;
        }
        String idPrefix = phase == HookPhase.BEFORE_REQUEST ? "before_request_hook" : "after_request_hook";
        for (int i = 0; i < hooks.size(); i++) {
            ConfigObject hook = ConfigObject.of(
                    hooks.get(i),
                    ConfigObject.pointer(node.at(field), i),
                    problems,
                    "a hook object ({\"type\": \"guardrail\", \"checks\": [...]})");
            if (hook == null) {
                continue;
            }
            hook.rejectUnknownKeys(ConfigKeys.HOOK, "a hook");
            List<CheckSpec> checks = new ArrayList<>();
            if (hook.require(
                    "checks", "an array of checks ({\"id\": \"default.regexMatch\", \"parameters\": {...}})")) {
                ArrayNode array = hook.array("checks", "an array of checks");
                if (array != null) {
                    for (int c = 0; c < array.size(); c++) {
                        CheckSpec check = check(array.get(c), ConfigObject.pointer(hook.at("checks"), c), phase);
                        if (check != null) {
                            checks.add(check);
                        }
                    }
                }
            }
            if (!hook.has("type")) {
                // Portkey runs a hook's checks only for "type": "guardrail" or "mutator"; without a type the
                // hook answers verdict true with no checks, and the request goes on unchecked. Same here
                // (its checks are still validated above), with a warning so the config's author finds out.
                problems.warn(hook.at("type") + ": the hook has no \"type\", so its " + checks.size()
                        + " check(s) never run (Portkey ignores such a hook the same way); add \"type\": "
                        + "\"guardrail\" or \"mutator\" to run them");
                checks = List.of();
            }
            into.add(hookSpec(hook, phase, HookSpec.Type.GUARDRAIL, idPrefix + "_" + nodeSuffix + i, checks));
        }
    }

    private CheckSpec check(JsonNode value, String pointer, HookPhase phase) {
        ConfigObject check =
                ConfigObject.of(value, pointer, problems, "a check object ({\"id\": \"default.regexMatch\"})");
        if (check == null) {
            return null;
        }
        check.rejectUnknownKeys(ConfigKeys.CHECK, "a check");
        if (!check.require("id", "a check id (default.regexMatch)")) {
            return null;
        }
        String id = check.text("id");
        ObjectNode parameters = check.object("parameters");
        boolean parametersBad = parameters == null && check.has("parameters");
        Boolean enabled = check.bool("is_enabled");
        GuardrailCheck found = id == null ? null : knownCheck(id, check.at("id"), phase);
        if (found == null) {
            return null;
        }
        ObjectNode copy = parameters == null ? Json.object() : parameters.deepCopy();
        // a parameters value that is not an object is already reported: preparing {} would add noise
        PreparedCheck prepared = parametersBad ? null : prepare(found, copy, check.at("parameters"));
        return new CheckSpec(id, copy, enabled == null || enabled, prepared);
    }

    private void shorthand(
            ConfigObject node,
            String field,
            HookPhase phase,
            HookSpec.Type type,
            String idPrefix,
            List<HookSpec> into) {
        ArrayNode elements = node.array(field, "an array of objects ({\"default.contains\": {...}, \"deny\": true})");
        if (elements == null) {
            return;
        }
        for (int i = 0; i < elements.size(); i++) {
            String pointer = ConfigObject.pointer(node.at(field), i);
            JsonNode element = elements.get(i);
            if (element.isTextual()) {
                problems.add(
                        pointer,
                        Found.value(element),
                        "an object of checks (saved guardrail ids are a hosted Portkey feature)");
                continue;
            }
            ConfigObject hook = ConfigObject.of(
                    element, pointer, problems, "an object of checks ({\"default.contains\": {...}, \"deny\": true})");
            if (hook == null) {
                continue;
            }
            List<CheckSpec> checks = new ArrayList<>();
            int checkKeys = 0;
            Iterator<Map.Entry<String, JsonNode>> fields =
                    hook.node().properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (ConfigKeys.SHORTHAND_RESERVED.contains(f.getKey())) {
                    continue;
                }
                checkKeys++;
                CheckSpec check = shorthandCheck(f.getKey(), f.getValue(), hook.at(f.getKey()), phase);
                if (check != null) {
                    checks.add(check);
                }
            }
            if (checkKeys == 0) {
                problems.add(pointer, Found.value(element), "at least one check key (\"default.contains\": {...})");
            }
            into.add(hookSpec(hook, phase, type, idPrefix + "_" + nodeSuffix + i, checks));
        }
    }

    /** {@code "contains": {...}} → check {@code default.contains} with those parameters. */
    private CheckSpec shorthandCheck(String key, JsonNode value, String pointer, HookPhase phase) {
        String id = key.contains(".") ? key : "default." + key;
        if (!value.isObject()) {
            problems.add(pointer, Found.value(value), "an object of parameters for check " + id);
            return null;
        }
        ObjectNode parameters = ((ObjectNode) value).deepCopy();
        JsonNode enabled = parameters.remove("is_enabled");
        if (enabled != null && !enabled.isBoolean()) {
            problems.add(ConfigObject.pointer(pointer, "is_enabled"), Found.value(enabled), "true or false");
            return null;
        }
        GuardrailCheck found = knownCheck(id, pointer, phase);
        if (found == null) {
            return null;
        }
        // in the shorthand form the parameters are the entry itself: a parameter's pointer is below it
        PreparedCheck prepared = prepare(found, parameters, pointer);
        return new CheckSpec(id, parameters, enabled == null || enabled.booleanValue(), prepared);
    }

    /** The registered check supporting the phase, or null after reporting why not. */
    private GuardrailCheck knownCheck(String id, String pointer, HookPhase phase) {
        Optional<GuardrailCheck> check = ctx.check(id);
        if (check.isEmpty()) {
            RegisteredIds.unknownCheck(problems, pointer, id, ctx.checkIds());
            return null;
        }
        HookEvent event = phase == HookPhase.BEFORE_REQUEST ? HookEvent.BEFORE_REQUEST : HookEvent.AFTER_REQUEST;
        if (!check.get().supportedEvents().contains(event)) {
            problems.add(
                    pointer,
                    "check \"" + id + "\" which does not run at " + event.portkeyName(),
                    "a check that supports " + event.portkeyName() + " (supported: "
                            + check.get().supportedEvents().stream()
                                    .map(HookEvent::portkeyName)
                                    .sorted()
                                    .toList() + ")");
            return null;
        }
        return check.get();
    }

    /**
     * Lets the check validate and bind its parameters (disabled checks too: a mistake is a mistake).
     * Each {@link ParameterProblem} becomes a problem at {@code parametersPointer/<parameter>}.
     * Returns null when the parameters are invalid (the config then fails to compile anyway).
     */
    private PreparedCheck prepare(GuardrailCheck check, ObjectNode parameters, String parametersPointer) {
        int before = problems.size();
        failOnError(parameters, parametersPointer);
        PreparedCheck prepared;
        try {
            prepared = check.prepare(parameters);
        } catch (InvalidParametersException e) {
            for (ParameterProblem p : e.problems()) {
                String pointer = p.parameter().isEmpty() ? parametersPointer : parametersPointer + "/" + p.parameter();
                problems.add(pointer, p.found(), p.expected(), p.suggestion());
            }
            return null;
        } catch (RuntimeException e) {
            // a bug in the check, not a verdict on the parameters; its message may quote a secret: class only
            problems.add(
                    parametersPointer,
                    "parameters that made check \"" + check.id() + "\" throw "
                            + e.getClass().getSimpleName(),
                    "parameters the check accepts (a check reports bad parameters "
                            + "with InvalidParametersException)");
            return null;
        }
        if (prepared == null) {
            problems.add(
                    parametersPointer,
                    "no prepared check from check \"" + check.id() + "\"",
                    "GuardrailCheck.prepare to return a PreparedCheck");
            return null;
        }
        return problems.grewSince(before) ? null : prepared;
    }

    /** {@code failOnError} is read by the hook runner for every check: true or false (or their strings). */
    private void failOnError(ObjectNode parameters, String parametersPointer) {
        JsonNode v = parameters.get("failOnError");
        if (v == null
                || v.isNull()
                || v.isBoolean()
                || (v.isTextual()
                        && (v.textValue().equals("true") || v.textValue().equals("false")))) {
            return;
        }
        problems.add(ConfigObject.pointer(parametersPointer, "failOnError"), Found.value(v), "true or false");
    }

    /** The hook-level fields shared by raw hooks and shorthand elements. */
    private HookSpec hookSpec(
            ConfigObject hook, HookPhase phase, HookSpec.Type defaultType, String generatedId, List<CheckSpec> checks) {
        String id = hook.text("id");
        HookSpec.Type type = defaultType;
        String typeName = hook.text("type");
        if (typeName != null) {
            if (typeName.equals("guardrail")) {
                type = HookSpec.Type.GUARDRAIL;
            } else if (typeName.equals("mutator")) {
                type = HookSpec.Type.MUTATOR;
            } else {
                hook.problems()
                        .add(
                                hook.at("type"),
                                Found.value(hook.get("type")),
                                "\"guardrail\" or \"mutator\"",
                                NearestName.suggest(typeName, List.of("guardrail", "mutator")));
            }
        }
        hook.text("guardrail_version_id"); // hosted bookkeeping: type-checked, otherwise unused
        Boolean deny = hook.bool("deny");
        Boolean async = hook.bool("async");
        Boolean sequential = hook.bool("sequential");
        JsonNode onFail = feedback(hook, "on_fail");
        JsonNode onSuccess = feedback(hook, "on_success");
        return new HookSpec(
                id == null ? generatedId : id,
                type,
                phase,
                checks,
                Boolean.TRUE.equals(deny),
                Boolean.TRUE.equals(async),
                Boolean.TRUE.equals(sequential),
                onFail,
                onSuccess);
    }

    private static JsonNode feedback(ConfigObject hook, String key) {
        ObjectNode value = hook.object(key);
        return value == null ? null : value.deepCopy();
    }
}
