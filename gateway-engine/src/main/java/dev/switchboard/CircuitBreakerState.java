package dev.switchboard;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker of one leaf target of a gateway's config, as {@link Gateway#circuitBreakers()}
 * saw it: for health checks and dashboards. Names and times only, never a credential.
 *
 * @param target     the target's option index, e.g. {@code config.targets[0]} (as in the trace)
 * @param provider   the provider id ({@code openai}); for a virtual key, the key's provider
 * @param virtualKey the virtual key ({@code @openai-prod}) the target names, or null
 * @param configured whether the target (or a node above it) sets {@code cb_config}; a target without
 *                   one is never skipped
 * @param openUntil  when the open circuit lets the target be tried again, by the gateway's clock;
 *                   null when the circuit is closed
 */
public record CircuitBreakerState(
        String target, String provider, @Nullable String virtualKey, boolean configured, @Nullable Instant openUntil) {

    /**
     * Checks the names.
     *
     * @param target     the target's option index
     * @param provider   the provider id
     * @param virtualKey the virtual key, or null
     * @param configured whether {@code cb_config} applies to the target
     * @param openUntil  when the circuit closes again, or null when it is closed
     */
    public CircuitBreakerState {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(provider, "provider");
    }

    /** {@return whether the circuit is open: the target is skipped (503 {@code circuit_open}) until {@link #openUntil()}} */
    public boolean open() {
        return openUntil != null;
    }
}
