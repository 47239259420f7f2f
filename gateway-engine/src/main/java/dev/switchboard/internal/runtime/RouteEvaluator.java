package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.RouteExplanation;
import dev.switchboard.internal.config.AdaptiveSettings;
import dev.switchboard.internal.config.Condition;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.HedgeSettings;
import dev.switchboard.internal.config.StrategyNode;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The one place that decides what a strategy node does with a request — used by the engine to
 * route ({@code Engine.route}) and by {@code Gateway.explain} to describe the route without
 * calling anything. A fallback is an order to try; single, loadbalance and conditional choose one
 * child; a conditional with no match and no default is no route.
 *
 * <pre>{@code
 * RouteEvaluator.Decision d = evaluator.decide(strategy, request::queryContext, null);
 * if (d instanceof RouteEvaluator.Chosen c) { route(c.node()); }
 * }</pre>
 */
public final class RouteEvaluator {
    /** What a strategy node decided. */
    public sealed interface Decision permits Fallback, Chosen, NoRoute {}

    /**
     * Try the children in this order, moving on by the strategy's status list.
     *
     * @param order the children, first to try first
     */
    public record Fallback(List<ConfigNode> order) implements Decision {}

    /**
     * One child was chosen.
     *
     * @param node the child
     * @param how  why: {@code single}, {@code weighted draw}, {@code most likely} (for explanations),
     *             {@code first matching condition} or {@code default}
     */
    public record Chosen(ConfigNode node, String how) implements Decision {}

    /**
     * A conditional strategy where no condition matched and there is no default.
     *
     * @param strategyPath the option index of the conditional node
     */
    public record NoRoute(String strategyPath) implements Decision {}

    private final RandomGenerator random;
    private final Observations observations;

    /**
     * An evaluator drawing loadbalance choices from {@code random}, with nothing observed (adaptive
     * weights are the configured ones, percentile hedges wait their default).
     *
     * @param random the random source; null for one that only explains (loadbalance shows the most likely)
     */
    public RouteEvaluator(RandomGenerator random) {
        this(random, new Observations(java.time.Clock.systemUTC()));
    }

    /** An evaluator drawing from {@code random} that weighs adaptive loadbalance nodes by {@code observations}. */
    RouteEvaluator(RandomGenerator random, Observations observations) {
        this.random = random;
        this.observations = observations;
    }

    /**
     * The weights a loadbalance node draws with now: the configured ones, or for an
     * {@code "adaptive"} node the learned ones, each with why.
     *
     * @param s a loadbalance node
     * @return one entry per target, in config order
     */
    public List<RouteExplanation.TargetWeight> weights(StrategyNode s) {
        AdaptiveSettings a = s.strategy().adaptive();
        if (a == null) {
            List<RouteExplanation.TargetWeight> out = new java.util.ArrayList<>();
            for (ConfigNode t : s.targets()) {
                out.add(new RouteExplanation.TargetWeight(
                        s.path(), t.path(), t.weight(), null, null, 0, null, t.weight(), "configured weight"));
            }
            return out;
        }
        return LearnedWeights.compute(s, a, observations);
    }

    private double[] drawWeights(StrategyNode s) {
        double[] w = new double[s.targets().size()];
        if (s.strategy().adaptive() == null) {
            for (int i = 0; i < w.length; i++) {
                w[i] = s.targets().get(i).weight();
            }
            return w;
        }
        List<RouteExplanation.TargetWeight> learned = weights(s);
        for (int i = 0; i < w.length; i++) {
            w[i] = learned.get(i).effective();
        }
        return w;
    }

    /**
     * The second target of a hedged loadbalance node: drawn by weight among the others than
     * {@code first}; null when none has a weight above 0.
     */
    ConfigNode drawExcept(StrategyNode s, ConfigNode first) {
        double[] w = drawWeights(s);
        for (int i = 0; i < w.length; i++) {
            if (s.targets().get(i) == first) {
                w[i] = 0;
            }
        }
        return draw(s.targets(), w, random);
    }

    /**
     * How long a hedge on {@code s} waits for {@code first} before the next target is sent the request too.
     *
     * @param ms  the delay
     * @param why where it came from, as a phrase ({@code hedge.after_ms 800})
     */
    public record HedgeDelay(long ms, String why) {}

