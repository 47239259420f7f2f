package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.support.NearestName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the settings a node writes itself: {@code retry}, {@code cache}, {@code cb_config} (also
 * accepted inside {@code strategy}), {@code request_timeout}, {@code stream_idle_timeout}, {@code realtime}, {@code custom_host},
 * {@code forward_headers}, {@code strict_open_ai_compliance}, {@code override_params}, {@code max_cost_usd} and hooks.
 */
final class SettingsParser {
    private SettingsParser() {}

    /**
     * @param strategy the node's {@code strategy} object when it is one, else null
     */
    static DeclaredSettings parse(ConfigObject node, ConfigObject strategy, CompileContext ctx) {
        ObjectNode overrideParams = node.object("override_params");
        return new DeclaredSettings(
                node.pointer(),
                retry(node),
                node.integer("request_timeout", n -> n > 0, "a positive integer (milliseconds)"),
                node.integer("stream_idle_timeout", n -> n > 0, "a positive integer (milliseconds)"),
                overrideParams == null ? null : overrideParams.deepCopy(),
                customHost(node),
                forwardHeaders(node),
                node.bool("strict_open_ai_compliance"),
                HookParser.parse(node, ctx),
                cache(node),
                circuitBreaker(node, strategy),
                realtime(node),
                maxCostUsd(node));
    }

    /** {@code "max_cost_usd": 0.05}: the most one attempt may cost, in US dollars; read exactly (no binary rounding). */
    private static java.math.BigDecimal maxCostUsd(ConfigObject node) {
        Double v = node.number("max_cost_usd", d -> d > 0, "a positive number of US dollars (0.05)");
        return v == null ? null : node.get("max_cost_usd").decimalValue();
    }

    /** {@code "realtime": {"session_timeout": ms, "idle_timeout": ms}}; an unset field keeps its default. */
    private static RealtimeSettings realtime(ConfigObject node) {
        ConfigObject rt =
                node.child("realtime", "a realtime object ({\"session_timeout\": 1800000, \"idle_timeout\": 120000})");
        if (rt == null) {
            return null;
        }
        rt.rejectUnknownKeys(ConfigKeys.REALTIME, "realtime");
        Long session = rt.integer("session_timeout", n -> n > 0, "a positive integer (milliseconds)");
        Long idle = rt.integer("idle_timeout", n -> n > 0, "a positive integer (milliseconds)");
        return new RealtimeSettings(
                session != null ? session : RealtimeSettings.DEFAULT_SESSION_TIMEOUT_MS,
                idle != null ? idle : RealtimeSettings.DEFAULT_IDLE_TIMEOUT_MS);
    }

    private static RetrySettings retry(ConfigObject node) {
        ConfigObject retry = node.child("retry", "a retry object ({\"attempts\": 3})");
        if (retry == null) {
            return null;
        }
        retry.rejectUnknownKeys(ConfigKeys.RETRY, "retry");
        Long attempts = null;
        if (retry.require("attempts", "an integer from 0 to 10")) {
            attempts = retry.integer("attempts", n -> n >= 0 && n <= 10, "an integer from 0 to 10");
        }
        Set<Integer> codes = retry.statusCodes("on_status_codes");
        Boolean singular = retry.bool("use_retry_after_header");
        Boolean plural = retry.bool("use_retry_after_headers");
        if (singular != null && plural != null && !singular.equals(plural)) {
            retry.report(
                    "use_retry_after_headers",
                    "the same value as use_retry_after_header (" + singular + "), or only one of the two spellings");
        }
        Backoff backoff = backoff(retry);
        if (attempts == null) {
            return null;
        }
        return new RetrySettings(
                attempts.intValue(),
                codes == null ? RetrySettings.DEFAULT_STATUS_CODES : codes,
                Boolean.TRUE.equals(singular != null ? singular : plural),
                backoff == null ? Backoff.DEFAULT : backoff);
    }

    private static Backoff backoff(ConfigObject retry) {
        ConfigObject b = retry.child("backoff", "a backoff object ({\"initial_ms\": 500, \"multiplier\": 2})");
        if (b == null) {
            return null;
        }
        b.rejectUnknownKeys(ConfigKeys.BACKOFF, "backoff");
        Backoff d = Backoff.DEFAULT;
        Long initial = b.integer("initial_ms", n -> n > 0, "a positive integer (milliseconds)");
        Double multiplier = b.number("multiplier", m -> m >= 1, "a number ≥ 1");
        Long max = b.integer("max_ms", n -> n > 0, "a positive integer (milliseconds)");
        Double jitter = b.number("jitter", j -> j >= 0 && j <= 1, "a number from 0 to 1");
        long initialMs = initial == null ? d.initialMs() : initial;
        if (max != null && max < initialMs) {
            b.report("max_ms", "a value ≥ initial_ms (" + initialMs + ")");
            return null;
        }
        // an initial wait above the default cap raises the cap rather than being clipped silently
        long maxMs = max != null ? max : Math.max(d.maxMs(), initialMs);
        return new Backoff(
                initialMs,
                multiplier == null ? d.multiplier() : multiplier,
                maxMs,
                jitter == null ? d.jitter() : jitter);
    }

