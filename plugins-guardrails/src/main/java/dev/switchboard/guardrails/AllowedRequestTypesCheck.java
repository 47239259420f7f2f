package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code default.allowedRequestTypes} (before-request), as Portkey's handler: an allow list
 * ({@code allowedTypes}) and/or block list ({@code blockedTypes}) of Portkey endpoint names
 * ({@code chatComplete}, {@code embed}, …), each an array or a comma-separated string. A list that is
 * not given (or empty) is taken from the request metadata ({@code supported_endpoints} /
 * {@code blocked_endpoints}, comma-separated), each on its own. A blocked type fails; with an allow
 * list only listed types pass; no list at all passes. A type in both lists is an error (for the
 * parameters alone: a config error when the gateway is built; with metadata: at request time).
 *
 * <pre>{@code {"id": "default.allowedRequestTypes", "parameters": {"allowedTypes": ["chatComplete", "embed"]}}}</pre>
 */
public final class AllowedRequestTypesCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.allowedRequestTypes";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    /** The prepared lists (both empty: the request metadata decides). */
    private record Settings(List<String> allowed, List<String> blocked, boolean fromParameters) {}

    /**
     * Reads both lists once. A type in both is a problem, and so is a likely misspelling of a known
     * type ({@code chatCompletion}); other unknown names are kept (they never match a request).
     */
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
        ParameterReader p = new ParameterReader(id(), parameters, "allowedTypes", "blockedTypes");
        List<String> allowed = types(p, "allowedTypes");
        List<String> blocked = types(p, "blockedTypes");
        Set<String> conflicts = new LinkedHashSet<>(allowed);
        conflicts.retainAll(blocked);
        if (!conflicts.isEmpty()) {
            p.problem(
                    "blockedTypes",
                    "request types " + conflicts + " that allowedTypes also lists",
                    "types that are not both allowed and blocked");
        }
        p.throwIfInvalid();
        return new Settings(
                allowed, blocked, JsText.truthy(p.get("allowedTypes")) || JsText.truthy(p.get("blockedTypes")));
    }

    private static List<String> types(ParameterReader p, String name) {
        JsonNode n = p.get(name);
        List<String> types;
        if (n != null && n.isTextual()) {
            types = split(n.asText());
        } else if (n != null) {
            types = p.strings(name, true);
        } else {
            types = List.of();
        }
        List<String> known =
                Arrays.stream(Endpoint.values()).map(Endpoint::portkeyName).toList();
        boolean csv = n != null && n.isTextual();
        for (int i = 0; i < types.size(); i++) {
            String suggestion = known.contains(types.get(i)) || types.get(i).isEmpty()
                    ? null
                    : ParameterReader.nearest(types.get(i), known);
            if (suggestion != null) {
                p.problem(
                        csv ? name : ParameterProblem.path(name, i),
                        "unknown request type \"" + types.get(i) + "\"",
                        "a known request type",
                        suggestion);
            }
        }
        return types;
    }

    /** {@code value.split(',').map(t => t.trim())}: empty entries stay (an empty string gives none). */
    private static List<String> split(String value) {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String t : value.split(",", -1)) {
            out.add(JsText.trim(t));
        }
        return out;
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> allowed = settings.allowed();
        List<String> blocked = settings.blocked();
        String supported = context.metadata().getOrDefault("supported_endpoints", "");
        String blockedEndpoints = context.metadata().getOrDefault("blocked_endpoints", "");
        if (allowed.isEmpty()) {
            allowed = split(supported);
        }
        if (blocked.isEmpty()) {
            blocked = split(blockedEndpoints);
        }
        String type = context.endpoint().portkeyName();
        if (!allowed.isEmpty() && !blocked.isEmpty()) {
            List<String> conflicts = new ArrayList<>();
            for (String t : allowed) {
                if (blocked.contains(t)) {
                    conflicts.add(t);
                }
            }
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException(
                        "Conflict detected: The following types appear in both allowedTypes and " + "blockedTypes: "
                                + String.join(", ", conflicts) + ". Please remove them from one list.");
            }
        }
        boolean verdict;
        String mode;
        if (allowed.isEmpty() && blocked.isEmpty()) {
            verdict = true;
            mode = "unrestricted";
        } else if (allowed.isEmpty()) {
            verdict = !blocked.contains(type);
            mode = "blocklist";
        } else if (blocked.isEmpty()) {
            verdict = allowed.contains(type);
            mode = "allowlist";
        } else {
            verdict = !blocked.contains(type) && allowed.contains(type);
            mode = "combined";
        }
        String explanation =
                switch (mode) {
                    case "combined" ->
                        verdict
                                ? "Request type \"" + type + "\" is allowed (in allowlist and not blocked)."
                                : blocked.contains(type)
                                        ? "Request type \"" + type + "\" is explicitly blocked."
                                        : "Request type \"" + type
                                                + "\" is not in the allowed list. Allowed types (excluding blocked): "
                                                + String.join(", ", allowedExcluding(allowed, blocked));
                    case "blocklist" ->
                        verdict
                                ? "Request type \"" + type + "\" is allowed (not in blocklist)."
                                : "Request type \"" + type + "\" is blocked.";
                    case "allowlist" ->
                        verdict
                                ? "Request type \"" + type + "\" is allowed."
                                : "Request type \"" + type + "\" is not allowed. Allowed types are: "
                                        + String.join(", ", allowed);
                    default -> "Request type \"" + type + "\" is allowed (no restrictions configured).";
                };
        ObjectNode data = Json.object();
        data.put("currentRequestType", type);
        if (!allowed.isEmpty()) {
            allowed.forEach(data.putArray("allowedTypes")::add);
        } else if (mode.equals("unrestricted")) {
            data.putArray("allowedTypes").add("all");
        }
        if (!blocked.isEmpty()) {
            blocked.forEach(data.putArray("blockedTypes")::add);
        }
        data.put("verdict", verdict);
        data.put("explanation", explanation);
        data.put(
                "source",
                settings.fromParameters()
                        ? "parameters"
                        : !supported.isEmpty() || !blockedEndpoints.isEmpty() ? "metadata" : "default");
        data.put("mode", mode);
        return CheckOutcome.of(verdict, data);
    }

    private static List<String> allowedExcluding(List<String> allowed, List<String> blocked) {
        List<String> out = new ArrayList<>();
        for (String t : allowed) {
            if (!blocked.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }
}
