package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a check's {@code parameters} object. Every accessor names the parameter in the
 * {@link IllegalArgumentException} it throws, so a misconfigured check reports what to fix.
 *
 * <pre>{@code
 * long max = Params.integer(parameters, "maxWords", 99999);
 * }</pre>
 */
public final class Params {
    private Params() {}

    private static JsonNode get(ObjectNode params, String name) {
        if (params == null) {
            return null;
        }
        JsonNode n = params.get(name);
        return n == null || n.isNull() ? null : n;
    }

    public static boolean has(ObjectNode params, String name) {
        return get(params, name) != null;
    }

    /** A boolean; the strings "true"/"false" are accepted too (configs written by hand). */
    public static boolean bool(ObjectNode params, String name, boolean defaultValue) {
        JsonNode n = get(params, name);
        if (n == null) {
            return defaultValue;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw new IllegalArgumentException("parameter '" + name + "' must be a boolean, got " + n.getNodeType());
    }

    /** An integral number (1.0 is accepted, 1.5 is not). */
    public static long integer(ObjectNode params, String name, long defaultValue) {
        JsonNode n = get(params, name);
        if (n == null) {
            return defaultValue;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
            return (long) n.doubleValue();
        }
        throw new IllegalArgumentException("parameter '" + name + "' must be an integer, got " + n);
    }

    /** A non-negative integer. */
    public static long nonNegative(ObjectNode params, String name, long defaultValue) {
        long v = integer(params, name, defaultValue);
        if (v < 0) {
            throw new IllegalArgumentException("parameter '" + name + "' must be >= 0, got " + v);
        }
        return v;
    }

    public static String string(ObjectNode params, String name, String defaultValue) {
        JsonNode n = get(params, name);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a string, got " + n.getNodeType());
        }
        return n.asText();
    }

    /** A required, non-empty string. */
    public static String requiredString(ObjectNode params, String name) {
        String s = string(params, name, null);
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "' is required");
        }
        return s;
    }

    /** An array of strings, or (when {@code csvAllowed}) a comma-separated string; absent gives an empty list. */
    public static List<String> strings(ObjectNode params, String name, boolean csvAllowed) {
        JsonNode n = get(params, name);
        if (n == null) {
            return List.of();
        }
        if (n.isTextual() && csvAllowed) {
            return csv(n.asText());
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an array of strings"
                    + (csvAllowed ? " or a comma-separated string" : "") + ", got " + n.getNodeType());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("parameter '" + name + "' must contain only strings, got " + e);
            }
            out.add(e.asText());
        }
        return Collections.unmodifiableList(out);
    }

    /** A required, non-empty array of strings. */
    public static List<String> requiredStrings(ObjectNode params, String name) {
        List<String> list = strings(params, name, false);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "' is required (a non-empty array of strings)");
        }
        return list;
    }

    /** Splits a comma-separated list, trimming entries and dropping empty ones. */
    public static List<String> csv(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** One of the allowed values (exact match). */
    public static String oneOf(ObjectNode params, String name, String defaultValue, List<String> allowed) {
        String v = string(params, name, defaultValue);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("parameter '" + name + "' must be one of " + allowed + ", got '" + v + "'");
        }
        return v;
    }

    /** HTTP headers given as a JSON object or as a string holding a JSON object; absent gives an empty map. */
    public static Map<String, String> headers(ObjectNode params, String name) {
        JsonNode n = get(params, name);
        if (n == null) {
            return Map.of();
        }
        if (n.isTextual()) {
            if (n.asText().isBlank()) {
                return Map.of();
            }
            try {
                n = Json.parse(n.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + name + "' is not a JSON object string", e);
            }
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an object of header names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().iterator().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw new IllegalArgumentException("parameter '" + name + "' header '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return Collections.unmodifiableMap(out);
    }
}
