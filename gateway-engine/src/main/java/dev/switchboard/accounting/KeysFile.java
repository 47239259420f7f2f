package dev.switchboard.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.internal.EnvReferences;
import dev.switchboard.spi.support.NearestName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads virtual keys from a JSON file, so secrets and limits live outside the code:
 *
 * <pre>{@code
 * {"keys": {
 *   "@openai-prod": {
 *     "provider": "openai", "api_key": "${OPENAI_API_KEY}",
 *     "organization": "org-1", "project": "proj-1", "base_url": "https://api.openai.com/v1",
 *     "expires_at": "2026-12-01T00:00:00Z",
 *     "options": {"resource_name": "..."},
 *     "limits": {"requests_per_minute": 60, "tokens_per_day": 100000, "budget_usd_per_month": "50.00",
 *                "per_value_of": {"user_id": {"requests_per_minute": 10, "budget_usd_per_day": "1.00"}}}}}}
 *
 * Map<String, ProviderCredentials> keys = KeysFile.load(Path.of("keys.json"));
 * }</pre>
 *
 * <p>Any string of {@code api_key}, {@code organization}, {@code project}, {@code base_url} and
 * {@code options} may contain {@code ${ENV_VAR}}, replaced by the environment variable (<code>$${</code>
 * for a literal <code>${</code>); a variable that is not set or empty is an error naming the variable and
 * the key, never a value. Gateway configs expand the same references in their secret fields. Limits:
 * {@code requests_per_minute|hour|day}, {@code tokens_per_minute|day},
 * {@code budget_usd_per_day|month}, {@code budget_usd_total} (a string or number of USD),
 * {@code per_metadata_key} (these limits apply per value of that metadata field) and
 * {@code per_value_of} ({@code {field: limits}}, see {@link KeyLimits}). Unknown fields are errors
 * with their path and a "did you mean"; every problem of the file is reported at once.
 */
public final class KeysFile {
    private static final Set<String> KEY_FIELDS =
            Set.of("provider", "api_key", "organization", "project", "base_url", "expires_at", "options", "limits");
    private static final Set<String> LIMIT_FIELDS = Set.of(
            "requests_per_minute",
            "requests_per_hour",
            "requests_per_day",
            "tokens_per_minute",
            "tokens_per_day",
            "budget_usd_per_day",
            "budget_usd_per_month",
            "budget_usd_total",
            "per_metadata_key",
            "per_value_of");

    private KeysFile() {}

    /**
     * Reads a keys file, resolving {@code ${VAR}} from the process environment.
     *
     * @param file the keys file (UTF-8)
     * @return the keys by slug ({@code @openai-prod}), in file order; unmodifiable
     * @throws IllegalArgumentException     naming the file and every problem in it
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static Map<String, ProviderCredentials> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keys file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text, System::getenv);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses keys-file text; {@code env} resolves {@code ${VAR}} (returns null when unset).
     * The map keeps the file's order and is unmodifiable.
     *
     * @param json the keys file's text
     * @param env  the environment, e.g. {@code System::getenv} or a map's {@code get} in tests
     * @return the keys by slug
     * @throws IllegalArgumentException naming every problem, with its JSON path
     */
    public static Map<String, ProviderCredentials> parse(String json, Function<String, String> env) {
        JsonNode root = Json.parse(json);
        Problems problems = new Problems();
        Map<String, ProviderCredentials> out = new LinkedHashMap<>();
        if (!root.isObject()) {
            problems.add("/", "expected an object {\"keys\": {...}}");
        } else {
            unknownFields(root, Set.of("keys"), "", problems);
            JsonNode keys = root.get("keys");
            if (keys == null || !keys.isObject()) {
                problems.add(
                        "/keys",
                        "expected an object of keys, e.g. {\"@openai-prod\": {\"provider\": \"openai\", ...}}");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                keys.properties().iterator();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    ProviderCredentials c = key(e.getKey(), e.getValue(), env, problems);
                    if (c != null) {
                        out.put(e.getKey(), c);
                    }
                }
            }
        }
        problems.throwIfAny();
        return java.util.Collections.unmodifiableMap(out);
    }

    private static ProviderCredentials key(String slug, JsonNode n, Function<String, String> env, Problems problems) {
        String path = "/keys/" + slug;
        int before = problems.count();
        if (!slug.startsWith("@") || slug.length() < 2) {
            problems.add(path, "a key name starts with '@' (it is referenced as \"provider\": \"@name\")");
        }
        if (!n.isObject()) {
            problems.add(path, "expected an object with \"provider\" and the key's fields");
            return null;
        }
        unknownFields(n, KEY_FIELDS, path, problems);
        String provider = text(n, "provider", path, problems);
        if (provider == null && !n.has("provider")) {
            problems.add(path + "/provider", "missing: the provider id, e.g. \"openai\"");
        }
        ProviderCredentials.Builder b = ProviderCredentials.builder(provider == null ? "?" : provider);
        b.secret(resolved(text(n, "api_key", path, problems), slug, path + "/api_key", env, problems));
        b.organization(resolved(text(n, "organization", path, problems), slug, path + "/organization", env, problems));
        b.project(resolved(text(n, "project", path, problems), slug, path + "/project", env, problems));
        b.baseUrl(resolved(text(n, "base_url", path, problems), slug, path + "/base_url", env, problems));
        String expires = text(n, "expires_at", path, problems);
        if (expires != null) {
            try {
                b.expiresAt(Instant.parse(expires));
            } catch (DateTimeParseException e) {
                problems.add(
                        path + "/expires_at",
                        "expected an ISO-8601 instant such as \"2026-12-01T00:00:00Z\", found \"" + expires + "\"");
            }
        }
        JsonNode options = n.get("options");
        if (options != null) {
            if (options.isObject()) {
                b.options(resolveTree((ObjectNode) options.deepCopy(), slug, path + "/options", env, problems));
            } else {
                problems.add(path + "/options", "expected an object of provider fields");
            }
        }
        JsonNode limits = n.get("limits");
        if (limits != null) {
            b.limits(limits(limits, path + "/limits", true, problems));
        }
        return problems.count() == before ? b.build() : null;
    }

    private static KeyLimits limits(JsonNode n, String path, boolean top, Problems problems) {
        if (!n.isObject()) {
            problems.add(path, "expected an object of limits such as {\"requests_per_minute\": 60}");
            return null;
        }
        unknownFields(n, LIMIT_FIELDS, path, problems);
        KeyLimits.Builder b = KeyLimits.builder();
        try {
            count(n, "requests_per_minute", path, problems, b::requestsPerMinute);
            count(n, "requests_per_hour", path, problems, b::requestsPerHour);
            count(n, "requests_per_day", path, problems, b::requestsPerDay);
            count(n, "tokens_per_minute", path, problems, b::tokensPerMinute);
            count(n, "tokens_per_day", path, problems, b::tokensPerDay);
            usd(n, "budget_usd_per_day", path, problems, b::budgetUsdPerDay);
            usd(n, "budget_usd_per_month", path, problems, b::budgetUsdPerMonth);
            usd(n, "budget_usd_total", path, problems, b::budgetUsdTotal);
            String field = text(n, "per_metadata_key", path, problems);
            if (field != null) {
                b.perMetadataKey(field);
            }
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
        }
        JsonNode perValue = n.get("per_value_of");
        if (perValue != null) {
            if (!top) {
                problems.add(path + "/per_value_of", "per-value limits cannot nest further per-value limits");
            } else if (!perValue.isObject()) {
                problems.add(path + "/per_value_of", "expected {\"<metadata field>\": {limits}}");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                perValue.properties().iterator();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    KeyLimits inner = limits(e.getValue(), path + "/per_value_of/" + e.getKey(), false, problems);
                    if (inner != null) {
                        b.perValueOf(e.getKey(), inner);
                    }
                }
            }
        }
        return b.build();
    }

    private interface LongSetter {
        void set(long v);
    }

    private static void count(JsonNode n, String field, String path, Problems problems, LongSetter setter) {
        JsonNode v = n.get(field);
        if (v == null) {
            return;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            problems.add(path + "/" + field, "expected a whole number >= 0, found " + v);
            return;
        }
        setter.set(v.asLong());
    }

    private static void usd(JsonNode n, String field, String path, Problems problems, Function<BigDecimal, ?> setter) {
        JsonNode v = n.get(field);
        if (v == null) {
            return;
        }
        try {
            BigDecimal d = v.isNumber()
                    ? new BigDecimal(v.asText())
                    : v.isTextual() ? new BigDecimal(v.asText().trim()) : null;
            if (d == null || d.signum() < 0) {
                throw new NumberFormatException();
            }
            setter.apply(d);
        } catch (NumberFormatException e) {
            problems.add(path + "/" + field, "expected a USD amount >= 0 such as \"50.00\", found " + v);
        }
    }

    /** A string field (null when absent); a non-string is a problem, reported without its value. */
    private static String text(JsonNode n, String field, String path, Problems problems) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(
                    path + "/" + field,
                    "expected a string, found " + v.getNodeType().name().toLowerCase());
            return null;
        }
        return v.asText();
    }

    private static String resolved(
            String value, String slug, String path, Function<String, String> env, Problems problems) {
        try {
            return EnvReferences.expand(value, env);
        } catch (EnvReferences.UnresolvedException e) {
            problems.add(path, e.getMessage() + " (needed by key " + slug + ")");
            return null;
        }
    }

    private static ObjectNode resolveTree(
            ObjectNode node, String slug, String path, Function<String, String> env, Problems problems) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v.isTextual()) {
                String r = resolved(v.asText(), slug, path + "/" + name, env, problems);
                node.set(name, r == null ? null : TextNode.valueOf(r));
            } else if (v.isObject()) {
                resolveTree((ObjectNode) v, slug, path + "/" + name, env, problems);
            }
        }
        return node;
    }

    private static void unknownFields(JsonNode n, Set<String> known, String path, Problems problems) {
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problems.add(path + "/" + f, "unknown field" + NearestName.hint(f, known));
            }
        });
    }

    private static final class Problems {
        private final List<String> lines = new ArrayList<>();

        void add(String path, String what) {
            lines.add(path + ": " + what);
        }

        int count() {
            return lines.size();
        }

        void throwIfAny() {
            if (lines.size() == 1) {
                throw new IllegalArgumentException("keys file: " + lines.get(0));
            }
            if (!lines.isEmpty()) {
                throw new IllegalArgumentException(
                        "keys file has " + lines.size() + " problems:\n  " + String.join("\n  ", lines));
            }
        }
    }
}
