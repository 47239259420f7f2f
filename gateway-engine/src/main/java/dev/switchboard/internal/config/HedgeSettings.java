package dev.switchboard.internal.config;

/**
 * {@code strategy.hedge}: when the target being tried has not answered (for a stream: sent its
 * first event) within the delay, the same request also goes to the next target; the first answer
 * wins and the other attempt is cancelled. The delay is fixed ({@code after_ms}) or a percentile of
 * the target's observed time to first byte, kept within {@code min_ms}–{@code max_ms}, and
 * {@code default_ms} until {@code min_samples} answers were observed.
 *
 * @param afterMs    the fixed delay in ms, or null when a percentile is used
 * @param percentile the percentile (50–99.9) of the target's time to first byte, or null
 * @param minMs      the smallest percentile delay
 * @param maxMs      the largest percentile delay
 * @param defaultMs  the delay before {@code minSamples} answers were observed
 * @param minSamples how many observed answers make the percentile trustworthy
 */
public record HedgeSettings(Long afterMs, Double percentile, long minMs, long maxMs, long defaultMs, int minSamples) {
    /** Default floor of a percentile delay (ms). */
    public static final long DEFAULT_MIN_MS = 50;
    /** Default ceiling of a percentile delay (ms). */
    public static final long DEFAULT_MAX_MS = 10_000;
    /** Default delay (ms) while too few answers were observed for a percentile. */
    public static final long DEFAULT_DEFAULT_MS = 1_000;
    /** Default number of observed answers before the percentile is used. */
    public static final int DEFAULT_MIN_SAMPLES = 20;

    /** A fixed delay. */
    public static HedgeSettings after(long ms) {
        return new HedgeSettings(ms, null, DEFAULT_MIN_MS, DEFAULT_MAX_MS, DEFAULT_DEFAULT_MS, DEFAULT_MIN_SAMPLES);
    }
}
