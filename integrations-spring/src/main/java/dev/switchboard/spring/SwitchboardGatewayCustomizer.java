package dev.switchboard.spring;

import dev.switchboard.Gateway;

/**
 * A bean of this type changes the {@link Gateway.Builder} after the auto-configuration applied the
 * {@code switchboard.*} properties and before it builds the gateway: for what has no property (a
 * custom provider or check, a pricing catalog, an executor, a transport). Customizers run in
 * {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * SwitchboardGatewayCustomizer pricing() {
 *     return builder -> builder.pricing(myCatalog);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SwitchboardGatewayCustomizer {
    /**
     * Changes the builder.
     *
     * @param builder the builder, with the properties' settings applied
     */
    void customize(Gateway.Builder builder);
}
