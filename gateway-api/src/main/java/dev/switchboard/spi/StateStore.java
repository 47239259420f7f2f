package dev.switchboard.spi;

import java.util.List;
import java.util.Optional;

/**
 * Shared counters for rate limits and budgets. {@link #tryCharge} is atomic over all its charges,
 * so concurrent admissions can never overshoot a limit — across JVMs for the Redis store.
 */
public interface StateStore {
    /**
     * Adds every charge if none would exceed its limit; otherwise changes nothing and returns the
     * first charge that would.
     */
    Optional<Charge> tryCharge(List<Charge> charges);

    /** Adds the amounts unconditionally (negative to release a reservation). */
    void adjust(List<Charge> deltas);

    long current(String key);
}
