package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code cb_config}: a target that keeps failing is skipped for the cooldown (manual clock). */
class CircuitBreakerTest {
    private StubUpstream flaky;
    private StubUpstream healthy;
    private ManualClock clock;

    @BeforeEach
    void start() {
        flaky = StubUpstream.start();
        healthy = StubUpstream.start();
        clock = ManualClock.start();
    }

    @AfterEach
    void stop() {
        flaky.close();
        healthy.close();
    }

    private Gateway gateway(String cb) {
        return Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                        + RoutingTest.target(flaky, "\"cb_config\":" + cb) + "," + RoutingTest.target(healthy, "")
                        + "]}")
                .clock(clock)
                .build();
    }

    @Test
    void afterTheThresholdTheTargetIsSkippedUntilTheCooldownEnds() {
        flaky.setDefault(StubResponse.error(503, "down"));
        Gateway g = gateway("{\"failure_threshold\":3,\"cooldown_interval\":30000}");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, g.execute(RoutingTest.chat()).status());
        }
        assertEquals(3, flaky.hits());

        GatewayResponse skipped = g.execute(RoutingTest.chat());
        assertEquals(200, skipped.status());
        assertEquals(3, flaky.hits(), "an open circuit is not called");
        assertEquals("circuit_open", skipped.trace().attempts().get(0).errorClass());

        clock.advance(Duration.ofSeconds(31));
        flaky.setDefault(StubResponse.chatCompletion("recovered"));
        GatewayResponse probe = g.execute(RoutingTest.chat());
        assertEquals(
                "config.targets[0]",
                probe.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(4, flaky.hits());
    }

    @Test
    void aFailedProbeAfterTheCooldownOpensTheCircuitAgain() {
        flaky.setDefault(StubResponse.error(500, "down"));
        Gateway g = gateway("{\"failure_threshold\":1,\"cooldown_interval\":30000}");
        g.execute(RoutingTest.chat());
        clock.advance(Duration.ofSeconds(31));
        g.execute(RoutingTest.chat());
        assertEquals(2, flaky.hits());
        g.execute(RoutingTest.chat());
        assertEquals(2, flaky.hits(), "the failed probe reopened the circuit");
    }

    @Test
    void aPercentageThresholdWaitsForTheMinimumNumberOfRequests() {
        Gateway g = gateway("{\"failure_threshold_percentage\":50,\"minimum_requests\":4,\"cooldown_interval\":30000}");
        flaky.enqueue(StubResponse.error(503, "1"));
        flaky.enqueue(StubResponse.chatCompletion("2"));
        flaky.enqueue(StubResponse.error(503, "3"));
        for (int i = 0; i < 3; i++) {
            g.execute(RoutingTest.chat());
        }
        assertEquals(3, flaky.hits(), "2 of 3 failed, but fewer than 4 requests: still closed");
        flaky.enqueue(StubResponse.chatCompletion("4"));
        g.execute(RoutingTest.chat());
        assertEquals(4, flaky.hits());
        g.execute(RoutingTest.chat());
        assertEquals(4, flaky.hits(), "2 of 4 = 50 %: open");
    }

    @Test
    void onlyListedFailureStatusesCount() {
        flaky.setDefault(StubResponse.error(429, "slow"));
        Gateway g = gateway("{\"failure_threshold\":1,\"cooldown_interval\":30000,\"failure_status_codes\":[500]}");
        g.execute(RoutingTest.chat());
        g.execute(RoutingTest.chat());
        assertEquals(2, flaky.hits(), "429 is not a failure for this breaker");
    }

    @Test
    void circuitBreakersReportsEveryLeafTargetAndWhenAnOpenCircuitClosesAgain() {
        flaky.setDefault(StubResponse.error(503, "down"));
        Gateway g = gateway("{\"failure_threshold\":1,\"cooldown_interval\":30000}");
        List<CircuitBreakerState> before = g.circuitBreakers();
        assertEquals(
                List.of(
                        new CircuitBreakerState("config.targets[0]", "openai", null, true, null),
                        new CircuitBreakerState("config.targets[1]", "openai", null, false, null)),
                before);

        Instant failedAt = clock.instant();
        assertEquals(200, g.execute(RoutingTest.chat()).status());
        CircuitBreakerState open = g.circuitBreakers().get(0);
        assertTrue(open.open());
        assertEquals(failedAt.plusSeconds(30), open.openUntil());
        assertFalse(g.circuitBreakers().get(1).open(), "the healthy target's circuit stays closed");
        assertFalse(open.toString().contains("sk-test"), open.toString());

        clock.advance(Duration.ofSeconds(31));
        assertFalse(g.circuitBreakers().get(0).open(), "past the cooldown the circuit may be tried: not open");
        g.close();
    }

    @Test
    void circuitBreakersListsNestedTargetsInConfigOrder() {
        Gateway g = Gateway.builder()
                .config(
                        "{\"strategy\":{\"mode\":\"fallback\"},\"cb_config\":{\"failure_threshold\":2,\"cooldown_interval\":30000},"
                                + "\"targets\":[{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":["
                                + RoutingTest.target(flaky, "") + "," + RoutingTest.target(healthy, "") + "]},"
                                + RoutingTest.target(healthy, "") + "]}")
                .clock(clock)
                .build();
        assertEquals(
                List.of("config.targets[0].targets[0]", "config.targets[0].targets[1]", "config.targets[1]"),
                g.circuitBreakers().stream().map(CircuitBreakerState::target).toList());
        assertTrue(g.circuitBreakers().stream().allMatch(CircuitBreakerState::configured), "cb_config is inherited");
        g.close();
    }
}
