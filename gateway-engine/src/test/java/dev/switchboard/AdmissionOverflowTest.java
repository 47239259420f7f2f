package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamResponse;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import dev.switchboard.testkit.ManualClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 2: {@code max_tokens} and {@code n} near {@code Long.MAX_VALUE} must not wrap the
 * admission arithmetic around. Each test holds the absurd request in flight (as the fault run did)
 * and then sends ordinary requests: none may be admitted beyond the key's limit.
 */
class AdmissionOverflowTest {
    private static final String BIG = "\"max_tokens\":";

    private final FakeTransport answers = new FakeTransport();
    /** Requests with an absurd max_tokens never get an answer until the test ends. */
    private final List<CompletableFuture<UpstreamResponse>> held = new CopyOnWriteArrayList<>();

    private final Transport transport = request -> {
        String body = new String(request.body(), StandardCharsets.UTF_8);
        if (body.contains("4611686018427387904") || body.contains("9223372036854775807")) {
            CompletableFuture<UpstreamResponse> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }
        return answers.send(request);
    };
    private final ManualClock clock = ManualClock.start();

    @AfterEach
    void releaseHeld() {
        held.forEach(f -> f.completeExceptionally(new IOException("test over")));
    }

    private Gateway gateway(KeyLimits limits) {
        return Gateway.builder()
                .config("{\"provider\":\"@k\"}")
                .provider(
                        "@k",
                        ProviderCredentials.builder("openai")
                                .secret("sk-test")
                                .limits(limits)
                                .build())
                .transport(transport)
                .clock(clock)
                .build();
    }

    private static GatewayRequest chat(String extra) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\"," + extra
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")
                .build();
    }

    @Test
    void maxTokensOfLongMaxValueIsRefusedAndAdmitsNothingBeyondTheTokenLimit() {
        answers.setDefault(FakeReply.chatCompletion("ok", 10, 5)); // 15 tokens per answered call
        Gateway g = gateway(KeyLimits.builder().tokensPerMinute(2000).build());

        CompletableFuture<GatewayResponse> huge = g.executeAsync(chat(BIG + Long.MAX_VALUE));
        int admitted = 0;
        for (int i = 0; i < 300; i++) {
            GatewayResponse r = g.execute(chat(BIG + 5));
            if (r.status() == 200) {
                admitted++;
            } else {
                assertEquals(429, r.status(), r.json().toString());
            }
        }

        assertTrue(huge.isDone(), "the absurd request is refused at admission, never sent");
        GatewayResponse refused = huge.join();
        assertEquals(429, refused.status());
        assertEquals(
                "rate_limit_exceeded", refused.json().path("error").path("type").asText());
        String msg = refused.json().path("error").path("message").asText();
        assertTrue(msg.contains("@k") && msg.contains("more than the token limit of 2000 tokens per minute"), msg);
        assertTrue(held.isEmpty(), "the provider never saw it");
        // 2000 tokens a minute at 15 tokens per call: at most 133 calls, and ordinary calls still work
        assertTrue(
                admitted <= 2000 / 15, "admitted " + admitted + " calls (" + admitted * 15 + " tokens) in one minute");
        assertTrue(admitted >= 100, "admitted only " + admitted);
    }

    @Test
    void maxTokensTimesNCannotWrapAroundABudget() {
        // gpt-4o-mini: $0.15/M input, $0.60/M output; each ordinary call costs 50 × 0.15e-6 + 1000 × 0.6e-6
        answers.setDefault(FakeReply.chatCompletion("ok", 50, 1000));
        Gateway g = gateway(KeyLimits.builder().budgetUsdTotal("0.002").build());

        CompletableFuture<GatewayResponse> huge = g.executeAsync(chat(BIG + "4611686018427387904,\"n\":2"));
        BigDecimal spent = BigDecimal.ZERO;
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            GatewayResponse r = g.execute(chat(BIG + "1000"));
            for (Attempt a : r.trace().attempts()) {
                spent = spent.add(a.cost().usd());
            }
            if (r.status() == 200) {
                admitted++;
            } else {
                assertEquals(412, r.status(), r.json().toString());
            }
        }

        assertTrue(huge.isDone(), "refused at admission, never sent");
        GatewayResponse refused = huge.join();
        assertEquals(412, refused.status());
        assertEquals(
                "budget_exceeded", refused.json().path("error").path("type").asText());
        assertTrue(held.isEmpty(), "the provider never saw it");
        assertTrue(spent.compareTo(new BigDecimal("0.002")) <= 0, "spent $" + spent.toPlainString() + " of $0.002");
        assertEquals(3, admitted, "three calls of ≈ $0.0006 fit in $0.002");
    }

    @Test
    void negativeAndAbsurdValuesReserveTheModelsOutputLimitOrMore() {
        answers.setDefault(FakeReply.chatCompletion("ok", 10, 5));
        // gpt-4o-mini writes at most 16,384 tokens per choice: that is what a request without a usable max reserves
        Gateway g = gateway(KeyLimits.builder().tokensPerDay(16_000).build());
        for (String extra : List.of(
                BIG + "-1",
                BIG + "0",
                BIG + "1e30",
                BIG + "18446744073709551616",
                BIG + "\"many\"",
                BIG + "5,\"n\":9223372036854775807",
                BIG + "5,\"n\":1e300",
                "\"max_completion_tokens\":-9223372036854775808")) {
            GatewayResponse r = g.execute(chat(extra));
            assertEquals(429, r.status(), extra + " → " + r.json());
        }
        assertEquals(0, answers.calls(), "none was sent");
        assertEquals(200, g.execute(chat(BIG + "5,\"n\":-3")).status(), "n below 1 counts as 1");
        assertEquals(200, g.execute(chat(BIG + "5")).status());
    }
}
