package dev.switchboard.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * An amount to add to a counter of a {@link StateStore}, refused when it would take the counter
 * above {@code limit}. {@code ttl} lets the store forget window counters (e.g. one minute).
 */
public record Charge(String key, long amount, long limit, Duration ttl) {
    public Charge {
        Objects.requireNonNull(key, "key");
    }
}
