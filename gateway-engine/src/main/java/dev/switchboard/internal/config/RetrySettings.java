package dev.switchboard.internal.config;

import java.util.Set;

/**
 * {@code retry}: {@code attempts} additional tries (total calls ≤ attempts + 1), on the given
 * statuses (default 429, 500, 502, 503, 504), honouring Retry-After headers when asked.
 */
public record RetrySettings(int attempts, Set<Integer> onStatusCodes, boolean useRetryAfterHeader, Backoff backoff) {
    public static final Set<Integer> DEFAULT_STATUS_CODES = Set.of(429, 500, 502, 503, 504);
    public static final RetrySettings NONE = new RetrySettings(0, DEFAULT_STATUS_CODES, false, Backoff.DEFAULT);

    public RetrySettings {
        onStatusCodes = Set.copyOf(onStatusCodes);
    }
}
