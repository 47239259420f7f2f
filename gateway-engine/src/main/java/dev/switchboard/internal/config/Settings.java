package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A node's settings after inheritance (reference §1.6): {@code override_params} shallow-merged
 * (child wins); {@code retry}, {@code cache}, {@code cb_config} replaced wholesale by a child that
 * sets them; {@code request_timeout}, {@code custom_host}, {@code forward_headers}, {@code max_cost_usd},
 * {@code strict_open_ai_compliance} child-if-set; hooks replaced by a child that defines any.
 *
 * @param requestTimeoutMs null = no timeout
 * @param streamIdleTimeoutMs the longest silence of a stream after its first event; null = the
 *                         default, {@link #DEFAULT_STREAM_IDLE_TIMEOUT_MS}
 * @param overrideParams   never null (empty object when none); read-only by contract
 * @param customHost       null = provider default
 * @param cache            null = caching off
 * @param circuitBreaker   null = no breaker
 * @param inheritedFrom    for explanations: setting name → pointer of the node that set it
 * @param realtime         timeouts of Realtime sessions; null = {@link RealtimeSettings#DEFAULTS}
 * @param maxCostUsd       the cost cap of one attempt ({@code max_cost_usd}, child-if-set); null = none
 */
public record Settings(
        RetrySettings retry,
        Long requestTimeoutMs,
        Long streamIdleTimeoutMs,
        ObjectNode overrideParams,
        String customHost,
        List<String> forwardHeaders,
        boolean strictOpenAiCompliance,
        List<HookSpec> beforeHooks,
        List<HookSpec> afterHooks,
        CacheSettings cache,
        CircuitBreakerSettings circuitBreaker,
        java.util.Map<String, String> inheritedFrom,
        RealtimeSettings realtime,
        java.math.BigDecimal maxCostUsd) {

    /** The stream idle timeout when no node sets {@code stream_idle_timeout}: 60 s. */
    public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

    public Settings {
        forwardHeaders = List.copyOf(forwardHeaders);
        beforeHooks = List.copyOf(beforeHooks);
        afterHooks = List.copyOf(afterHooks);
        inheritedFrom = java.util.Map.copyOf(inheritedFrom);
    }

    /** {@return the Realtime session timeouts: the ones set, or the defaults} */
    public RealtimeSettings realtimeOrDefaults() {
        return realtime != null ? realtime : RealtimeSettings.DEFAULTS;
    }

    /** Root defaults: no retry, no timeout, no overrides, strict compliance on, no hooks, no cache. */
    public static Settings defaults() {
        return new Settings(
                RetrySettings.NONE,
                null,
                null,
                dev.switchboard.api.Json.object(),
                null,
                List.of(),
                true,
                List.of(),
                List.of(),
                null,
                null,
                java.util.Map.of(),
                null,
                null);
    }
}
