package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.InvalidParametersException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads single values of a check's {@code parameters} object. Every accessor names the parameter in
 * the {@link InvalidParametersException} (an {@link IllegalArgumentException}) it throws, so a
 * misconfigured check reports what to fix. The built-in checks read all their parameters at once
 * in {@code prepare}, with the same rules, so that every problem is reported when the gateway is built.
 *
 * <pre>{@code
 * long max = Params.integer(parameters, "maxWords", 99999);
 * }</pre>
 */
public final class Params {
    private Params() {}

    private static <T> T read(ObjectNode params, Function<ParameterReader, T> accessor) {
        ParameterReader reader = ParameterReader.lenient(params);
        T value = accessor.apply(reader);
        reader.throwIfInvalid();
        return value;
    }

    /** Whether the parameter is present and not JSON {@code null}. */
    public static boolean has(ObjectNode params, String name) {
        return ParameterReader.lenient(params).has(name);
    }

    /** A boolean; the strings "true"/"false" are accepted too (configs written by hand). */
    public static boolean bool(ObjectNode params, String name, boolean defaultValue) {
        return read(params, r -> r.bool(name, defaultValue));
    }

    /** An integral number (1.0 is accepted, 1.5 is not). */
    public static long integer(ObjectNode params, String name, long defaultValue) {
        return read(params, r -> r.integer(name, defaultValue));
    }

    /** A non-negative integer. */
    public static long nonNegative(ObjectNode params, String name, long defaultValue) {
        return read(params, r -> r.nonNegative(name, defaultValue));
    }

    /** A string, or {@code defaultValue} when absent. */
    public static String string(ObjectNode params, String name, String defaultValue) {
        return read(params, r -> r.string(name, defaultValue));
    }

    /** A required, non-empty string. */
    public static String requiredString(ObjectNode params, String name) {
        return read(params, r -> r.requiredString(name));
    }

    /** An array of strings, or (when {@code csvAllowed}) a comma-separated string; absent gives an empty list. */
    public static List<String> strings(ObjectNode params, String name, boolean csvAllowed) {
        return read(params, r -> r.strings(name, csvAllowed));
    }

    /** A required, non-empty array of strings. */
    public static List<String> requiredStrings(ObjectNode params, String name) {
        return read(params, r -> r.requiredStrings(name));
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
        return read(params, r -> r.oneOf(name, defaultValue, allowed));
    }

    /** HTTP headers given as a JSON object or as a string holding a JSON object; absent gives an empty map. */
    public static Map<String, String> headers(ObjectNode params, String name) {
        return read(params, r -> r.headers(name));
    }
}
