package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code default.jsonKeys} (after-request): passes when some JSON document in the answer (see
 * {@link JsonCandidates}: fenced blocks, then bare objects) has {@code any}, {@code all} or
 * {@code none} ({@code operator}, required) of the top-level {@code keys} (a non-empty array,
 * required). As Portkey's handler: the first document that satisfies the operator wins, else the one
 * with the most keys present decides (so {@code none} fails when no document parses); an array has
 * the keys "0", "1", … and "length", as a string has; a document that is JSON {@code null} is an
 * error. An empty text is an error ("Missing text to analyze").
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
        KeyOperator op = KeyOperator.ANY;
        if (p.has("operator")) {
            op = KeyOperator.read(p, KeyOperator.ANY);
        } else {
            p.problem("operator", "nothing", "\"any\", \"all\" or \"none\" (required)");
        }
        p.throwIfInvalid();
        return new Settings(keys, op);
    }

    /** {@code json.hasOwnProperty(key)}. */
    static boolean hasOwnProperty(JsonNode json, String key) {
        if (json.isNull()) {
            throw new IllegalStateException("Cannot read properties of null (reading 'hasOwnProperty')");
        }
        if (json.isObject()) {
            return json.has(key);
        }
        int length;
        if (json.isArray()) {
            length = json.size();
        } else if (json.isTextual()) {
            length = json.textValue().length();
        } else {
            return false;
        }
        if (key.equals("length")) {
            return true;
        }
        try {
            int index = Integer.parseInt(key);
            return index >= 0 && index < length && String.valueOf(index).equals(key);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> keys = settings.keys();
        KeyOperator op = settings.op();
        String text = PortkeyText.text(context);
        if (text.isEmpty()) {
            throw new IllegalStateException("Missing text to analyze");
        }
        List<JsonNode> candidates = JsonCandidates.extract(text, false);
        if (candidates.isEmpty()) {
            ObjectNode data = Json.object();
            data.put("explanation", "No valid JSON found in the text.");
            keys.forEach(data.putArray("requiredKeys")::add);
            data.put("operator", op.wording());
            data.put("textExcerpt", JsText.excerpt(text));
            return CheckOutcome.fail(data);
        }
        JsonNode bestJson = null;
        List<String> bestPresent = List.of();
        List<String> bestMissing = keys;
        boolean bestVerdict = false;
        for (JsonNode candidate : candidates) {
            List<String> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String k : keys) {
                (hasOwnProperty(candidate, k) ? present : missing).add(k);
            }
            boolean verdict = op.test(present.size(), keys.size());
            if (verdict || present.size() > bestPresent.size()) {
                bestJson = candidate;
                bestPresent = present;
                bestMissing = missing;
                bestVerdict = verdict;
            }
            if (verdict) {
                break;
            }
        }
        ObjectNode data = Json.object();
        if (bestJson == null) {
            data.putNull("matchedJson");
        } else {
            data.set("matchedJson", bestJson);
        }
        data.put("verdict", bestVerdict);
        data.put("explanation", explanation(op, bestPresent, bestMissing, bestVerdict));
        bestPresent.forEach(data.putArray("presentKeys")::add);
        bestMissing.forEach(data.putArray("missingKeys")::add);
        data.put("operator", op.wording());
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(bestVerdict, data);
    }

    private static String explanation(KeyOperator op, List<String> present, List<String> missing, boolean verdict) {
        String found =
                present.isEmpty() ? "No matching keys found" : "Found keys: [" + String.join(", ", present) + "]";
        String absent = missing.isEmpty() ? "No missing keys" : "Missing keys: [" + String.join(", ", missing) + "]";
        return switch (op) {
            case ANY ->
                verdict
                        ? "Successfully found at least one required key. " + found + "."
                        : "Failed to find any required keys. " + absent + ".";
            case ALL ->
                verdict
                        ? "Successfully found all required keys. " + found + "."
                        : "Failed to find all required keys. " + absent + ".";
            case NONE ->
                verdict
                        ? "Successfully verified no required keys are present. " + absent + "."
                        : "Found some keys that should not be present. " + found + ".";
        };
    }
}
