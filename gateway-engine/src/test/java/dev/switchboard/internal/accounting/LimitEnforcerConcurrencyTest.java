package dev.switchboard.internal.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.Cost;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.accounting.Reservation.Held;
import dev.switchboard.internal.accounting.Reservation.Kind;
import dev.switchboard.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 64 threads hammer one key at the same instant. Whatever the interleaving, admitted requests never
 * exceed the rate limit, reserved spend never exceeds the budget (real spend only by what calls
 * really used beyond their estimate), and the counters end exactly at the reconciled actuals.
 */
class LimitEnforcerConcurrencyTest {
    private static final int THREADS = 64;
    private static final int REQUESTS_PER_THREAD = 12;
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** What the hammering did, as the test saw it. */
    private static final class Outcome {
        final AtomicLong admitted = new AtomicLong();
        final AtomicLong actualMicros = new AtomicLong();
        final AtomicLong actualTokens = new AtomicLong();
        final AtomicLong overshootMicros = new AtomicLong();
        final AtomicLong overshootTokens = new AtomicLong();
        final Map<Kind, String> counterKeys = new ConcurrentHashMap<>();
    }

    private Outcome hammer(
            LimitEnforcer enforcer, ProviderCredentials key, int maxTokens, long seed, boolean allowOvershoot)
            throws Exception {
        Outcome out = new Outcome();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    int max = 1 + random.nextInt(maxTokens);
                    Admission a =
                            enforcer.admit("@hammered", key, "acme", "split", LimitEnforcerTest.body(max), Map.of());
                    if (!a.granted()) {
                        continue;
                    }
                    out.admitted.incrementAndGet();
                    Reservation r = a.reservation();
                    for (Held h : r.held()) {
                        out.counterKeys.put(h.kind(), h.key());
                    }
                    int action = random.nextInt(3);
                    if (action == 0) {
                        enforcer.release(r);
                        continue;
                    }
                    long estPrompt = r.estimatedPromptTokens();
                    long prompt = action == 1 || !allowOvershoot
                            ? random.nextLong(estPrompt + 1)
                            : estPrompt + random.nextLong(200);
                    long completion =
                            action == 1 || !allowOvershoot ? random.nextLong(max + 1) : max + random.nextLong(200);
                    long micros = prompt + 2 * completion; // acme/split: $1e-6 in, $2e-6 out
                    enforcer.reconcile(r, Usage.of(prompt, completion), Cost.usd(BigDecimal.valueOf(micros, 6)));
                    out.actualMicros.addAndGet(micros);
                    out.actualTokens.addAndGet(prompt + completion);
                    out.overshootMicros.addAndGet(Math.max(0, micros - r.estimatedMicros()));
                    out.overshootTokens.addAndGet(Math.max(0, prompt + completion - (estPrompt + max)));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        return out;
    }

    @Test
    void concurrentAdmissionsNeverOvershootRateLimitOrBudget() {
        qt().withExamples(25)
                .forAll(
                        integers().between(1, 400), // requests per minute
                        longs().between(1_000, 400_000), // budget in micro-dollars
                        integers().between(1, 3000), // largest max_tokens of a request
                        longs().all()) // seed of each thread's choices
                .checkAssert((rpm, budgetMicros, maxTokens, seed) -> {
                    ManualClock clock = ManualClock.at(Instant.parse("2026-07-24T10:00:00Z"));
                    InMemoryStateStore store = new InMemoryStateStore(clock);
                    LimitEnforcer enforcer = new LimitEnforcer(store, LimitEnforcerTest.CATALOG, clock);
                    ProviderCredentials key = LimitEnforcerTest.key(KeyLimits.builder()
                            .requestsPerMinute(rpm)
                            .tokensPerMinute(200_000)
                            .budgetUsdPerDay(BigDecimal.valueOf(budgetMicros, 6))
                            .build());
                    Outcome out;
                    try {
                        out = hammer(enforcer, key, maxTokens, seed, true);
                    } catch (Exception e) {
                        throw new AssertionError("seed " + seed, e);
                    }
                    String ctx =
                            "rpm=" + rpm + " budget=" + budgetMicros + "µ$ maxTokens=" + maxTokens + " seed=" + seed;
                    assertTrue(out.admitted.get() <= rpm, "admitted " + out.admitted + " > rpm; " + ctx);
                    if (out.admitted.get() == 0) {
                        return;
                    }
                    assertEquals(out.admitted.get(), store.current(out.counterKeys.get(Kind.REQUESTS)), ctx);
                    long spent = store.current(out.counterKeys.get(Kind.BUDGET));
                    assertEquals(out.actualMicros.get(), spent, "budget counter = reconciled actual spend; " + ctx);
                    assertTrue(spent <= budgetMicros + out.overshootMicros.get(), "spent " + spent + "; " + ctx);
                    long tokens = store.current(out.counterKeys.get(Kind.TOKENS));
                    assertEquals(out.actualTokens.get(), tokens, ctx);
                    assertTrue(tokens <= 200_000 + out.overshootTokens.get(), ctx);
                });
    }

    @Test
    void whenCallsStayWithinTheirEstimateSpendNeverExceedsTheBudget() throws Exception {
        long seed = System.nanoTime();
        for (int round = 0; round < 5; round++) {
            long s = seed + round * 1_000_003L;
            ManualClock clock = ManualClock.at(Instant.parse("2026-07-24T10:00:00Z"));
            InMemoryStateStore store = new InMemoryStateStore(clock);
            LimitEnforcer enforcer = new LimitEnforcer(store, LimitEnforcerTest.CATALOG, clock);
            long budgetMicros = 50_000 + new SplittableRandom(s).nextLong(100_000);
            ProviderCredentials key = LimitEnforcerTest.key(KeyLimits.builder()
                    .budgetUsdTotal(BigDecimal.valueOf(budgetMicros, 6))
                    .build());
            Outcome out = hammer(enforcer, key, 2000, s, false);
            long spent = store.current(out.counterKeys.get(Kind.BUDGET));
            assertTrue(spent <= budgetMicros, "spent " + spent + " of " + budgetMicros + " (seed " + s + ")");
            assertEquals(out.actualMicros.get(), spent, "seed " + s);
        }
    }
}
