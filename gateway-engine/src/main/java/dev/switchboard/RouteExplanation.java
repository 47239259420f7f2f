package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.internal.Redactor;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.Settings;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.internal.runtime.RouteEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@link Gateway#explain} found, without calling anything: the leaf that would be tried first,
 * how the router got there (every condition evaluated with its result, loadbalance odds, fallback
 * order), and the settings that leaf inherits with where each came from.
 *
 * <pre>{@code
 * System.out.println(gateway.explain(request)); // readable by a person
 * }</pre>
 */
public final class RouteExplanation {
    /**
     * One evaluated condition of a conditional strategy.
     *
     * @param strategyPath option index of the conditional node, e.g. {@code config}
     * @param query        the condition's query, as JSON
     * @param then         the target name the condition routes to
     * @param matched      whether the query matched the request
     */
    public record ConditionResult(String strategyPath, String query, String then, boolean matched) {}

    /**
     * One target of a loadbalance node with {@code "adaptive"} weights, as the router weighs it now.
     *
     * @param strategyPath option index of the loadbalance node, e.g. {@code config}
     * @param targetPath   option index of the target, e.g. {@code config.targets[1]}
     * @param configured   its configured {@code weight}
     * @param ttfbMs       decayed average time to first byte (ms; a whole answer: the time to it), or
     *                     null when nothing was observed
     * @param totalMs      decayed average total time (ms), or null when nothing was observed
     * @param errorRate    decayed share of its attempts that failed on its side (0 to 1)
     * @param quota        the remaining quota its provider reported ({@code x-ratelimit-*}), or null
     * @param effective    the weight the router draws with now
     * @param why          how {@code effective} came from {@code configured}, as a sentence
     */
    public record TargetWeight(
            String strategyPath,
            String targetPath,
            double configured,
            Double ttfbMs,
            Double totalMs,
            double errorRate,
            String quota,
            double effective,
            String why) {}

    private final String leafPath;
    private final String provider;
    private final String model;
    private final List<String> steps;
    private final List<ConditionResult> conditions;
    private final Map<String, String> settings;
    private final String error;
    private final List<TargetWeight> weights;

    RouteExplanation(
            String leafPath,
            String provider,
            String model,
            List<String> steps,
            List<ConditionResult> conditions,
            Map<String, String> settings,
            String error,
            List<TargetWeight> weights) {
        this.weights = List.copyOf(weights);
        this.leafPath = leafPath;
        this.provider = provider;
        this.model = model;
        this.steps = List.copyOf(steps);
        this.conditions = List.copyOf(conditions);
        this.settings = Map.copyOf(settings);
        this.error = error;
    }

    /** {@return the option index of the first leaf ({@code config.targets[1]}), or null when no route resolves} */
    public String leafPath() {
        return leafPath;
    }

    /** {@return the provider id of the first leaf, or null when no route resolves} */
    public String provider() {
        return provider;
    }

    /** {@return the model the leaf would send (after {@code override_params}), or null when unknown} */
    public String model() {
        return model;
    }

    /** {@return the routing decisions in order, as sentences} */
    public List<String> steps() {
        return steps;
    }

    /** {@return every condition evaluated on the way, with its result} */
    public List<ConditionResult> conditions() {
        return conditions;
    }

    /** {@return the effective settings of the leaf: name → value (with its origin); no secrets} */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * {@return the weights of every adaptive loadbalance node on the way, per target: configured,
     * observed latency, error rate, quota, and the effective weight drawn with now}
     */
    public List<TargetWeight> weights() {
        return weights;
    }

