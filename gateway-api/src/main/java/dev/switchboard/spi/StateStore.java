package dev.switchboard.spi;

import java.time.Duration;
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
 *
 * <p>Besides counters, a store keeps text values for a while ({@link #putValue}, {@link #getValue},
 * {@link #removeValue}): the gateway keeps the Responses API answers it produced there, so
 * {@code previous_response_id} and {@code GET /v1/responses/{id}} work across providers (and, for a
 * shared store, across JVMs). A store that does not implement them keeps nothing.
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

    /**
     * Keeps a text value under a key until the time to live has passed (replacing any earlier value).
     * The default keeps nothing and returns false.
     *
     * @param key   the key; the gateway prefixes its own ({@code responses:resp_…})
     * @param value the value (JSON text)
     * @param ttl   how long to keep it; positive
     * @return true when the value was stored
     */
    default boolean putValue(String key, String value, Duration ttl) {
        return false;
    }

    /**
     * Reads a value kept with {@link #putValue}. The default finds nothing.
     *
     * @param key the key
     * @return the value, or empty when absent or expired
     */
    default Optional<String> getValue(String key) {
        return Optional.empty();
    }

    /**
     * Forgets a value kept with {@link #putValue}. The default finds nothing.
     *
     * @param key the key
     * @return true when a live value was removed
     */
    default boolean removeValue(String key) {
        return false;
    }
}
