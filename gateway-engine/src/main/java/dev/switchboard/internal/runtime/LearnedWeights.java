package dev.switchboard.internal.runtime;

import dev.switchboard.RouteExplanation.TargetWeight;
import dev.switchboard.internal.config.AdaptiveSettings;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weights of a loadbalance node with {@code "adaptive"}: each configured weight multiplied by
 * <ul>
 *   <li>latency: the fastest sibling's time over this target's (time to first byte and total time,
 *       geometric mean of the two ratios); a target's averages are blended with the fastest
 *       sibling's as if by one extra sample, so a target with little (or only old) evidence looks
 *       like the best one and is tried;</li>
 *   <li>errors: {@code (1 - error rate)²}, the rate counting one extra success;</li>
 *   <li>quota: 1 while more than {@code quota_reserve} of the provider's limit remains, shrinking
 *       linearly to 0 at nothing left (then the target gets no traffic until the reset time).</li>
 * </ul>
 * Latency and errors together never take a target below {@code min_share} of its configured
 * weight; every sample counts {@code 2^(-age/half_life_ms)}, so when a target recovers (or simply
 * is not seen for a while) its weight returns to the configured one. When every target is out of
 * quota, the configured weights are used.
 */
final class LearnedWeights {
    private LearnedWeights() {}

    static List<TargetWeight> compute(StrategyNode s, AdaptiveSettings a, Observations observations) {
        List<ConfigNode> ts = s.targets();
        List<Observations.View> views = new ArrayList<>(ts.size());
        double bestTtfb = Double.POSITIVE_INFINITY;
        double bestTotal = Double.POSITIVE_INFINITY;
        for (ConfigNode t : ts) {
            Observations.View v = observations.view(t.path(), a.halfLifeMs());
            views.add(v);
            if (v.ttfb().weight() > 0) {
                bestTtfb = Math.min(bestTtfb, v.ttfb().mean());
            }
            if (v.total().weight() > 0) {
                bestTotal = Math.min(bestTotal, v.total().mean());
            }
        }
        List<TargetWeight> out = new ArrayList<>(ts.size());
        double sum = 0;
        double[] quotaFactors = new double[ts.size()];
        double[] healths = new double[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            Observations.View v = views.get(i);
            double fTtfb = ratio(bestTtfb, v.ttfb());
            double fTotal = ratio(bestTotal, v.total());
            double latency = Math.sqrt(fTtfb * fTotal);
            double w = v.outcomes().weight();
            double errorRate = w == 0 ? 0 : v.outcomes().mean() * w / (w + 1);
            double errors = (1 - errorRate) * (1 - errorRate);
            healths[i] = Math.max(a.minShare(), latency * errors);
            quotaFactors[i] = Math.min(quota(v.requestsRemaining(), a), quota(v.tokensRemaining(), a));
            sum += ts.get(i).weight() * healths[i] * quotaFactors[i];
        }
        boolean allOut = sum <= 0;
        for (int i = 0; i < ts.size(); i++) {
            ConfigNode t = ts.get(i);
            Observations.View v = views.get(i);
            double w = v.outcomes().weight();
            double errorRate = w == 0 ? 0 : v.outcomes().mean() * w / (w + 1);
            double effective = allOut ? t.weight() : t.weight() * healths[i] * quotaFactors[i];
            out.add(new TargetWeight(
                    s.path(),
                    t.path(),
                    t.weight(),
                    v.ttfb().weight() > 0 ? round1(v.ttfb().mean()) : null,
                    v.total().weight() > 0 ? round1(v.total().mean()) : null,
                    round3(errorRate),
                    v.quota(),
                    round3(effective),
                    why(t, v, bestTtfb, bestTotal, errorRate, healths[i], quotaFactors[i], a, allOut)));
        }
        return out;
    }

    /** The fastest sibling's mean over this target's, its mean blended with the fastest as one sample. */
    private static double ratio(double best, Observations.Ring.Decayed d) {
        if (d.weight() == 0 || !Double.isFinite(best) || best <= 0) {
            return 1;
        }
        double blended = (d.mean() * d.weight() + best) / (d.weight() + 1);
        return blended <= 0 ? 1 : Math.min(1, best / blended);
    }

    private static double quota(double fraction, AdaptiveSettings a) {
        if (fraction < 0) {
            return 1; // unknown or reset
        }
        if (fraction <= 0) {
            return 0;
        }
        return a.quotaReserve() <= 0 ? 1 : Math.min(1, fraction / a.quotaReserve());
    }

    private static String why(
            ConfigNode t,
            Observations.View v,
            double bestTtfb,
            double bestTotal,
            double errorRate,
            double health,
            double quota,
            AdaptiveSettings a,
            boolean allOut) {
        if (allOut) {
            return "every target is out of quota: configured weights";
        }
        if (v.ttfb().weight() == 0 && v.total().weight() == 0 && v.outcomes().weight() == 0 && v.quota() == null) {
            return "nothing observed yet: configured weight";
        }
        List<String> parts = new ArrayList<>();
        if (v.ttfb().weight() > 0 || v.total().weight() > 0) {
            double f = Math.sqrt(ratio(bestTtfb, v.ttfb()) * ratio(bestTotal, v.total()));
            parts.add(String.format(
                    Locale.ROOT,
                    "latency ×%.2f (ttfb %s vs fastest %s)",
                    f,
                    v.ttfb().weight() > 0 ? ms(v.ttfb().mean()) : "-",
                    Double.isFinite(bestTtfb) ? ms(bestTtfb) : "-"));
        }
        if (v.outcomes().weight() > 0) {
            parts.add(String.format(
                    Locale.ROOT, "errors ×%.2f (%.0f%% failed)", (1 - errorRate) * (1 - errorRate), 100 * errorRate));
        }
        if (health == a.minShare()) {
            parts.add(String.format(Locale.ROOT, "kept at min_share %.2f", a.minShare()));
        }
        if (v.quota() != null) {
            parts.add(String.format(Locale.ROOT, "quota ×%.2f (%s)", quota, v.quota()));
        }
        return String.join(", ", parts);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
