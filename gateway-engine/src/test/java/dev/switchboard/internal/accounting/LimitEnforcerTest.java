package dev.switchboard.internal.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.DefaultPricingCatalog;
import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Json;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.accounting.Reservation.Held;
import dev.switchboard.internal.accounting.Reservation.Kind;
import dev.switchboard.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitEnforcerTest {
    static final String SECRET = "sk-live-very-secret-123";
    /** acme/m: input free, output $0.00001 per token, so a request's estimate is max_tokens × $0.00001. */
    static final DefaultPricingCatalog CATALOG = DefaultPricingCatalog.fromJson(
            "{\"version\":\"test 2026-01-01\",\"models\":{\"acme/m\":{\"input\":0,\"output\":1e-05},"
                    + "\"acme/split\":{\"input\":1e-06,\"output\":2e-06},"
                    + "\"acme/capped\":{\"input\":0,\"output\":1e-05,\"max_output\":1000}}}");

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-07-24T10:00:30Z"));
    private final InMemoryStateStore store = new InMemoryStateStore(clock);
    private final LimitEnforcer enforcer = new LimitEnforcer(store, CATALOG, clock);

    static ProviderCredentials key(KeyLimits limits) {
        return ProviderCredentials.builder("acme").secret(SECRET).limits(limits).build();
    }

    static ObjectNode body(long maxTokens) {
        return (ObjectNode)
                Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":"
                        + maxTokens + "}");
    }

    private Admission admit(ProviderCredentials key, long maxTokens, Map<String, String> metadata) {
        return enforcer.admit("@openai-prod", key, "acme", "m", body(maxTokens), metadata);
    }

    private Admission admit(ProviderCredentials key, long maxTokens) {
        return admit(key, maxTokens, Map.of());
    }

    private long counter(Reservation r, Kind kind) {
        for (Held h : r.held()) {
            if (h.kind() == kind) {
                return store.current(h.key());
            }
        }
        throw new AssertionError("no " + kind + " counter in " + r);
    }

    @Test
    void requestsOverTheRateLimitAreRefusedWith429NamingKeyAndLimit() {
        ProviderCredentials k = key(KeyLimits.builder().requestsPerMinute(2).build());
        assertTrue(admit(k, 10).granted());
        assertTrue(admit(k, 10).granted());
        Admission refused = admit(k, 10);
        assertFalse(refused.granted());
        assertEquals(429, refused.status());
        assertEquals(
                "virtual key @openai-prod: rate limit of 2 requests per minute reached (2 used this minute)",
                refused.message().orElseThrow());
        assertEquals(
                Admission.RATE_LIMIT_EXCEEDED,
                refused.error().path("error").path("type").asText());
        assertEquals(
                Admission.RATE_LIMIT_EXCEEDED,
                refused.error().path("error").path("code").asText());
        assertEquals(Duration.ofSeconds(30), refused.retryAfter(), "the minute window ends at 10:01:00");
    }

    @Test
    void budgetRefusalIs412AndShowsSpentAndNeeded() {
        ProviderCredentials k = key(KeyLimits.builder().budgetUsdPerDay("5.00").build());
        Admission first = admit(k, 3000);
        assertEquals(new BigDecimal("0.030000"), first.reservation().estimatedCostUsd());
        enforcer.reconcile(first.reservation(), Usage.of(5, 2000), Cost.usd(new BigDecimal("4.99")));
        Admission refused = admit(k, 3000);
        assertEquals(412, refused.status());
        assertEquals(Admission.BUDGET_EXCEEDED, refused.type().orElseThrow());
        assertEquals(
                "virtual key @openai-prod: budget of $5.00 per day exhausted (spent $4.99, this request needs up to $0.03)",
                refused.message().orElseThrow());
        assertTrue(admit(k, 1000).granted(), "a smaller request still fits: $4.99 + $0.01 = $5.00");
    }

    @Test
    void tokenLimitCountsPromptPlusMaxOutput() {
        ProviderCredentials k = key(KeyLimits.builder().tokensPerMinute(5000).build());
        Admission a = admit(k, 3000);
        long reserved = a.reservation().estimatedPromptTokens() + 3000;
        assertEquals(reserved, counter(a.reservation(), Kind.TOKENS));
        Admission refused = admit(k, 3000);
        assertEquals(429, refused.status());
        assertTrue(
                refused.message()
                        .orElseThrow()
                        .startsWith("virtual key @openai-prod: token limit of 5000 tokens per minute reached ("
                                + reserved + " used this minute"),
                refused.message().orElseThrow());
    }

    @Test
    void releaseGivesTokensAndMoneyBackButKeepsTheRequestCounted() {
        ProviderCredentials k = key(KeyLimits.builder()
                .requestsPerMinute(10)
                .tokensPerDay(100_000)
                .budgetUsdTotal("1")
                .build());
        Admission a = admit(k, 3000);
        Reservation r = a.reservation();
        assertEquals(30_000, counter(r, Kind.BUDGET));
        enforcer.release(r);
        assertEquals(0, counter(r, Kind.TOKENS));
        assertEquals(0, counter(r, Kind.BUDGET));
        assertEquals(1, counter(r, Kind.REQUESTS));
        assertTrue(r.settled());
    }

    @Test
    void reconcileReplacesTheEstimateByTheActualUsageOnce() {
        ProviderCredentials k = key(KeyLimits.builder()
                .tokensPerDay(100_000)
                .budgetUsdPerMonth("10")
                .build());
        Reservation r = admit(k, 3000).reservation();
        enforcer.reconcile(r, Usage.of(40, 60), Cost.usd(new BigDecimal("0.0006")));
        assertEquals(100, counter(r, Kind.TOKENS));
        assertEquals(600, counter(r, Kind.BUDGET));
        enforcer.reconcile(r, Usage.of(1000, 1000), Cost.usd(BigDecimal.ONE));
        enforcer.release(r);
        assertEquals(100, counter(r, Kind.TOKENS), "a reservation settles once");
        assertEquals(600, counter(r, Kind.BUDGET));
    }

    @Test
    void reconcileWithUnknownUsageOrCostKeepsTheEstimate() {
        ProviderCredentials k = key(
                KeyLimits.builder().tokensPerDay(100_000).budgetUsdPerDay("10").build());
        Reservation r = admit(k, 3000).reservation();
        long tokens = counter(r, Kind.TOKENS);
        enforcer.reconcile(r, null, Cost.unknown("stream cut"));
        assertEquals(tokens, counter(r, Kind.TOKENS));
        assertEquals(30_000, counter(r, Kind.BUDGET));
    }

    @Test
    void windowsRollOverOnTheClock() {
        ProviderCredentials k = key(
                KeyLimits.builder().requestsPerMinute(1).budgetUsdPerDay("0.05").build());
        assertTrue(admit(k, 3000).granted());
        assertEquals(429, admit(k, 10).status());
        clock.advance(Duration.ofSeconds(30)); // 10:01:00, a new minute
        assertTrue(admit(k, 1000).granted());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(412, admit(k, 2000).status(), "$0.04 spent today, $0.02 more would exceed $0.05");
        clock.set(Instant.parse("2026-07-25T00:00:00Z"));
        assertTrue(admit(k, 5000).granted(), "a new day has a fresh budget");
    }

    @Test
    void monthlyBudgetResetsOnTheFirstOfTheMonthUtc() {
        clock.set(Instant.parse("2026-07-31T23:59:59Z"));
        ProviderCredentials k =
                key(KeyLimits.builder().budgetUsdPerMonth("0.01").build());
        assertTrue(admit(k, 1000).granted());
        assertEquals(412, admit(k, 1).status());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(admit(k, 1000).granted());
    }

    @Test
    void expiredKeyIsRefusedWith401NamingTheKey() {
        ProviderCredentials k = ProviderCredentials.builder("acme")
                .secret(SECRET)
                .expiresAt(Instant.parse("2026-07-24T10:05:00Z"))
                .build();
        assertTrue(admit(k, 10).granted());
        clock.set(Instant.parse("2026-07-24T10:05:00Z"));
        Admission refused = admit(k, 10);
        assertEquals(401, refused.status());
        assertEquals(Admission.EXPIRED_KEY, refused.type().orElseThrow());
        assertEquals(
                "virtual key @openai-prod expired at 2026-07-24T10:05:00Z; register a fresh key",
                refused.message().orElseThrow());
    }

    @Test
    void perValueLimitsIsolateUsersAndShareANoneBucket() {
        ProviderCredentials k = key(KeyLimits.builder()
                .requestsPerMinute(1)
                .perMetadataKey("user_id")
                .build());
        assertTrue(admit(k, 10, Map.of("user_id", "alice")).granted());
        Admission aliceAgain = admit(k, 10, Map.of("user_id", "alice"));
        assertEquals(429, aliceAgain.status());
        assertTrue(
                aliceAgain
                        .message()
                        .orElseThrow()
                        .startsWith("virtual key @openai-prod (user_id=alice): rate limit of 1"),
                aliceAgain.message().orElseThrow());
        assertTrue(admit(k, 10, Map.of("user_id", "bob")).granted(), "bob has his own counter");
        assertTrue(admit(k, 10).granted());
        Admission anonymous = admit(k, 10, Map.of("team", "x"));
        assertEquals(429, anonymous.status(), "requests without the field share one bucket");
        assertTrue(anonymous.message().orElseThrow().contains("(user_id=(none))"));
    }

    @Test
    void keyWideAndPerValueLimitsApplyTogether() {
        ProviderCredentials k = key(KeyLimits.builder()
                .requestsPerMinute(3)
                .perValueOf("user_id", KeyLimits.builder().requestsPerMinute(2).build())
                .build());
        assertTrue(admit(k, 10, Map.of("user_id", "alice")).granted());
        assertTrue(admit(k, 10, Map.of("user_id", "alice")).granted());
        assertEquals(429, admit(k, 10, Map.of("user_id", "alice")).status());
        assertTrue(admit(k, 10, Map.of("user_id", "bob")).granted());
        Admission carol = admit(k, 10, Map.of("user_id", "carol"));
        assertEquals(
                "virtual key @openai-prod: rate limit of 3 requests per minute reached (3 used this minute)",
                carol.message().orElseThrow());
    }

    @Test
    void refusedRequestChargesNoCounterAtAll() {
        ProviderCredentials k = key(KeyLimits.builder()
                .requestsPerMinute(100)
                .budgetUsdPerDay("0.01")
                .build());
        Reservation ok = admit(k, 1000).reservation();
        assertEquals(412, admit(k, 1000).status());
        assertEquals(1, counter(ok, Kind.REQUESTS), "the refused request was not counted against the rate limit");
    }

    @Test
    void budgetOnAModelWithoutPriceIsRefusedNotAdmittedForFree() {
        ProviderCredentials k = key(KeyLimits.builder().budgetUsdPerDay("5").build());
        Admission a = enforcer.admit("@k", k, "acme", "unpriced-1", body(10), Map.of());
        assertEquals(412, a.status());
        assertEquals(Admission.BUDGET_UNENFORCEABLE, a.type().orElseThrow());
        assertTrue(a.message()
                .orElseThrow()
                .contains("no price for model unpriced-1 of provider acme in catalog test 2026-01-01"));
        ProviderCredentials rateOnly =
                key(KeyLimits.builder().requestsPerMinute(5).build());
        assertTrue(enforcer.admit("@k", rateOnly, "acme", "unpriced-1", body(10), Map.of())
                .granted());
    }

    @Test
    void keyWithoutLimitsIsAdmittedWithNothingToSettle() {
        Admission a = admit(ProviderCredentials.builder("acme").build(), 10);
        assertTrue(a.granted());
        assertTrue(a.reservation().held().isEmpty());
        enforcer.reconcile(a.reservation(), Usage.of(1, 1), Cost.ZERO);
        assertEquals(0, store.size());
    }

    @Test
    void noRefusalMessageContainsTheSecret() {
        ProviderCredentials k = ProviderCredentials.builder("acme")
                .secret(SECRET)
                .expiresAt(Instant.parse("2026-07-24T10:00:00Z"))
                .limits(KeyLimits.builder().requestsPerMinute(0).build())
                .build();
        assertFalse(Json.text(admit(k, 10).error()).contains(SECRET));
        ProviderCredentials live = key(
                KeyLimits.builder().requestsPerMinute(0).budgetUsdPerDay("0").build());
        assertFalse(Json.text(admit(live, 10).error()).contains(SECRET));
        assertFalse(Json.text(enforcer.admit("@k", live, "acme", "nope", body(1), Map.of())
                        .error())
                .contains(SECRET));
    }

    @Test
    void estimatedCostUsesTheHigherOfOutputAndReasoningPrice() {
        var e = new TokenEstimator.Estimate(1000, 100, true);
        var p = new dev.switchboard.spi.ModelPrice(
                new BigDecimal("1e-6"),
                new BigDecimal("2e-6"),
                null,
                null,
                new BigDecimal("5e-6"),
                null,
                null,
                null,
                null);
        assertEquals(1000 + 500, LimitEnforcer.estimatedMicros(p, e));
        assertEquals("$5.00", LimitEnforcer.usd(5_000_000));
        assertEquals("$0.000123", LimitEnforcer.usd(123));
    }

    // ---------------------------------------------------------------- issue 15, defects 2 and 11

    private Admission admitBody(ProviderCredentials key, String model, String json) {
        return enforcer.admit("@openai-prod", key, "acme", model, (ObjectNode) Json.parse(json), Map.of());
    }

    @Test
    void aRequestLargerThanTheTokenLimitIsRefusedNamingBothAndNeverWraps() {
        ProviderCredentials k = key(KeyLimits.builder().tokensPerMinute(2000).build());
        Admission huge = admit(k, Long.MAX_VALUE);
        assertEquals(429, huge.status());
        assertEquals(
                "virtual key @openai-prod: this request needs up to " + Long.MAX_VALUE + " tokens, more than the "
                        + "token limit of 2000 tokens per minute (set max_tokens lower, or raise the limit)",
                huge.message().orElseThrow());
        assertTrue(admit(k, 1000).granted());
        Admission second = admit(k, Long.MAX_VALUE);
        assertEquals(429, second.status());
        Reservation r = admit(k, 900).reservation();
        assertTrue(counter(r, Kind.TOKENS) <= 2000, "counter " + counter(r, Kind.TOKENS));
    }

    @Test
    void maxTokensTimesNIsCappedPerChoiceAtTheModelsLimitThenSaturates() {
        ProviderCredentials k = key(KeyLimits.builder()
                .budgetUsdTotal("0.002")
                .tokensPerDay(Long.MAX_VALUE)
                .build());
        Admission a = admitBody(k, "capped", "{\"max_tokens\":4611686018427387904,\"n\":2,\"messages\":[]}");
        assertEquals(412, a.status(), "2 × 1000 tokens × $0.00001 = $0.02 > $0.002");
        assertEquals(
                "virtual key @openai-prod: this request needs up to $0.02, more than the budget of $0.002 in total "
                        + "(set max_tokens lower, or raise the budget)",
                a.message().orElseThrow());
        Admission uncapped = admitBody(k, "m", "{\"max_tokens\":4611686018427387904,\"n\":2,\"messages\":[]}");
        assertEquals(412, uncapped.status(), uncapped.message().orElseThrow());
        assertTrue(
                uncapped.message().orElseThrow().contains("needs up to $9223372036854.775807"),
                "saturated at Long.MAX_VALUE micro-dollars: "
                        + uncapped.message().orElseThrow());
    }

    @Test
    void withoutMaxTokensTheModelsOutputLimitIsReservedAndTheMessageSaysSo() {
        ProviderCredentials k = key(KeyLimits.builder().budgetUsdPerDay("0.015").build());
        Admission a = admitBody(k, "capped", "{\"messages\":[]}");
        assertEquals(1000, a.reservation().estimatedMaxOutputTokens(), "the model's output limit, not a fixed 4,096");
        Admission refused = admitBody(k, "capped", "{\"messages\":[]}");
        assertEquals(412, refused.status());
        assertEquals(
                "virtual key @openai-prod: budget of $0.015 per day exhausted (spent $0.01, this request needs up "
                        + "to $0.01); no max_tokens, so the model's output limit of 1000 tokens is reserved: set max_tokens to "
                        + "reserve less",
                refused.message().orElseThrow());
        assertTrue(
                admitBody(k, "capped", "{\"max_tokens\":500,\"messages\":[]}").granted());
    }

    @Test
    void absurdBudgetsAndUsageSaturateInsteadOfThrowing() {
        ProviderCredentials k = key(KeyLimits.builder()
                .budgetUsdTotal("1e30")
                .tokensPerDay(Long.MAX_VALUE)
                .build());
        Reservation r = admit(k, 10).reservation();
        assertEquals(Long.MAX_VALUE, LimitEnforcer.toMicros(new BigDecimal("1e30")));
        enforcer.reconcile(r, Usage.of(Long.MAX_VALUE, Long.MAX_VALUE), Cost.usd(new BigDecimal("1e40")));
        assertEquals(Long.MAX_VALUE, counter(r, Kind.TOKENS));
        assertEquals(Long.MAX_VALUE, counter(r, Kind.BUDGET));
        Admission none = admit(k, 1);
        assertFalse(none.granted(), "nothing fits once a counter is saturated");
        assertEquals(
                429,
                none.status(),
                "the token counter refuses first: " + none.message().orElseThrow());
    }

    @Test
    void negativeUsageOrCostFromAProviderCannotRefundTheBudget() {
        ProviderCredentials k = key(
                KeyLimits.builder().budgetUsdTotal("1").tokensPerDay(100_000).build());
        Reservation r = admit(k, 1000).reservation();
        enforcer.reconcile(
                r, new Usage(-1_000_000, -5, -1_000_005, 0, 0, 0, 0, 0, false), Cost.usd(new BigDecimal("-50")));
        assertEquals(0, counter(r, Kind.TOKENS));
        assertEquals(0, counter(r, Kind.BUDGET));
    }
}
