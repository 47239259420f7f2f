package dev.switchboard.internal.config;

import java.util.List;
import java.util.Set;

/**
 * A node's routing strategy.
 *
 * @param onStatusCodes (fallback) statuses that move on to the next target; null = any non-2xx
 * @param conditions    (conditional) ordered conditions, first match wins
 * @param defaultTarget (conditional) target name used when no condition matches; may be null
 * @param hedge         (fallback, loadbalance) when to send the request to the next target too; null = never
 * @param adaptive      (loadbalance) weights learned from observations; null = the configured weights only
 */
public record Strategy(
        Mode mode,
        Set<Integer> onStatusCodes,
        List<Condition> conditions,
        String defaultTarget,
        HedgeSettings hedge,
        AdaptiveSettings adaptive) {
    public Strategy {
        onStatusCodes = onStatusCodes == null ? null : Set.copyOf(onStatusCodes);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** A strategy without hedging or learned weights (Portkey's). */
    public Strategy(Mode mode, Set<Integer> onStatusCodes, List<Condition> conditions, String defaultTarget) {
        this(mode, onStatusCodes, conditions, defaultTarget, null, null);
    }

    /** Strategy modes, with their config spelling. */
    public enum Mode {
        SINGLE("single"),
        FALLBACK("fallback"),
        LOADBALANCE("loadbalance"),
        CONDITIONAL("conditional");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
