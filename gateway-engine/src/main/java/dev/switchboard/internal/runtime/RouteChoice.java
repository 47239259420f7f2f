package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.internal.config.Condition;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import java.util.List;
import java.util.random.RandomGenerator;

/** The two routing choices that depend on the request: a weighted draw and a conditional match. */
public final class RouteChoice {
    private RouteChoice() {}

    /** One condition as evaluated for an explanation. */
    public record ConditionOutcome(String nodePath, String query, String then, boolean matched) {}

    /** Picks a child with probability weight / Σweights (weight 0 never). */
    public static ConfigNode weighted(StrategyNode s, RandomGenerator random) {
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

    /**
     * The first child whose condition matches, else the default, else null. When {@code outcomes} is
     * non-null every condition is evaluated and recorded (for explanations).
     */
    public static ConfigNode conditional(StrategyNode s, JsonNode queryContext, List<ConditionOutcome> outcomes) {
        ConfigNode chosen = null;
        for (Condition c : s.strategy().conditions()) {
            if (chosen != null && outcomes == null) {
                break;
            }
            boolean m = c.query().matches(queryContext);
            if (outcomes != null) {
                outcomes.add(new ConditionOutcome(s.path(), c.query().describe(), c.then(), m));
            }
            if (m && chosen == null) {
                chosen = s.targetNamed(c.then());
            }
        }
        if (chosen == null && s.strategy().defaultTarget() != null) {
            chosen = s.targetNamed(s.strategy().defaultTarget());
        }
        return chosen;
    }
}
