package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hedged requests ({@code strategy.hedge}): no real time passes. The transport holds every call
 * until the test answers it ({@link HeldTransport}), and the hedge delay is a wait the test ends by
 * hand ({@link HeldSleeper}), moving a manual clock; the gateway's executor runs work on the thread
 * that hands it over, so each step is done when the test's call returns.
 */
class HedgeTest {
    private static final String A = "http://a.test/v1";
    private static final String B = "http://b.test/v1";

    private final ManualClock clock = ManualClock.start();
    private final HeldSleeper sleeper = new HeldSleeper(clock);
    private final HeldTransport transport = new HeldTransport();
    private final InMemoryStateStore store = new InMemoryStateStore(clock);
    private final List<RequestTrace> traces = new ArrayList<>();

    private Gateway gateway(String strategy) {
        return gateway(strategy, true);
    }

    /** {@code budgets}: each key has a budget (a batch cannot be priced up front, so it cannot have one). */
    private Gateway gateway(String strategy, boolean budgets) {
        return Gateway.builder()
                .config("{\"strategy\":" + strategy + ",\"targets\":[{\"provider\":\"@a\"},{\"provider\":\"@b\"}]}")
                .provider("@a", key(A, budgets))
                .provider("@b", key(B, budgets))
                .transport(transport)
                .sleeper(sleeper)
                .clock(clock)
                .stateStore(store)
                .executor(Runnable::run)
                .logSink(traces::add)
                .build();
    }

