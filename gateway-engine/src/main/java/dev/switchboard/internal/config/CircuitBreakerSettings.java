package dev.switchboard.internal.config;

import java.util.Set;

/**
 * {@code cb_config}: a target opens after {@code failureThreshold} failures, or when failures reach
 * {@code failureThresholdPercentage} of at least {@code minimumRequests} calls; it is skipped for
 * {@code cooldownIntervalMs}, then tried again. A failure is a status in {@code failureStatusCodes}
 * (default: 429 and any 5xx) or a network error/timeout.
 *
 * @param failureThreshold           null = not used
 * @param failureThresholdPercentage null = not used
 */
public record CircuitBreakerSettings(
        Integer failureThreshold,
        Double failureThresholdPercentage,
        long cooldownIntervalMs,
        Set<Integer> failureStatusCodes,
        int minimumRequests) {

    public CircuitBreakerSettings {
        failureStatusCodes = failureStatusCodes == null ? null : Set.copyOf(failureStatusCodes);
    }

    public boolean isFailure(int status) {
        if (status == 0) {
            return true;
        }
        if (failureStatusCodes != null) {
            return failureStatusCodes.contains(status);
        }
        return status == 429 || status >= 500;
    }
}
