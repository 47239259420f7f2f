package dev.switchboard.spring;

import dev.switchboard.CircuitBreakerState;
import dev.switchboard.Gateway;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The gateway's health ({@code /actuator/health/switchboard}), from its circuit breakers
 * ({@code cb_config}):
 *
 * <ul>
 *   <li>{@code UP} while at least one target can be tried; the details list every open circuit
 *       ({@code openCircuits}: target path, provider, virtual key, and until when it stays open) and
 *       the number of targets;</li>
 *   <li>{@code OUT_OF_SERVICE} when every target's circuit is open: no request can reach a provider
 *       until a cooldown ends. Not {@code DOWN}: the gateway itself works and recovers on its own, the
 *       breakers took the providers out of service on purpose. Boot maps both to HTTP 503 by default.</li>
 * </ul>
 *
 * A target without {@code cb_config} is never open. Names and times only: never a credential.
 */
public final class SwitchboardHealthIndicator implements HealthIndicator {
    private final Gateway gateway;

    /**
     * Creates the indicator.
     *
     * @param gateway the gateway whose breakers are reported
     */
    public SwitchboardHealthIndicator(Gateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /**
     * Reads the breakers now.
     *
     * @return {@code UP}, or {@code OUT_OF_SERVICE} when every target's circuit is open; details as above
     */
    @Override
    public Health health() {
        List<CircuitBreakerState> all = gateway.circuitBreakers();
        List<Map<String, Object>> open = all.stream()
                .filter(CircuitBreakerState::open)
                .map(SwitchboardHealthIndicator::describe)
                .toList();
        Health.Builder b = !all.isEmpty() && open.size() == all.size() ? Health.outOfService() : Health.up();
        return b.withDetail("targets", all.size())
                .withDetail("openCircuits", open)
                .build();
    }

    private static Map<String, Object> describe(CircuitBreakerState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", s.target());
        m.put("provider", s.provider());
        if (s.virtualKey() != null) {
            m.put("virtualKey", s.virtualKey());
        }
        m.put("openUntil", String.valueOf(s.openUntil()));
        return m;
    }
}
