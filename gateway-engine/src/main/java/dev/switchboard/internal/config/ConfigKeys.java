package dev.switchboard.internal.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The keys the compiler accepts at each place of a config (reference §1.3–§1.5, §5.1). */
final class ConfigKeys {
    private ConfigKeys() {}

    static final List<String> HOOK_FIELDS = List.of(
            "before_request_hooks",
            "after_request_hooks",
            "input_guardrails",
            "output_guardrails",
            "input_mutators",
            "output_mutators");

    /** Keys every node may carry, strategy node or leaf. */
    static final Set<String> NODE_COMMON = union(
            Set.of(
                    "name",
                    "weight",
                    "id",
                    "override_params",
                    "custom_host",
                    "forward_headers",
                    "retry",
                    "cache",
                    "request_timeout",
                    "stream_idle_timeout",
                    "max_cost_usd",
                    "realtime",
                    "strict_open_ai_compliance",
                    // accepted by Portkey at node level but unused by its router: accepted here too, so configs carry
                    // over
                    "on_status_codes",
                    "cb_config"),
            Set.copyOf(HOOK_FIELDS));

    static final Set<String> STRATEGY_NODE = union(NODE_COMMON, Set.of("strategy", "targets"));

    /** Leaf keys; a provider's own {@code optionKeys} are added per target. */
    static final Set<String> LEAF = union(NODE_COMMON, Set.of("provider", "api_key", "virtual_key", "list_models"));

    /** Keys that are routing or settings, never copied into a target's provider options. */
    static final Set<String> NOT_PROVIDER_OPTIONS = union(STRATEGY_NODE, Set.of("provider", "virtual_key"));

    static final Set<String> STRATEGY =
            Set.of("mode", "on_status_codes", "conditions", "default", "cb_config", "hedge", "adaptive");

    static final Set<String> HEDGE = Set.of("after_ms", "percentile", "min_ms", "max_ms", "default_ms", "min_samples");

    static final Set<String> ADAPTIVE = Set.of("half_life_ms", "min_share", "quota_reserve");

    static final Set<String> CONDITION = Set.of("query", "then");

    static final Set<String> RETRY =
            Set.of("attempts", "on_status_codes", "use_retry_after_header", "use_retry_after_headers", "backoff");

    static final Set<String> BACKOFF = Set.of("initial_ms", "multiplier", "max_ms", "jitter");

    static final Set<String> CACHE = Set.of("mode", "max_age", "similarity_threshold");

    static final Set<String> REALTIME = Set.of("session_timeout", "idle_timeout");

    static final Set<String> CIRCUIT_BREAKER = Set.of(
            "failure_threshold",
            "failure_threshold_percentage",
            "cooldown_interval",
            "failure_status_codes",
            "minimum_requests");

    /** Hook-level keys a shorthand element may carry besides its checks. */
    static final Set<String> SHORTHAND_RESERVED =
            Set.of("deny", "on_fail", "on_success", "async", "id", "type", "guardrail_version_id", "sequential");

    static final Set<String> HOOK = union(SHORTHAND_RESERVED, Set.of("checks"));

    static final Set<String> CHECK = Set.of("id", "parameters", "is_enabled");

    static final Set<String> LOGICAL_OPERATORS = Set.of("$and", "$or");

    static final Set<String> VALUE_OPERATORS =
            Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex", "$exists", "$not");

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
