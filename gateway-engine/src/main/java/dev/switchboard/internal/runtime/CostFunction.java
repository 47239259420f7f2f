package dev.switchboard.internal.runtime;

import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;

/** Prices an attempt's usage (the gateway's pricing catalog behind it). */
@FunctionalInterface
public interface CostFunction {
    /**
     * The cost of {@code usage} on a provider's model.
     *
     * @param provider the provider id
     * @param model    the model, or null
     * @param usage    the tokens
     * @return the cost, {@link Cost#unknown} when the model has no price
     */
    Cost cost(String provider, String model, Usage usage);
}
