package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The settings one node writes itself (null = not written), and how they combine with the parent's
 * resolved {@link Settings} (reference §1.6).
 *
 * <pre>{@code
 * Settings mine = declared.resolve(parentSettings);
 * }</pre>
 */
record DeclaredSettings(
        String pointer,
        RetrySettings retry,
        Long requestTimeoutMs,
        Long streamIdleTimeoutMs,
        ObjectNode overrideParams,
        String customHost,
        List<String> forwardHeaders,
        Boolean strictOpenAiCompliance,
        HookParser.NodeHooks hooks,
        CacheSettings cache,
        CircuitBreakerSettings circuitBreaker,
        RealtimeSettings realtime,
        java.math.BigDecimal maxCostUsd) {

    Settings resolve(Settings parent) {
        Map<String, String> from = new HashMap<>(parent.inheritedFrom());
        ObjectNode params = parent.overrideParams().deepCopy();
        if (overrideParams != null) {
            // shallow merge: the child's keys win, the parent's other keys stay
            Iterator<String> keys = overrideParams.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                params.set(key, overrideParams.get(key).deepCopy());
                from.put("override_params." + key, pointer);
            }
        }
        List<HookSpec> before = parent.beforeHooks();
        List<HookSpec> after = parent.afterHooks();
        if (hooks.defined()) {
            before = hooks.before();
            after = hooks.after();
            from.put("before_request_hooks", pointer);
            from.put("after_request_hooks", pointer);
        }
        return new Settings(
                pick("retry", retry, parent.retry(), from),
                pick("request_timeout", requestTimeoutMs, parent.requestTimeoutMs(), from),
                pick("stream_idle_timeout", streamIdleTimeoutMs, parent.streamIdleTimeoutMs(), from),
                params,
                pick("custom_host", customHost, parent.customHost(), from),
                pick("forward_headers", forwardHeaders, parent.forwardHeaders(), from),
                pick("strict_open_ai_compliance", strictOpenAiCompliance, parent.strictOpenAiCompliance(), from),
                before,
                after,
                pick("cache", cache, parent.cache(), from),
                pick("cb_config", circuitBreaker, parent.circuitBreaker(), from),
                from,
                pick("realtime", realtime, parent.realtime(), from),
                pick("max_cost_usd", maxCostUsd, parent.maxCostUsd(), from));
    }

    /** Child-if-set: the node's own value replaces the inherited one wholesale. */
    private <T> T pick(String name, T own, T inherited, Map<String, String> from) {
        if (own == null) {
            return inherited;
        }
        from.put(name, pointer);
        return own;
    }
}
