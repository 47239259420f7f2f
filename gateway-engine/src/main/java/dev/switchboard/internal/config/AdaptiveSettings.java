package dev.switchboard.internal.config;

/**
 * {@code strategy.adaptive} of a loadbalance node: the configured weights are multiplied by what
 * the gateway observed of each target — latency (decayed averages of time to first byte and total
 * time), error rate, and the remaining quota its provider reported ({@code x-ratelimit-*}).
 *
 * @param halfLifeMs   how fast observations fade: one half-life after a sample it counts half
 * @param minShare     the smallest fraction of its configured weight a target keeps for being slow
 *                     or failing (so it is still tried, and traffic comes back when it recovers)
 * @param quotaReserve the fraction of the provider's limit below which a target's weight shrinks
 *                     (to 0 when nothing remains, until the provider's reset time)
 */
public record AdaptiveSettings(long halfLifeMs, double minShare, double quotaReserve) {
    /** Default half-life of observations (ms). */
    public static final long DEFAULT_HALF_LIFE_MS = 60_000;
    /** Default smallest share of the configured weight. */
    public static final double DEFAULT_MIN_SHARE = 0.05;
    /** Default quota reserve. */
    public static final double DEFAULT_QUOTA_RESERVE = 0.2;

    /** The defaults ({@code "adaptive": true}). */
    public static AdaptiveSettings defaults() {
        return new AdaptiveSettings(DEFAULT_HALF_LIFE_MS, DEFAULT_MIN_SHARE, DEFAULT_QUOTA_RESERVE);
    }
}
