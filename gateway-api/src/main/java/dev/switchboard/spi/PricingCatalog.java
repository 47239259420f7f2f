package dev.switchboard.spi;

import java.util.Optional;

/** Model prices; the engine ships a dated catalog and applications may override models. */
public interface PricingCatalog {
    /**
     * Finds a model's prices.
     *
     * @param provider the provider id, e.g. {@code openai}
     * @param model    the model as the provider reported it
     * @return the prices, or empty when the catalog does not know the model (its cost is then unknown)
     */
    Optional<ModelPrice> price(String provider, String model);

    /** {@return where the prices come from and as of when, e.g. {@code litellm 2026-07-24}} */
    String version();
}