    private static CacheSettings cache(ConfigObject node) {
        JsonNode value = node.get("cache");
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            CacheSettings.Mode mode = cacheMode(value, node.at("cache"), node.problems());
            return mode == null
                    ? null
                    : new CacheSettings(
                            mode, CacheSettings.DEFAULT_MAX_AGE_SECONDS, CacheSettings.DEFAULT_SIMILARITY_THRESHOLD);
        }
        ConfigObject cache = node.child("cache", "\"simple\", \"semantic\" or a cache object ({\"mode\": \"simple\"})");
        if (cache == null) {
            return null;
        }
        cache.rejectUnknownKeys(ConfigKeys.CACHE, "cache");
        CacheSettings.Mode mode = null;
        if (cache.require("mode", "\"simple\" or \"semantic\"")) {
            mode = cacheMode(cache.get("mode"), cache.at("mode"), cache.problems());
        }
        Long maxAge = cache.integer("max_age", n -> n > 0, "a positive integer (seconds)");
        if (maxAge != null && looksLikeMilliseconds(maxAge)) {
            cache.problems()
                    .warn("cache.max_age at " + cache.at("max_age") + " is " + maxAge + " seconds ("
                            + humanSeconds(maxAge)
                            + "); Switchboard reads seconds, Portkey OSS milliseconds — if you meant "
                            + maxAge / 1000 + " s, write " + maxAge / 1000);
        }
        Double threshold = cache.number("similarity_threshold", t -> t > 0 && t <= 1, "a number in (0, 1]");
        if (mode == null) {
            return null;
        }
        return new CacheSettings(
                mode,
                maxAge == null ? CacheSettings.DEFAULT_MAX_AGE_SECONDS : maxAge,
                threshold == null ? CacheSettings.DEFAULT_SIMILARITY_THRESHOLD : threshold);
    }

    /**
     * A {@code max_age} that only makes sense as milliseconds: at least a minute's worth of them
     * (60000) and a whole number of seconds when read as milliseconds. 3600 or 86400 (an hour, a
     * day, in seconds) stay quiet; 60000 or 3600000 warn.
     */
    static boolean looksLikeMilliseconds(long maxAge) {
        return maxAge >= 60_000 && maxAge % 1000 == 0;
    }

    private static String humanSeconds(long seconds) {
        double hours = seconds / 3600.0;
        return hours < 48
                ? String.format(Locale.ROOT, "%.1f hours", hours)
                : String.format(Locale.ROOT, "%.1f days", hours / 24);
    }

    private static CacheSettings.Mode cacheMode(JsonNode value, String pointer, Problems problems) {
        String text = value.isTextual() ? value.textValue() : null;
        if ("simple".equals(text)) {
            return CacheSettings.Mode.SIMPLE;
        }
        if ("semantic".equals(text)) {
            return CacheSettings.Mode.SEMANTIC;
        }
        problems.add(
                pointer,
                Found.value(value),
                "\"simple\" or \"semantic\"",
                NearestName.suggest(text, List.of("simple", "semantic")));
        return null;
    }

    private static CircuitBreakerSettings circuitBreaker(ConfigObject node, ConfigObject strategy) {
        ConfigObject owner = node;
        if (strategy != null && strategy.has("cb_config")) {
            if (node.has("cb_config")) {
                strategy.report("cb_config", "cb_config in one place only (it is also set on the node)");
                return null;
            }
            owner = strategy;
        }
        ConfigObject cb = owner.child(
                "cb_config", "a cb_config object ({\"failure_threshold\": 5, \"cooldown_interval\": 30000})");
        if (cb == null) {
            return null;
        }
        cb.rejectUnknownKeys(ConfigKeys.CIRCUIT_BREAKER, "cb_config");
        Long threshold = cb.integer("failure_threshold", n -> n >= 1, "an integer ≥ 1");
        Double percentage = cb.number("failure_threshold_percentage", p -> p > 0 && p <= 100, "a number in (0, 100]");
        Long cooldown = null;
        if (cb.require("cooldown_interval", "a positive integer (milliseconds)")) {
            cooldown = cb.integer("cooldown_interval", n -> n > 0, "a positive integer (milliseconds)");
        }
        Set<Integer> codes = cb.statusCodes("failure_status_codes");
        Long minimum = cb.integer("minimum_requests", n -> n >= 1 && n <= Integer.MAX_VALUE, "an integer ≥ 1");
        if (!cb.has("failure_threshold") && !cb.has("failure_threshold_percentage")) {
            cb.problems()
                    .add(
                            cb.pointer(),
                            Found.value(cb.node()),
                            "failure_threshold or failure_threshold_percentage (at least one)");
            return null;
        }
        if (cooldown == null || (threshold == null && percentage == null)) {
            return null;
        }
        return new CircuitBreakerSettings(
                threshold == null ? null : Math.toIntExact(Math.min(threshold, Integer.MAX_VALUE)),
                percentage,
                cooldown,
                codes,
                minimum == null ? 5 : minimum.intValue());
    }

    private static String customHost(ConfigObject node) {
        String host = node.text("custom_host");
        if (host == null) {
            return null;
        }
        try {
            URI uri = new URI(host);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return host;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        node.report("custom_host", "an absolute http or https URL (http://127.0.0.1:8080/v1)");
        return null;
    }

    private static List<String> forwardHeaders(ConfigObject node) {
        ArrayNode array = node.array("forward_headers", "an array of header names");
        if (array == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < array.size(); i++) {
            JsonNode v = array.get(i);
            String pointer = ConfigObject.pointer(node.at("forward_headers"), i);
            if (!v.isTextual() || v.textValue().isBlank()) {
                node.problems().add(pointer, Found.value(v), "a header name");
                ok = false;
                continue;
            }
            String name = v.textValue().trim().toLowerCase(Locale.ROOT);
            if (name.equals("x-portkey-forward-headers")) {
                node.problems().add(pointer, Found.value(v), "a header other than x-portkey-forward-headers");
                ok = false;
                continue;
            }
            names.add(name);
        }
        return ok ? List.copyOf(names) : null;
    }
}
