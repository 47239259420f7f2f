package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
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
 * {@code metadataKeys} (a non-empty array) with {@code operator} {@code all}, {@code any} or
 * {@code none} (required, as Portkey's handler errors without it). As Portkey tests
 * {@code key in metadata}, the names every JavaScript object has ({@code toString},
 * {@code constructor}, …) are always present.
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
        KeyOperator op = KeyOperator.ALL;
        if (p.has("operator")) {
            op = KeyOperator.read(p, KeyOperator.ALL);
        } else {
            p.problem("operator", "nothing", "\"all\", \"any\" or \"none\" (required: Portkey errors without it)");
        }
        p.throwIfInvalid();
        return new Settings(keys, op);
    }

    /** Names every plain JavaScript object answers to through its prototype ({@code key in metadata}). */
    private static final Set<String> PROTOTYPE = Set.of(
            "constructor",
            "hasOwnProperty",
            "isPrototypeOf",
            "propertyIsEnumerable",
            "toLocaleString",
            "toString",
            "valueOf",
            "__proto__",
            "__defineGetter__",
            "__defineSetter__",
            "__lookupGetter__",
            "__lookupSetter__");

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> keys = settings.keys();
        KeyOperator op = settings.op();
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            (context.metadata().containsKey(k) || PROTOTYPE.contains(k) ? found : missing).add(k);
        }
        boolean verdict = op.test(found.size(), keys.size());
        String operator = op.wording();
        ObjectNode data = Json.object();
        data.put(
                "explanation",
                "Check " + (verdict ? "passed" : "failed") + " for '" + operator + "' metadata keys. "
                        + switch (op) {
                            case ANY ->
                                verdict ? "At least one metadata key was found." : "No metadata keys were found.";
                            case ALL -> verdict ? "All metadata keys were found." : "Some metadata keys were missing.";
                            case NONE -> verdict ? "No metadata keys were found." : "Some metadata keys were found.";
                        });
        missing.forEach(data.putArray("missing_metadata_keys")::add);
        found.forEach(data.putArray("found_metadata_keys")::add);
        data.put("operator", operator);
        return CheckOutcome.of(verdict, data);
    }
}
