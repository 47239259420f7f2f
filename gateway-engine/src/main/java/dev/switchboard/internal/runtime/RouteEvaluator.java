package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.RouteExplanation;
import dev.switchboard.internal.config.Condition;
import dev.switchboard.internal.config.ConfigNode;
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

    /**
     * An evaluator drawing loadbalance choices from {@code random}.
     *
     * @param random the random source; null for one that only explains (loadbalance shows the most likely)
     */
    public RouteEvaluator(RandomGenerator random) {
        this.random = random;
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
                        ? new Chosen(mostLikely(s), "most likely")
                        : new Chosen(weighted(s, random), "weighted draw");
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
        double total = 0;
        for (ConfigNode t : s.targets()) {
            total += t.weight();
        }
        double x = random.nextDouble() * total;
        ConfigNode last = null;
        for (ConfigNode t : s.targets()) {
            if (t.weight() <= 0) {
                continue;
            }
            last = t;
            x -= t.weight();
            if (x < 0) {
                return t;
            }
        }
        return last;
    }

    private static ConfigNode mostLikely(StrategyNode s) {
        ConfigNode best = null;
        for (ConfigNode t : s.targets()) {
            if (best == null || t.weight() > best.weight()) {
                best = t;
            }
        }
        return best;
    }
}