    /**
     * The delay of the hedge of {@code s} for its target {@code first}: {@code after_ms}, or the
     * percentile of {@code first}'s observed times to first byte within {@code min_ms}–{@code max_ms},
     * or {@code default_ms} while fewer than {@code min_samples} were observed.
     *
     * @param s     a node with {@code strategy.hedge}
     * @param first the target that is tried first
     * @return the delay, with why
     */
    public HedgeDelay hedgeDelay(StrategyNode s, ConfigNode first) {
        HedgeSettings h = s.strategy().hedge();
        if (h.afterMs() != null) {
            return new HedgeDelay(h.afterMs(), "hedge.after_ms " + h.afterMs());
        }
        int[] n = new int[1];
        long p = observations.percentile(first.path(), h.percentile(), h.minSamples(), n);
        String pct = "p"
                + new java.math.BigDecimal(Double.toString(h.percentile()))
                        .stripTrailingZeros()
                        .toPlainString();
        if (p < 0) {
            return new HedgeDelay(
                    h.defaultMs(),
                    "hedge.default_ms " + h.defaultMs() + " (" + n[0] + " of " + h.minSamples() + " answers of "
                            + first.path() + " observed for " + pct + ")");
        }
        long ms = Math.max(h.minMs(), Math.min(h.maxMs(), p));
        return new HedgeDelay(
                ms,
                pct + " of " + first.path() + "'s time to first byte: " + p + " ms over " + n[0] + " answers"
                        + (ms != p ? ", kept within " + h.minMs() + "–" + h.maxMs() + " ms" : ""));
    }

    /**
     * What {@code s} does with the request.
     *
     * @param s            the strategy node
     * @param queryContext the request's conditional-routing context, built only when a conditional
     *                     strategy needs it
     * @param conditions   when not null, every condition is evaluated and added here, and loadbalance
     *                     shows its most likely child instead of drawing (an explanation)
     * @return the decision
     */
    public Decision decide(
            StrategyNode s, Supplier<JsonNode> queryContext, List<RouteExplanation.ConditionResult> conditions) {
        boolean explaining = conditions != null || random == null;
        switch (s.strategy().mode()) {
            case SINGLE:
                return new Chosen(s.targets().get(0), "single");
            case LOADBALANCE:
                return explaining
                        ? new Chosen(mostLikely(s.targets(), drawWeights(s)), "most likely")
                        : new Chosen(draw(s.targets(), drawWeights(s), random), "weighted draw");
            case CONDITIONAL: {
                ConfigNode matched = null;
                for (Condition c : s.strategy().conditions()) {
                    if (matched != null && conditions == null) {
                        break;
                    }
                    boolean m = c.query().matches(queryContext.get());
                    if (conditions != null) {
                        conditions.add(new RouteExplanation.ConditionResult(
                                s.path(), c.query().describe(), c.then(), m));
                    }
                    if (m && matched == null) {
                        matched = s.targetNamed(c.then());
                    }
                }
                if (matched != null) {
                    return new Chosen(matched, "first matching condition");
                }
                String d = s.strategy().defaultTarget();
                ConfigNode byDefault = d == null ? null : s.targetNamed(d);
                return byDefault != null ? new Chosen(byDefault, "default") : new NoRoute(s.path());
            }
            case FALLBACK:
            default:
                return new Fallback(s.targets());
        }
    }

    /** Picks a child with probability weight / Σweights (weight 0 never). */
    static ConfigNode weighted(StrategyNode s, RandomGenerator random) {
        double[] w = new double[s.targets().size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = s.targets().get(i).weight();
        }
        return draw(s.targets(), w, random);
    }

    /** Picks {@code ts[i]} with probability w[i] / Σw (weight 0 never); null when every weight is 0. */
    private static ConfigNode draw(List<ConfigNode> ts, double[] w, RandomGenerator random) {
        double total = 0;
        for (double x : w) {
            total += x;
        }
        if (total <= 0) {
            return null;
        }
        double x = random.nextDouble() * total;
        ConfigNode last = null;
        for (int i = 0; i < w.length; i++) {
            if (w[i] <= 0) {
                continue;
            }
            last = ts.get(i);
            x -= w[i];
            if (x < 0) {
                return ts.get(i);
            }
        }
        return last;
    }

    private static ConfigNode mostLikely(List<ConfigNode> ts, double[] w) {
        int best = 0;
        for (int i = 1; i < w.length; i++) {
            if (w[i] > w[best]) {
                best = i;
            }
        }
        return ts.get(best);
    }
}
