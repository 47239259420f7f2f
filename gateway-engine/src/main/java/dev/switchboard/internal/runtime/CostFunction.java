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

    /**
     * The cost of an image, audio or moderation call, billed by {@code units} or tokens.
     *
     * @param provider the provider id
     * @param model    the model, or null
     * @param usage    the tokens, or null when the answer reported none
     * @param units    images, seconds or characters; null prices {@code usage} alone
     * @return the cost, {@link Cost#unknown} when a price or a count is missing
     */
    default Cost cost(String provider, String model, Usage usage, dev.switchboard.accounting.BillableUnits units) {
        return usage == null ? Cost.unknown("the provider reported no usage") : cost(provider, model, usage);
    }
}
