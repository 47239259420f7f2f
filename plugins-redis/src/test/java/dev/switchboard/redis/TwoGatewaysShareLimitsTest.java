package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways (as two JVMs would be) share one Redis: together they admit no more requests than
 * the rate limit and spend no more than the budget, with 64 concurrent callers.
 */
class TwoGatewaysShareLimitsTest {
    private static final java.time.Clock CLOCK =
            java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T12:00:30Z"), java.time.ZoneOffset.UTC);
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static Gateway gateway(StubUpstream stub, KeyLimits limits, String prefix) {
        ProviderCredentials key = ProviderCredentials.builder("openai")
                .secret("sk-shared")
                .baseUrl(stub.openAiBaseUrl())
                .limits(limits)
                .build();
        // a fixed clock: a minute boundary passing mid-test would legitimately open a second window
        return Gateway.builder()
                .config("{\"provider\":\"@shared\"}")
                .provider("@shared", key)
                .stateStore(new RedisStateStore(redis.uri(), prefix))
                .clock(CLOCK)
                .build();
    }

    private static List<GatewayResponse> hammer(Gateway one, Gateway two, int calls) throws Exception {
        List<CompletableFuture<GatewayResponse>> all = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Gateway g = i % 2 == 0 ? one : two;
            all.add(CompletableFuture.supplyAsync(() -> g.execute(GatewayRequest.chat(
                            "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .build())));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        List<GatewayResponse> out = new ArrayList<>();
        for (CompletableFuture<GatewayResponse> f : all) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void twoGatewaysEnforceOneRateLimit() throws Exception {
        try (StubUpstream stub = StubUpstream.start()) {
            KeyLimits limits = KeyLimits.builder().requestsPerMinute(20).build();
            Gateway one = gateway(stub, limits, "rate-test:");
            Gateway two = gateway(stub, limits, "rate-test:");
            List<GatewayResponse> rs = hammer(one, two, 64);
            long ok = rs.stream().filter(r -> r.status() == 200).count();
            long limited = rs.stream().filter(r -> r.status() == 429).count();
            assertTrue(ok <= 20, "admitted " + ok + " > 20 per minute");
            assertEquals(64, ok + limited);
            assertEquals(ok, stub.hits());
        }
    }

    @Test
    void twoGatewaysEnforceOneBudget() throws Exception {
        try (StubUpstream stub = StubUpstream.start()) {
            stub.setDefault(StubResponse.chatCompletion("ok", 12, 1000));
            BigDecimal budget = new BigDecimal("0.005");
            KeyLimits limits =
                    KeyLimits.builder().budgetUsdPerDay(budget.toPlainString()).build();
            Gateway one = gateway(stub, limits, "budget-test:");
            Gateway two = gateway(stub, limits, "budget-test:");
            List<GatewayResponse> rs = hammer(one, two, 64);
            BigDecimal spent = BigDecimal.ZERO;
            int ok = 0;
            for (GatewayResponse r : rs) {
                if (r.status() == 200) {
                    ok++;
                    spent = spent.add(r.trace().totalCost().usd());
                } else {
                    assertEquals(412, r.status(), r.bodyAsString());
                }
            }
            assertTrue(ok > 0 && ok < 64, "admitted " + ok);
            assertEquals(ok, stub.hits());
            assertTrue(spent.compareTo(budget) <= 0, "spent " + spent + " > " + budget);
        }
    }
}