    private static ProviderCredentials key(String url, boolean budget) {
        ProviderCredentials.Builder b = ProviderCredentials.builder("openai")
                .secret("sk-test-" + url.charAt(7))
                .baseUrl(url);
        if (budget) {
            b.limits(KeyLimits.builder().budgetUsdTotal("1.00").build());
        }
        return b.build();
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you?\"}]}")
                .build();
    }

    private long budget(String slug) {
        return store.current("sb:" + slug + ":*:budget:total");
    }

    @Test
    void aHedgeWinsWhenTheFirstTargetIsSlowAndTheLoserIsCancelledAndAccounted() throws Exception {
        Gateway g = gateway("{\"mode\":\"fallback\",\"hedge\":{\"after_ms\":800}}");
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        assertEquals(1, transport.calls(), "only the first target is asked before the delay");
        assertEquals(List.of(Duration.ofMillis(800)), sleeper.requested());

        sleeper.fireAll(); // 800 ms pass without an answer from a
        assertEquals(2, transport.calls(), "the hedge sent the same request to b");
        assertEquals(transport.body(0), transport.body(1), "the hedge is the same request, to the next target");
        assertTrue(budget("@a") > 0 && budget("@b") > 0, "both sides reserved on their keys");

        transport.answer(B, FakeReply.chatCompletion("from b", 13, 5));
        GatewayResponse r = f.get(5, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertTrue(r.bodyAsString().contains("from b"), r.bodyAsString());
        assertTrue(transport.cancelled(A), "the slow side's call was cancelled");
        assertEquals("config.targets[1]", r.headers().get("x-portkey-last-used-option-index"));

        RequestTrace trace = traces.get(0);
        assertEquals(2, trace.attempts().size(), trace.toString());
        Attempt winner = attempt(trace, "config.targets[1]");
        Attempt loser = attempt(trace, "config.targets[0]");
        assertEquals(200, winner.status());
        assertTrue(
                has(winner, "hedge: won (config.targets[1] answered first)"),
                winner.notes().toString());
        assertTrue(
                has(winner, "sent after 800 ms without an answer from config.targets[0] (hedge.after_ms 800)"),
                winner.notes().toString());
        assertEquals("cancelled", loser.errorClass());
        assertTrue(loser.errorMessage().contains("config.targets[1] answered first"), loser.errorMessage());
        assertTrue(
                has(loser, "hedge: lost to config.targets[1], cancelled"),
                loser.notes().toString());
        assertNotNull(loser.usage(), "a had the request: it may bill it");
        assertTrue(loser.usage().estimated());
        assertTrue(loser.cost().usd().signum() > 0, "the cancelled side is priced: " + loser.cost());
        assertEquals(
                0,
                trace.totalCost()
                        .usd()
                        .compareTo(winner.cost().usd().add(loser.cost().usd())));
        assertEquals(2, budget("@a"), "a's reservation settled at its estimate: 13 × $0.15/M, rounded up");
        assertEquals(
                (long) Math.ceil(13 * 0.15 + 5 * 0.60),
                budget("@b"),
                "b's reservation settled at what it used: 13 in, 5 out");
    }

    @Test
    void noHedgeWhenTheFirstTargetAnswersInTime() throws Exception {
        Gateway g = gateway("{\"mode\":\"fallback\",\"hedge\":{\"after_ms\":800}}");
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        transport.answer(A, FakeReply.chatCompletion("from a", 13, 5));
        assertEquals(200, f.get(5, TimeUnit.SECONDS).status());
        assertTrue(sleeper.cancelled(0), "the hedge's wait was called off");
        sleeper.fireAll();
        assertEquals(1, transport.calls(), "b was never asked");
        RequestTrace trace = traces.get(0);
        assertEquals(1, trace.attempts().size());
        assertFalse(
                trace.attempts().get(0).notes().stream().anyMatch(n -> n.contains("won")),
                "no race took place: " + trace.attempts().get(0).notes());
        assertEquals(0, budget("@b"), "nothing reserved on b");
    }

    @Test
    void aFailureBeforeTheDelayMovesTheFallbackOnAsUsual() throws Exception {
        Gateway g = gateway("{\"mode\":\"fallback\",\"hedge\":{\"after_ms\":800}}");
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        transport.answer(A, FakeReply.error(503, "down"));
        assertEquals(2, transport.calls(), "the fallback went on at once, without waiting for the hedge");
        transport.answer(B, FakeReply.chatCompletion("from b"));
        assertEquals(200, f.get(5, TimeUnit.SECONDS).status());
        sleeper.fireAll();
        assertEquals(2, transport.calls(), "the called-off wait sent nothing more");
    }

    @Test
    void theFirstAnswerWinsAlsoWhenItIsTheSlowTargetAfterAll() throws Exception {
        Gateway g = gateway("{\"mode\":\"fallback\",\"hedge\":{\"after_ms\":800}}");
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        sleeper.fireAll();
        transport.answer(A, FakeReply.chatCompletion("from a"));
        GatewayResponse r = f.get(5, TimeUnit.SECONDS);
        assertTrue(r.bodyAsString().contains("from a"));
        assertTrue(transport.cancelled(B), "the hedge was cancelled");
        assertEquals("config.targets[0]", r.headers().get("x-portkey-last-used-option-index"));
        assertEquals("cancelled", attempt(traces.get(0), "config.targets[1]").errorClass());
    }

    @Test
    void aStreamIsHedgedUntilItsFirstEvent() throws Exception {
        Gateway g = gateway("{\"mode\":\"fallback\",\"hedge\":{\"after_ms\":300}}");
        CompletableFuture<GatewayResponse> f = g.executeAsync(GatewayRequest.chat(
                        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .build());
        sleeper.fireAll();
        transport.answer(B, FakeReply.chatStream("from", " b"));
        GatewayResponse r = f.get(5, TimeUnit.SECONDS);
        assertTrue(r.isStream());
        StringBuilder text = new StringBuilder();
        r.stream().forEach(e -> text.append(e.data()));
        assertTrue(text.toString().contains(" b"), text.toString());
        assertTrue(transport.cancelled(A));
    }

    @Test
    void aNonIdempotentEndpointIsNeverHedgedAndTheTraceAndExplainSaySo() throws Exception {
        Gateway g = gateway("{\"mode\":\"fallback\",\"hedge\":{\"after_ms\":800}}", false);
        GatewayRequest batch = GatewayRequest.builder(Endpoint.BATCHES)
                .body(
                        "{\"input_file_id\":\"file-1\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}")
                .build();
        CompletableFuture<GatewayResponse> f = g.executeAsync(batch);
        assertTrue(sleeper.requested().isEmpty(), "no hedge delay was even started");
        assertEquals(1, transport.calls(), () -> f.isDone() ? f.join().bodyAsString() + traces : "pending");
        transport.answer(A, FakeReply.json(200, "{\"id\":\"batch_1\",\"object\":\"batch\"}"));
        assertEquals(200, f.get(5, TimeUnit.SECONDS).status());
        assertEquals(1, transport.calls(), "one batch created, not two");
        String note = traces.get(0).attempts().get(0).notes().toString();
        assertTrue(
                note.contains("hedge of config not used: POST /v1/batches is not idempotent (a second send would"
                        + " start a second batch): it is never hedged"),
                note);
        String explained = g.explain(batch).toString();
        assertTrue(
                explained.contains("config: hedge not used for this request: POST /v1/batches is not idempotent"),
                explained);
        assertTrue(g.explain(chat())
                .toString()
                .contains("config: hedge: when config.targets[0] has not answered (a stream: sent its first event)"
                        + " within 800 ms (hedge.after_ms 800), config.targets[1] is sent the same request"));
    }

    @Test
    void aPercentileHedgeWaitsItsDefaultUntilEnoughAnswersWereSeenThenThePercentile() throws Exception {
        Gateway g =
                gateway("{\"mode\":\"fallback\",\"hedge\":{\"percentile\":90,\"min_samples\":10,\"default_ms\":2000,"
                        + "\"min_ms\":100,\"max_ms\":5000}}");
        assertTrue(
                g.explain(chat())
                        .toString()
                        .contains("hedge.default_ms 2000 (0 of 10 answers of config.targets[0]" + " observed for p90)"),
                g.explain(chat()).toString());
        for (int i = 1; i <= 10; i++) {
            CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
            assertEquals(
                    Duration.ofMillis(2000),
                    sleeper.requested().get(sleeper.requested().size() - 1));
            clock.advance(Duration.ofMillis(100L * i)); // a answers in 100, 200, … 1000 ms
            transport.answer(A, FakeReply.chatCompletion("a"));
            assertEquals(200, f.get(5, TimeUnit.SECONDS).status());
        }
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        assertEquals(
                Duration.ofMillis(900),
                sleeper.requested().get(sleeper.requested().size() - 1),
                "p90 of 10");
        transport.answer(A, FakeReply.chatCompletion("a"));
        f.get(5, TimeUnit.SECONDS);
        String explained = g.explain(chat()).toString(); // the last answer came at once: a sample of 0 ms
        assertTrue(
                explained.contains(
                        "within 900 ms (p90 of config.targets[0]'s time to first byte: 900 ms over 11" + " answers)"),
                explained);
    }

    @Test
    void aHedgedLoadbalanceSendsTheSecondSideToTheOtherTarget() throws Exception {
        Gateway g = gateway("{\"mode\":\"loadbalance\",\"hedge\":{\"after_ms\":500}}");
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        String first = transport.host(0);
        sleeper.fireAll();
        assertEquals(2, transport.calls());
        String second = transport.host(1);
        assertFalse(first.equals(second), "the second side went to the other target");
        transport.answer(second.equals("a.test") ? A : B, FakeReply.chatCompletion("second"));
        assertTrue(f.get(5, TimeUnit.SECONDS).bodyAsString().contains("second"));
        assertTrue(transport.cancelled(first.equals("a.test") ? A : B));
    }

    private static Attempt attempt(RequestTrace t, String path) {
        return t.attempts().stream()
                .filter(a -> a.targetPath().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no attempt of " + path + " in " + t));
    }

    private static boolean has(Attempt a, String text) {
        return a.notes().stream().anyMatch(n -> n.contains(text));
    }

    /** A sleeper whose waits end when the test says so, each moving the clock by its duration. */
    static final class HeldSleeper implements Sleeper {
        private final ManualClock clock;
        private final List<Duration> requested = new ArrayList<>();
        private final List<CompletableFuture<Void>> waits = new ArrayList<>();

        HeldSleeper(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized CompletableFuture<Void> sleep(Duration duration) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            requested.add(duration);
            waits.add(f);
            return f;
        }

        synchronized List<Duration> requested() {
            return List.copyOf(requested);
        }

        synchronized boolean cancelled(int i) {
            return waits.get(i).isCancelled();
        }

        /** Ends every wait still pending, the clock moved by the longest. */
        void fireAll() {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            Duration longest = Duration.ZERO;
            synchronized (this) {
                for (int i = 0; i < waits.size(); i++) {
                    if (!waits.get(i).isDone()) {
                        pending.add(waits.get(i));
                        longest = requested.get(i).compareTo(longest) > 0 ? requested.get(i) : longest;
                    }
                }
            }
            clock.advance(longest);
            pending.forEach(w -> w.complete(null));
        }
    }

    /** A transport that holds every call until the test answers it by base URL. */
    static final class HeldTransport implements Transport {
        private final List<UpstreamRequest> requests = new ArrayList<>();
        private final List<CompletableFuture<UpstreamResponse>> answers = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
            CompletableFuture<UpstreamResponse> f = new CompletableFuture<>();
            requests.add(request);
            answers.add(f);
            return f;
        }

        synchronized int calls() {
            return requests.size();
        }

        synchronized String host(int i) {
            return requests.get(i).uri().getHost();
        }

        synchronized String body(int i) {
            return new String(requests.get(i).body(), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** Answers the oldest pending call to {@code base} with {@code reply}. */
        void answer(String base, FakeReply reply) {
            CompletableFuture<UpstreamResponse> pending = null;
            UpstreamRequest request = null;
            synchronized (this) {
                for (int i = 0; i < requests.size(); i++) {
                    if (requests.get(i).uri().toString().startsWith(base)
                            && !answers.get(i).isDone()) {
                        pending = answers.get(i);
                        request = requests.get(i);
                        break;
                    }
                }
            }
            if (pending == null) {
                throw new AssertionError("no pending call to " + base);
            }
            FakeTransport fake = new FakeTransport();
            fake.enqueue(reply);
            pending.complete(fake.send(request).join());
        }

        /** Whether the gateway cancelled a call to {@code base}. */
        synchronized boolean cancelled(String base) {
            for (int i = 0; i < requests.size(); i++) {
                if (requests.get(i).uri().toString().startsWith(base)
                        && answers.get(i).isCancelled()) {
                    return true;
                }
            }
            return false;
        }
    }
}
