package dev.switchboard.spi;

import java.util.Optional;

/** Model prices; the engine ships a dated catalog and applications may override models. */
public interface PricingCatalog {
    Optional<ModelPrice> price(String provider, String model);

    /** Where the prices come from and as of when, e.g. {@code litellm 2026-07-24}. */
    String version();
}
