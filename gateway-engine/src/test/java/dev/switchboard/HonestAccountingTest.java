package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 11: an attempt that timed out after the request was sent may still be billed by
 * the provider, so it is recorded (and charged to budgets) at an estimate, never at a known $0. The
 * stub never answers, so only the gateway's timer can end the attempt.
 */
class HonestAccountingTest {
    private StubUpstream a;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        a.close();
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you?\"}]}")
                .build();
    }

    @Test
    void aTimedOutAttemptIsRecordedAtItsEstimatedInputNotAtAKnownZero() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, "\"request_timeout\":150"));
        GatewayResponse r = g.execute(chat());
        assertEquals(408, r.status());
        Attempt at = r.trace().attempts().get(0);
        assertEquals("timeout", at.errorClass());
        assertNotNull(at.usage(), "the provider had the request: it may bill it");
        assertTrue(at.usage().estimated(), "marked as the gateway's estimate");
        // o200k_base: 3 per message + "user" + "Hello, how are you?" (6) + 3 priming = 13
        assertEquals(13, at.usage().promptTokens());
        assertEquals(0, at.usage().completionTokens(), "no output was seen");
        assertTrue(at.cost().known(), at.cost().toString());
        // 13 × $0.15 per million
        assertEquals(
                0,
                new BigDecimal("0.00000195").compareTo(at.cost().usd()),
                at.cost().toString());
    }

    @Test
    void aTimedOutAttemptChargesItsEstimateToTheBudgetInsteadOfReleasingIt() {
        a.enqueue(StubResponse.hang());
        InMemoryStateStore store = new InMemoryStateStore(ManualClock.start());
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"@k\",\"request_timeout\":150}")
                .provider(
                        "@k",
                        ProviderCredentials.builder("openai")
                                .secret("sk-test")
                                .baseUrl(a.openAiBaseUrl())
                                .limits(KeyLimits.builder()
                                        .budgetUsdTotal("1.00")
                                        .tokensPerDay(1_000_000)
                                        .build())
                                .build())
                .stateStore(store)
                .clock(ManualClock.start())
                .build();
        assertEquals(408, g.execute(chat()).status());
        assertEquals(
                13,
                store.current("sb:@k:*:tokens:day:" + ManualClock.DEFAULT_START.getEpochSecond()),
                "the estimated input stays counted");
        assertEquals(2, store.current("sb:@k:*:budget:total"), "13 × $0.15/M = 1.95 micro-dollars, rounded up");
    }
}
