package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.support.NearestName;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.function.LongPredicate;

/**
 * One JSON object of the config at a known pointer, with typed readers that report a problem (and
 * return null) when a value has the wrong type or range. Absent keys return null without a problem.
 *
 * <pre>{@code
 * ConfigObject retry = ConfigObject.of(node.get("retry"), "/retry", problems, "a retry object");
 * Long attempts = retry.integer("attempts", n -> n >= 0 && n <= 10, "an integer from 0 to 10");
 * }</pre>
 */
final class ConfigObject {
    private final ObjectNode node;
    private final String pointer;
    private final Problems problems;

    private ConfigObject(ObjectNode node, String pointer, Problems problems) {
        this.node = node;
        this.pointer = pointer;
        this.problems = problems;
    }

    /** Wraps {@code value} if it is an object, else reports it (as {@code expected}) and returns null. */
    static ConfigObject of(JsonNode value, String pointer, Problems problems, String expected) {
        if (value instanceof ObjectNode) {
            return new ConfigObject((ObjectNode) value, pointer, problems);
        }
        problems.add(pointer, Found.value(value), expected);
        return null;
    }

    /** The JSON pointer of {@code key} below {@code parent}, escaped per RFC 6901. */
    static String pointer(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    static String pointer(String parent, int index) {
        return parent + "/" + index;
    }

    ObjectNode node() {
        return node;
    }

    String pointer() {
        return pointer;
    }

    Problems problems() {
        return problems;
    }

    String at(String key) {
        return pointer(pointer, key);
    }

    boolean has(String key) {
        return node.has(key);
    }

    JsonNode get(String key) {
        return node.get(key);
    }

    Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Reports every key outside {@code accepted}, suggesting the nearest accepted one. */
    void rejectUnknownKeys(Set<String> accepted, String what) {
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String key = it.next();
            if (!accepted.contains(key)) {
                String suggestion = NearestName.suggest(key, accepted);
                // with a suggestion the full list is noise; without one it is the useful answer
                problems.add(
                        at(key),
                        Found.key(key),
                        suggestion != null ? "a key of " + what : "a key of " + what + ": " + new TreeSet<>(accepted),
                        suggestion);
            }
        }
    }

    /** Reports a missing required key; returns whether it is present. */
    boolean require(String key, String expected) {
        if (node.has(key)) {
            return true;
        }
        problems.add(at(key), "nothing", expected);
        return false;
    }

    void report(String key, String expected) {
        problems.add(at(key), Found.value(key, node.get(key)), expected);
    }

    String text(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isEmpty()) {
            report(key, "a non-empty string");
            return null;
        }
        return v.textValue();
    }

    Boolean bool(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            report(key, "true or false");
            return null;
        }
        return v.booleanValue();
    }

    /** An integral number (3 or 3.0) accepted by {@code ok}. */
    Long integer(String key, LongPredicate ok, String expected) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        Long n = exactLong(v);
        if (n == null || !ok.test(n)) {
            report(key, expected);
            return null;
        }
        return n;
    }

    /** A finite number accepted by {@code ok}. */
    Double number(String key, DoublePredicate ok, String expected) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || !ok.test(v.doubleValue())) {
            report(key, expected);
            return null;
        }
        return v.doubleValue();
    }

    ObjectNode object(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            report(key, "an object");
            return null;
        }
        return (ObjectNode) v;
    }

    ConfigObject child(String key, String expected) {
        JsonNode v = node.get(key);
        return v == null ? null : of(v, at(key), problems, expected);
    }

    ArrayNode array(String key, String expected) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            report(key, expected);
            return null;
        }
        return (ArrayNode) v;
    }

    /** An array of HTTP status codes (integers 100–599); bad elements are reported one by one. */
    Set<Integer> statusCodes(String key) {
        ArrayNode array = array(key, "an array of HTTP status codes (integers 100–599)");
        if (array == null) {
            return null;
        }
        Set<Integer> codes = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < array.size(); i++) {
            Long code = exactLong(array.get(i));
            if (code == null || code < 100 || code > 599) {
                problems.add(pointer(at(key), i), Found.value(array.get(i)), "an HTTP status code (integer 100–599)");
                ok = false;
            } else {
                codes.add(code.intValue());
            }
        }
        return ok ? codes : null;
    }

    static Long exactLong(JsonNode v) {
        if (v == null || !v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            return null;
        }
        return v.longValue();
    }
}
