package dev.switchboard.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An amount to add to a counter of a {@link StateStore}, refused when it would take the counter
 * above {@code limit}. {@code ttl} lets the store forget window counters (e.g. one minute).
 *
 * @param key    the counter, e.g. a key's requests in one minute
 * @param amount what to add (negative to release)
 * @param limit  the most the counter may reach
 * @param ttl    how long the counter lives after its first charge; null for ever
 */
public record Charge(String key, long amount, long limit, @Nullable Duration ttl) {
    /**
     * Checks that the key is present.
     *
     * @param key    the counter; not null
     * @param amount what to add
     * @param limit  the most the counter may reach
     * @param ttl    how long the counter lives; null for ever
     */
    public Charge {
        Objects.requireNonNull(key, "key");
    }
}
