package dev.switchboard.internal.config;

/**
 * Wait before retry k (k = 1…): {@code min(max_ms, initial_ms × multiplier^(k−1))}, then a random
 * ±{@code jitter} fraction. Default 1 s × 2^(k−1), no jitter (Portkey's).
 */
public record Backoff(long initialMs, double multiplier, long maxMs, double jitter) {
    public static final Backoff DEFAULT = new Backoff(1000, 2.0, 60_000, 0.0);

    /** The base wait before retry {@code k} (1-based), without jitter. */
    public long baseDelayMs(int k) {
        double d = initialMs * Math.pow(multiplier, Math.max(0, k - 1));
        return (long) Math.min(maxMs, d);
    }
}
