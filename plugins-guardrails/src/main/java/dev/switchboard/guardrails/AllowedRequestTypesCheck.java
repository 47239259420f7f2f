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
 * {@code default.allowedRequestTypes} (before-request): an allow list ({@code allowedTypes}) and/or
 * block list ({@code blockedTypes}) of Portkey endpoint names ({@code chatComplete}, {@code embed},
 * …), each an array or a comma-separated string. When neither parameter is given the request
 * metadata keys {@code supported_endpoints} / {@code blocked_endpoints} are used. A type in both
 * lists is a configuration error (reported when the gateway is built for the parameters, at request
 * time for the metadata); no list at all passes.
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
    private record Settings(List<String> allowed, List<String> blocked) {}

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
            p.problem("blockedTypes", "request types " + conflicts + " that allowedTypes also lists",
                    "types that are not both allowed and blocked");
        }
        p.throwIfInvalid();
        return new Settings(allowed, blocked);
    }

    private static List<String> types(ParameterReader p, String name) {
        List<String> types = p.strings(name, true);
        List<String> known = Arrays.stream(Endpoint.values()).map(Endpoint::portkeyName).toList();
        boolean csv = p.get(name) != null && p.get(name).isTextual();
        for (int i = 0; i < types.size(); i++) {
            String suggestion = known.contains(types.get(i)) ? null : ParameterReader.nearest(types.get(i), known);
            if (suggestion != null) {
                p.problem(csv ? name : ParameterProblem.path(name, i), "unknown request type \"" + types.get(i) + "\"",
                        "a known request type", suggestion);
            }
        }
        return types;
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> allowed = settings.allowed();
        List<String> blocked = settings.blocked();
        String source = "parameters";
        if (allowed.isEmpty() && blocked.isEmpty()) {
            allowed = fromMetadata(context, "supported_endpoints");
            blocked = fromMetadata(context, "blocked_endpoints");
            source = "metadata";
        }
        Set<String> conflicts = new LinkedHashSet<>(allowed);
        conflicts.retainAll(blocked);
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("request types " + conflicts + " are both allowed and blocked (" + source + ")");
        }
        String type = context.endpoint().portkeyName();
        boolean ok;
        String why;
        if (blocked.contains(type)) {
            ok = false;
            why = "Request type '" + type + "' is blocked.";
        } else if (!allowed.isEmpty()) {
            ok = allowed.contains(type);
            why = "Request type '" + type + "' is " + (ok ? "" : "not ") + "in the allowed types.";
        } else {
            ok = true;
            why = blocked.isEmpty() ? "No request type restrictions configured." : "Request type '" + type + "' is not blocked.";
        }
        ObjectNode data = Explanations.of(why);
        data.put("requestType", type);
        data.put("source", source);
        allowed.forEach(data.putArray("allowedTypes")::add);
        blocked.forEach(data.putArray("blockedTypes")::add);
        return CheckOutcome.of(ok, data);
    }

    /** Metadata values are strings: a JSON array string or a comma-separated list. */
    private static List<String> fromMetadata(CheckContext context, String key) {
        String v = context.metadata().get(key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        if (v.strip().startsWith("[")) {
            JsonNode arr;
            try {
                arr = Json.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metadata '" + key + "' is not a valid JSON array", e);
            }
            List<String> out = new ArrayList<>();
            arr.forEach(n -> out.add(n.asText()));
            return out;
        }
        return Params.csv(v);
    }
}
