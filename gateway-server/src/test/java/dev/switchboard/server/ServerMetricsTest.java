package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.CircuitBreakerState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The circuit-breaker gauge of {@code /metrics}: one line per target with {@code cb_config}, 1 when open. */
class ServerMetricsTest {
    @Test
    void openAndClosedCircuitsAreAGaugeAndTargetsWithoutABreakerAreLeftOut() {
        String text = new ServerMetrics()
                .render(List.of(
                        new CircuitBreakerState(
                                "config.targets[0]", "openai", null, true, Instant.parse("2099-01-01T00:00:00Z")),
                        new CircuitBreakerState("config.targets[1]", "anthropic", "@ant", true, null),
                        new CircuitBreakerState("config.targets[2]", "groq", null, false, null)));
        assertTrue(text.contains("# TYPE switchboard_circuit_open gauge"), text);
        assertTrue(text.contains("switchboard_circuit_open{target=\"config.targets[0]\",provider=\"openai\"} 1"), text);
        assertTrue(
                text.contains("switchboard_circuit_open{target=\"config.targets[1]\",provider=\"anthropic\"} 0"), text);
        assertFalse(text.contains("groq"), text);
        assertFalse(text.contains("@ant"), "no virtual key names in labels");
    }
}