    /** {@return why no leaf could be chosen, or null} */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (leafPath == null) {
            sb.append("no route: ").append(error).append('\n');
        } else {
            sb.append("first target: ")
                    .append(leafPath)
                    .append(" (")
                    .append(provider)
                    .append(model == null ? "" : ", model " + model)
                    .append(")\n");
        }
        sb.append("route:\n");
        for (String s : steps) {
            sb.append("  - ").append(s).append('\n');
        }
        if (!conditions.isEmpty()) {
            sb.append("conditions:\n");
            for (ConditionResult c : conditions) {
                sb.append("  ")
                        .append(c.matched() ? "[match]    " : "[no match] ")
                        .append(c.query())
                        .append(" -> ")
                        .append(c.then())
                        .append("  (")
                        .append(c.strategyPath())
                        .append(")\n");
            }
        }
        if (!weights.isEmpty()) {
            sb.append("learned weights:\n");
            for (TargetWeight w : weights) {
                sb.append("  ")
                        .append(w.targetPath())
                        .append(String.format(
                                Locale.ROOT,
                                ": weight %s → %.3f (ttfb %s, total %s, errors %.0f%%, quota %s) %s",
                                number(w.configured()),
                                w.effective(),
                                w.ttfbMs() == null ? "-" : String.format(Locale.ROOT, "%.0f ms", w.ttfbMs()),
                                w.totalMs() == null ? "-" : String.format(Locale.ROOT, "%.0f ms", w.totalMs()),
                                100 * w.errorRate(),
                                w.quota() == null ? "-" : w.quota(),
                                w.why()))
                        .append('\n');
            }
        }
        if (!settings.isEmpty()) {
            sb.append("settings:\n");
            settings.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append("  ")
                    .append(e.getKey())
                    .append(" = ")
                    .append(e.getValue())
                    .append('\n'));
        }
        return Redactor.patterns().redact(sb.toString());
    }

    /**
     * Walks the tree from {@code root} with the engine's own routing decisions, as a request would be
     * routed, without calling anything: the first leaf, every decision as a sentence, every condition.
     */
    static RouteExplanation explain(
            RouteEvaluator router, ConfigNode root, JsonNode queryContext, GatewayRequest request) {
        List<String> steps = new ArrayList<>();
        List<ConditionResult> conditions = new ArrayList<>();
        List<TargetWeight> weights = new ArrayList<>();
        ConfigNode node = root;
        while (node instanceof StrategyNode s) {
            List<ConfigNode> ts = s.targets();
            RouteEvaluator.Decision d = router.decide(s, () -> queryContext, conditions);
            String hedgeOff =
                    s.strategy().hedge() == null ? null : dev.switchboard.internal.runtime.Engine.notHedged(request);
            if (d instanceof RouteEvaluator.NoRoute) {
                steps.add(s.path() + ": conditional, no condition matched and no default");
                return new RouteExplanation(
                        null,
                        null,
                        null,
                        steps,
                        conditions,
                        Map.of(),
                        "no condition matched at " + s.path() + " and there is no default",
                        weights);
            }
            if (d instanceof RouteEvaluator.Fallback f) {
                steps.add(s.path() + ": fallback, in order "
                        + f.order().stream().map(ConfigNode::path).toList()
                        + ", moving on "
                        + (s.strategy().onStatusCodes() == null
                                ? "on any non-2xx"
                                : "on " + new TreeSet<>(s.strategy().onStatusCodes())));
                if (s.strategy().hedge() != null) {
                    steps.add(
                            hedgeOff != null
                                    ? s.path() + ": hedge not used for this request: " + hedgeOff
                                    : hedgeStep(
                                            router,
                                            s,
                                            f.order().get(0),
                                            f.order().get(1).path()));
                }
                node = f.order().get(0);
                continue;
            }
            ConfigNode chosen = ((RouteEvaluator.Chosen) d).node();
            String how = ((RouteEvaluator.Chosen) d).how();
            switch (s.strategy().mode()) {
                case LOADBALANCE -> {
                    List<TargetWeight> now = router.weights(s);
                    double total =
                            now.stream().mapToDouble(TargetWeight::effective).sum();
                    StringBuilder odds = new StringBuilder();
                    for (TargetWeight t : now) {
                        odds.append(odds.length() == 0 ? "" : ", ")
                                .append(t.targetPath())
                                .append(' ')
                                .append(String.format(Locale.ROOT, "%.0f%%", 100 * t.effective() / total));
                    }
                    boolean adaptive = s.strategy().adaptive() != null;
                    if (adaptive) {
                        weights.addAll(now);
                    }
                    steps.add(s.path() + ": loadbalance draws per request"
                            + (adaptive ? " with learned weights" : "") + " (" + odds
                            + "); showing the most likely, " + chosen.path());
                    if (s.strategy().hedge() != null) {
                        steps.add(
                                hedgeOff != null
                                        ? s.path() + ": hedge not used for this request: " + hedgeOff
                                        : hedgeStep(router, s, chosen, "a second target drawn among the others"));
                    }
                }
                case CONDITIONAL ->
                    steps.add(s.path() + ": conditional → \"" + chosen.name() + "\" (" + how + ") = " + chosen.path());
                default -> steps.add(s.path() + ": single → " + chosen.path());
            }
            node = chosen;
        }
        TargetNode leaf = (TargetNode) node;
        steps.add(leaf.path() + ": call " + leaf.provider()
                + (leaf.virtualKey() == null ? "" : " with virtual key " + leaf.virtualKey()));
        String model = null;
        JsonNode m = leaf.settings().overrideParams().get("model");
        if (m != null) {
            model = m.asText();
        } else if (request.paramsView() != null
                && request.paramsView().path("model").isTextual()) {
            model = request.paramsView().path("model").asText();
        }
        return new RouteExplanation(
                leaf.path(), leaf.provider(), model, steps, conditions, describe(leaf.settings()), null, weights);
    }

    /** A weight as written: {@code 3}, {@code 0.5}. */
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String hedgeStep(RouteEvaluator router, StrategyNode s, ConfigNode first, String next) {
        RouteEvaluator.HedgeDelay delay = router.hedgeDelay(s, first);
        return s.path() + ": hedge: when " + first.path() + " has not answered (a stream: sent its first event) within "
                + delay.ms() + " ms (" + delay.why() + "), " + next
                + " is sent the same request; the first answer wins, the other is cancelled";
    }

    static Map<String, String> describe(Settings s) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        Map<String, String> from = s.inheritedFrom();
        m.put(
                "retry",
                s.retry().attempts() == 0
                        ? "none"
                        : s.retry().attempts() + " attempts on "
                                + new java.util.TreeSet<>(s.retry().onStatusCodes())
                                + (s.retry().useRetryAfterHeader() ? ", honouring Retry-After" : "")
                                + origin(from, "retry"));
        m.put(
                "request_timeout",
                (s.requestTimeoutMs() == null ? "none" : s.requestTimeoutMs() + " ms")
                        + origin(from, "request_timeout"));
        if (s.overrideParams().size() > 0) {
            m.put("override_params", s.overrideParams().toString() + origin(from, "override_params"));
        }
        if (s.customHost() != null) {
            // user:secret@ in the host is a credential: never shown
            m.put("custom_host", Redactor.patterns().redact(s.customHost()) + origin(from, "custom_host"));
        }
        if (!s.forwardHeaders().isEmpty()) {
            m.put("forward_headers", s.forwardHeaders() + origin(from, "forward_headers"));
        }
        m.put("strict_open_ai_compliance", s.strictOpenAiCompliance() + origin(from, "strict_open_ai_compliance"));
        if (!s.beforeHooks().isEmpty()) {
            m.put(
                    "before_request_hooks",
                    s.beforeHooks().stream().map(h -> h.id()).toList() + origin(from, "before_request_hooks"));
        }
        if (!s.afterHooks().isEmpty()) {
            m.put(
                    "after_request_hooks",
                    s.afterHooks().stream().map(h -> h.id()).toList() + origin(from, "after_request_hooks"));
        }
        if (s.cache() != null) {
            m.put(
                    "cache",
                    s.cache().mode().name().toLowerCase(java.util.Locale.ROOT) + ", max_age "
                            + s.cache().maxAgeSeconds() + " s" + origin(from, "cache"));
        }
        if (s.circuitBreaker() != null) {
            m.put(
                    "cb_config",
                    "cooldown " + s.circuitBreaker().cooldownIntervalMs() + " ms" + origin(from, "cb_config"));
        }
        return m;
    }

    private static String origin(Map<String, String> from, String key) {
        String p = from.get(key);
        return p == null ? "" : "  (from " + (p.isEmpty() ? "/" : p) + ")";
    }
}
