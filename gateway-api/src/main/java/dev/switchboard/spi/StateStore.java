package dev.switchboard.spi;

import java.util.List;
import java.util.Optional;

/**
 * Shared counters for rate limits and budgets. {@link #tryCharge} is atomic over all its charges,
 * so concurrent admissions can never overshoot a limit — across JVMs for the Redis store.
 *
 * <p>Amounts can be anything up to {@code Long.MAX_VALUE} (the gateway saturates an absurd request
 * there rather than wrap it around): an implementation judges "would exceed" on the exact sum — a sum
 * past the {@code long} range is above every limit — and saturates in {@link #adjust} instead of
 * wrapping or failing. A key named twice in one {@link #tryCharge} is checked against its total.
 */
public interface StateStore {
    /**
     * Adds every charge if none would exceed its limit; otherwise changes nothing and returns the
     * first charge that would.
     *
     * @param charges the amounts to add, each with its counter's limit
     * @return empty when all were added, else the first charge that would exceed its limit
     */
    Optional<Charge> tryCharge(List<Charge> charges);

    /**
     * Adds the amounts unconditionally (negative to release a reservation).
     *
     * @param deltas the amounts; their limits are ignored
     */
    void adjust(List<Charge> deltas);

    /**
     * Reads a counter.
     *
     * @param key the counter's key, as in {@link Charge#key()}
     * @return its value; 0 for a counter never charged (or expired)
     */
    long current(String key);
}
