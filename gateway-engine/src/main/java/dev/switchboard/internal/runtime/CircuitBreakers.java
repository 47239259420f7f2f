package dev.switchboard.internal.runtime;

import dev.switchboard.internal.config.CircuitBreakerSettings;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Circuit breakers per target ({@code cb_config}): a target that keeps failing is skipped until
 * its cooldown has passed (Portkey keeps this in the hosted product; here it is built in). Counts
 * restart after each state change; time comes from the injected clock.
 */
final class CircuitBreakers {
    private final Clock clock;
    private final ConcurrentHashMap<String, Breaker> breakers = new ConcurrentHashMap<>();

    CircuitBreakers(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds until the target may be tried again, or 0 when it may be tried now. */
    long openFor(String key, CircuitBreakerSettings cb) {
        if (cb == null) {
            return 0;
        }
        Breaker b = breakers.get(key);
        return b == null ? 0 : b.openFor(clock.millis());
    }

    /**
     * When the target's circuit closes again, in epoch milliseconds of the clock; 0 when it is not open
     * now (never opened, its cooldown over, or no {@code cb_config}).
     */
    long openUntil(String key, CircuitBreakerSettings cb) {
        long wait = openFor(key, cb);
        return wait > 0 ? clock.millis() + wait : 0;
    }

    void record(String key, CircuitBreakerSettings cb, int status) {
        if (cb == null) {
            return;
        }
        breakers.computeIfAbsent(key, k -> new Breaker()).record(cb, cb.isFailure(status), clock.millis());
    }

    private static final class Breaker {
        private int requests;
        private int failures;
        private long openUntil;

        synchronized long openFor(long now) {
            return openUntil > now ? openUntil - now : 0;
        }

        synchronized void record(CircuitBreakerSettings cb, boolean failure, long now) {
            if (openUntil != 0 && now >= openUntil) {
                // half-open: this call decides; start counting afresh
                openUntil = 0;
                requests = 0;
                failures = 0;
                if (failure) {
                    openUntil = now + cb.cooldownIntervalMs();
                    return;
                }
            }
            requests++;
            if (failure) {
                failures++;
            } else if (cb.failureThreshold() != null && cb.failureThresholdPercentage() == null) {
                failures = 0; // a plain threshold counts consecutive failures
            }
            boolean open = cb.failureThreshold() != null && failures >= cb.failureThreshold();
            if (!open && cb.failureThresholdPercentage() != null && requests >= cb.minimumRequests()) {
                open = failures * 100.0 / requests >= cb.failureThresholdPercentage();
            }
            if (open) {
                openUntil = now + cb.cooldownIntervalMs();
                requests = 0;
                failures = 0;
            }
        }
    }
}
