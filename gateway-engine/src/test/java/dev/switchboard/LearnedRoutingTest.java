package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Routing that learns ({@code "adaptive"} on a loadbalance node). Time is a manual clock that the
 * transport moves by each target's latency, and draws come from a seeded random: every number
 * below is the same on every run.
 */
class LearnedRoutingTest {
    private final ManualClock clock = ManualClock.start();
    private final FakeTransport fake = new FakeTransport();
    private volatile long latencyA = 100;
    private volatile long latencyB = 100;

    /** Takes each target's latency on the manual clock, then answers through the fake transport. */
    private final Transport slow = new Transport() {
        @Override
        public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
            clock.advance(Duration.ofMillis(host(request).equals("a.test") ? latencyA : latencyB));
            return fake.send(request);
        }
    };

    private static String host(UpstreamRequest r) {
        return r.uri().getHost();
    }

    private Gateway gateway(String adaptive) {
        return Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"loadbalance\",\"adaptive\":" + adaptive + "},\"targets\":["
                        + "{\"provider\":\"openai\",\"api_key\":\"sk-a\",\"custom_host\":\"http://a.test/v1\"},"
                        + "{\"provider\":\"openai\",\"api_key\":\"sk-b\",\"custom_host\":\"http://b.test/v1\"}]}")
                .transport(slow)
                .clock(clock)
                .random(new Random(42))
                .build();
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .build();
    }

    /** Sends {@code n} requests; how many went to a. */
    private int sendToA(Gateway g, int n) {
        int before = (int)
                fake.requests().stream().filter(r -> host(r).equals("a.test")).count();
        for (int i = 0; i < n; i++) {
            assertEquals(200, g.execute(chat()).status());
        }
        return (int) fake.requests().stream()
                        .filter(r -> host(r).equals("a.test"))
                        .count()
                - before;
    }

    private static RouteExplanation.TargetWeight weight(Gateway g, int i) {
        return g.explain(chat()).weights().get(i);
    }

    @Test
    void trafficMovesAwayFromASlowTargetAndComesBackWhenItRecovers() {
        Gateway g = gateway("{\"half_life_ms\":10000,\"min_share\":0.05}");
        int even = sendToA(g, 200);
        assertTrue(even > 70 && even < 130, "equal latency, equal weights: " + even + " of 200 to a");

        latencyA = 2000; // a gets slow
        sendToA(g, 50);
        int whileSlow = sendToA(g, 100);
        assertTrue(whileSlow <= 15, "a slow target keeps little of its traffic: " + whileSlow + " of 100");
        RouteExplanation.TargetWeight a = weight(g, 0);
        assertTrue(a.effective() < 0.1, a.toString());
        assertTrue(a.ttfbMs() > 500, a.toString());
        assertEquals(1.0, weight(g, 1).effective(), 1e-9, "the fast one keeps its weight");

        latencyA = 100; // a recovers; old samples fade with the half-life, new ones are fast
        clock.advance(Duration.ofSeconds(60));
        sendToA(g, 100);
        int recovered = sendToA(g, 200);
        assertTrue(recovered > 70, "traffic came back to a: " + recovered + " of 200");
        assertTrue(weight(g, 0).effective() > 0.7, weight(g, 0).toString());
    }

    @Test
    void errorsLowerATargetsWeight() {
        Gateway g = gateway("true");
        fake.respondWith(r -> host(r).equals("a.test") ? FakeReply.error(503, "overloaded") : null);
        for (int i = 0; i < 20; i++) {
            g.execute(chat());
        }
        RouteExplanation.TargetWeight a = weight(g, 0);
        assertTrue(a.errorRate() > 0.5, a.toString());
        assertEquals(
                Math.round(1000 * (1 - a.errorRate()) * (1 - a.errorRate())) / 1000.0,
                a.effective(),
                0.002,
                "(1 - error rate)²: " + a);
        assertTrue(a.effective() < 0.25, a.toString());
        assertTrue(a.why().matches("errors ×0\\.\\d\\d \\(\\d+% failed\\)"), a.why());
    }

    @Test
    void quotaHeadersShiftWeightBeforeTheTargetRunsOutAndTheResetRestoresIt() {
        Gateway g = gateway("{\"quota_reserve\":0.2}");
        long[] remaining = {50};
        Function<UpstreamRequest, FakeReply> quota = r -> host(r).equals("a.test")
                ? FakeReply.chatCompletion("a")
                        .header("x-ratelimit-limit-requests", "1000")
                        .header("x-ratelimit-remaining-requests", Long.toString(remaining[0]))
                        .header("x-ratelimit-reset-requests", "30s")
                : null;
        fake.respondWith(quota);
        while (sendToA(g, 1) == 0) {
            // until a has answered once
        }
        RouteExplanation.TargetWeight a = weight(g, 0);
        assertEquals(0.25, a.effective(), 1e-9, "5% left of a 20% reserve: a quarter of the weight; " + a);
        assertTrue(a.quota().startsWith("50/1000 requests (resets in "), a.quota());

        remaining[0] = 0;
        while (sendToA(g, 1) == 0) {
            // a answers once more, now with nothing left
        }
        assertEquals(0, weight(g, 0).effective(), "nothing left: no traffic until the reset");
        assertEquals(0, sendToA(g, 50), "every request went to b");

        clock.advance(Duration.ofSeconds(31)); // past the reset time
        remaining[0] = 1000;
        assertNull(weight(g, 0).quota(), "the reading expired with the reset");
        assertTrue(sendToA(g, 100) > 20, "a is drawn again");
    }

    @Test
    void explainShowsTheWeightsAndWhy() {
        Gateway g = gateway("true");
        String fresh = g.explain(chat()).toString();
        assertTrue(
                fresh.contains("config: loadbalance draws per request with learned weights (config.targets[0] 50%,"
                        + " config.targets[1] 50%)"),
                fresh);
        assertTrue(
                fresh.contains("config.targets[0]: weight 1 → 1.000 (ttfb -, total -, errors 0%, quota -)"
                        + " nothing observed yet: configured weight"),
                fresh);
        latencyA = 400;
        sendToA(g, 40);
        String learned = g.explain(chat()).toString();
        assertTrue(learned.contains("learned weights:"), learned);
        RouteExplanation.TargetWeight a = weight(g, 0);
        assertNotNull(a.ttfbMs());
        assertEquals(400, a.ttfbMs(), 1e-9);
        assertTrue(a.why().startsWith("latency ×0."), a.why());
        assertTrue(a.why().contains("(ttfb 400 ms vs fastest 100 ms)"), a.why());
        assertTrue(
                learned.contains(
                        "config.targets[0]: weight 1 → " + String.format(java.util.Locale.ROOT, "%.3f", a.effective())),
                learned);
    }

    @Test
    void withoutAdaptiveTheDrawsAreExactlyPortkeysWeights() {
        Gateway plain = Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":["
                        + "{\"provider\":\"openai\",\"api_key\":\"sk-a\",\"custom_host\":\"http://a.test/v1\","
                        + "\"weight\":3},"
                        + "{\"provider\":\"openai\",\"api_key\":\"sk-b\",\"custom_host\":\"http://b.test/v1\"}]}")
                .transport(slow)
                .clock(clock)
                .random(new Random(7))
                .build();
        latencyA = 5000;
        int toA = sendToA(plain, 400);
        Random same = new Random(7);
        int expected = 0;
        for (int i = 0; i < 400; i++) {
            expected += same.nextDouble() * 4 < 3 ? 1 : 0;
        }
        assertEquals(expected, toA, "the same draws as before: latency is ignored");
        assertTrue(plain.explain(chat()).weights().isEmpty());
    }

    @Test
    void badHedgeAndAdaptiveSettingsAreConfigErrorsWithTheirPointers() {
        ConfigException e = assertThrows(ConfigException.class, () -> Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":[],\"hedge\":{\"after_ms\":5}},"
                        + "\"targets\":[{\"name\":\"x\",\"provider\":\"openai\",\"api_key\":\"sk-a\"},"
                        + "{\"strategy\":{\"mode\":\"loadbalance\",\"adaptive\":{\"half_life\":5},"
                        + "\"hedge\":{\"after_ms\":5,\"percentile\":90}},"
                        + "\"targets\":[{\"provider\":\"openai\",\"api_key\":\"sk-a\"}]},"
                        + "{\"strategy\":{\"mode\":\"fallback\",\"adaptive\":true,\"hedge\":{\"percentile\":20}},"
                        + "\"targets\":[{\"provider\":\"openai\",\"api_key\":\"sk-a\"},"
                        + "{\"provider\":\"openai\",\"api_key\":\"sk-b\"}]}]}")
                .build());
        List<String> lines = e.getMessage().lines().map(String::strip).toList();
        String all = String.join("\n", lines);
        assertTrue(
                all.contains("/strategy/hedge: found {\"after_ms\":5}, expected no hedge (only used by mode fallback"
                        + " or loadbalance, mode is conditional)"),
                all);
        assertTrue(
                all.contains("/targets/1/strategy/adaptive/half_life: found key \"half_life\", expected a key of"
                        + " adaptive: [half_life_ms, min_share, quota_reserve]"),
                all);
        assertTrue(
                all.contains("/targets/1/strategy/hedge: found both after_ms and percentile, expected exactly one"
                        + " of after_ms (a fixed delay) and percentile"),
                all);
        assertTrue(
                all.contains("/targets/1/strategy/hedge: found {\"after_ms\":5,\"percentile\":90}, expected no hedge"
                        + " on a node with one target"),
                all);
        assertTrue(
                all.contains("/targets/2/strategy/adaptive: found true, expected no adaptive (only used by mode"
                        + " loadbalance, mode is fallback)"),
                all);
        assertTrue(
                all.contains(
                        "/targets/2/strategy/hedge/percentile: found 20, expected a percentile from 50 to" + " 99.9"),
                all);
    }
}
