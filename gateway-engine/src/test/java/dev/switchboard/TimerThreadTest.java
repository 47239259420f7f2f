package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.cache.InMemoryCacheStore;
import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CachedAnswer;
import dev.switchboard.spi.Charge;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.StateStore;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No request work ever runs on the gateway's timer thread: a cache store, a state store, a log sink
 * and a guardrail check record the thread of every call while requests go through retries (the
 * wait ending on a thread named like the timer), real timeouts, streams and cache hits. The work
 * continues on the caller's thread for {@code execute} and on the gateway's executor for
 * {@code executeAsync}.
 */
class TimerThreadTest {
    private static final String TIMER = "switchboard-timer";

    private final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
    private final Semaphore sinkCalls = new Semaphore(0);
    private StubUpstream stub;
    private ExecutorService appPool;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        AtomicInteger n = new AtomicInteger();
        appPool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "app-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void stop() {
        stub.close();
        appPool.shutdownNow();
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void afterARetryWaitEndedOnTheTimerTheRequestGoesOnOnTheCallersThread() {
        Gateway g = gateway("", new TimerThreadSleeper());
        stub.enqueue(StubResponse.error(503, "busy"));
        GatewayResponse r = g.execute(chat("retry me"));
        assertEquals(200, r.status());
        assertEquals(1, r.trace().retryAttemptCount());
        assertCalled("cache.get", "cache.put", "state.tryCharge", "check", "sink");
        assertNoneOnTheTimer();
        assertEquals(
                List.of(Thread.currentThread().getName()),
                threadsOf("sink"),
                "execute: the rest of the request ran on the caller's thread, not on the thread that ended the wait");
    }

    @Test
    void afterARetryWaitEndedOnTheTimerAnAsyncRequestGoesOnOnTheGatewaysExecutor() throws Exception {
        Gateway g = gateway("", new TimerThreadSleeper());
        stub.enqueue(StubResponse.error(503, "busy"));
        GatewayResponse r = g.executeAsync(chat("retry me async")).get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals(1, r.trace().retryAttemptCount());
        assertCalled("cache.get", "cache.put", "state.tryCharge", "check", "sink");
        assertNoneOnTheTimer();
        assertTrue(
                threadsOf("sink").get(0).startsWith("app-worker-"),
                threadsOf("sink").toString());
        assertTrue(
                threadsOf("cache.put").get(0).startsWith("app-worker-"),
                threadsOf("cache.put").toString());
    }

    @Test
    void theDefaultTimerEndsRealWaitsAndTimeoutsWithoutRunningRequestWork() throws Exception {
        Gateway g = gateway("\"request_timeout\":200,", null); // the gateway's own Scheduler-backed sleeper
        stub.enqueue(StubResponse.hang());
        GatewayResponse timedOutThenRetried = g.execute(chat("slow then fine"));
        assertEquals(200, timedOutThenRetried.status());
        assertEquals("timeout", timedOutThenRetried.trace().attempts().get(0).errorClass());

        stub.enqueue(StubResponse.hang());
        GatewayResponse async = g.executeAsync(chat("slow then fine, async")).get(10, TimeUnit.SECONDS);
        assertEquals(200, async.status());
        assertEquals("timeout", async.trace().attempts().get(0).errorClass());

        stub.enqueue(StubResponse.error(503, "busy"));
        assertEquals(
                200,
                g.executeAsync(chat("a real 1 ms wait"))
                        .get(10, TimeUnit.SECONDS)
                        .status());
        assertCalled("cache.get", "cache.put", "state.tryCharge", "check", "sink");
        assertNoneOnTheTimer();
    }

    @Test
    void streamsAndTheirTimeoutsAndRetriesStayOffTheTimer() throws Exception {
        Gateway g = gateway("\"request_timeout\":200,", new TimerThreadSleeper());
        stub.enqueue(StubResponse.hang()); // no first event in time
        stub.enqueue(StubResponse.error(503, "busy")); // then a retryable status
        stub.enqueue(StubResponse.chatStream("hello", " world"));
        GatewayResponse r = g.execute(streamChat("stream me"));
        assertEquals(200, r.status());
        assertTrue(String.join("", StreamingTest.drain(r.stream())).contains("world"));

        stub.enqueue(StubResponse.hang());
        stub.enqueue(StubResponse.chatStream("async", " stream"));
        GatewayResponse a = g.executeAsync(streamChat("stream me async")).get(10, TimeUnit.SECONDS);
        assertEquals(200, a.status());
        assertTrue(String.join("", StreamingTest.drain(a.stream())).contains("stream"));
        awaitSinks(2);
        assertCalled("cache.get", "cache.put", "state.tryCharge", "check", "sink");
        assertNoneOnTheTimer();
    }

    @Test
    void cacheHitsJsonAndStreamedStayOffTheTimer() throws Exception {
        Gateway g = gateway("", new TimerThreadSleeper());
        stub.enqueue(StubResponse.error(503, "busy"));
        assertEquals(200, g.execute(chat("cache me")).status());
        GatewayResponse hit = g.executeAsync(chat("cache me")).get(10, TimeUnit.SECONDS);
        assertEquals(CacheStatus.HIT, hit.trace().cacheStatus());

        stub.enqueue(StubResponse.chatStream("cached", " stream"));
        GatewayResponse first = g.execute(streamChat("cache my stream"));
        StreamingTest.drain(first.stream());
        GatewayResponse replay = g.executeAsync(streamChat("cache my stream")).get(10, TimeUnit.SECONDS);
        assertTrue(String.join("", StreamingTest.drain(replay.stream())).contains("stream"));
        awaitSinks(4);
        assertEquals(CacheStatus.HIT, replay.trace().cacheStatus());
        assertCalled("cache.get", "cache.put", "check", "sink");
        assertNoneOnTheTimer();
    }

    @Test
    void withoutAnExecutorAsyncWorkRunsOnTheGatewaysOwnNamedDaemonWorkers() throws Exception {
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\",\"retry\":{\"attempts\":1,\"on_status_codes\":[503]}}")
                .sleeper(new TimerThreadSleeper())
                .logSink(trace -> {
                    record("sink");
                    calls.add("daemon=" + Thread.currentThread().isDaemon());
                })
                .build();
        stub.enqueue(StubResponse.error(503, "busy"));
        assertEquals(
                200,
                g.executeAsync(chat("default pool")).get(10, TimeUnit.SECONDS).status());
        // the gateway's own threads: a worker, or the send thread that received the answer and carried on
        assertTrue(
                threadsOf("sink").get(0).startsWith("switchboard-worker-")
                        || threadsOf("sink").get(0).startsWith("switchboard-send-"),
                threadsOf("sink").toString());
        assertTrue(calls.contains("daemon=true"), calls.toString());
        g.close();
    }

    // ---------------------------------------------------------------- set-up

    private Gateway gateway(String extra, Sleeper sleeper) {
        String config = "{" + extra + "\"provider\":\"@key\","
                + "\"retry\":{\"attempts\":2,\"on_status_codes\":[503],\"backoff\":{\"initial_ms\":1,\"jitter\":0}},"
                + "\"cache\":{\"mode\":\"simple\",\"max_age\":60},"
                + "\"input_guardrails\":[{\"test.thread\":{}}],\"output_guardrails\":[{\"test.thread\":{}}]}";
        Gateway.Builder b = Gateway.builder()
                .config(config)
                .provider(
                        "@key",
                        ProviderCredentials.builder("openai")
                                .secret("sk-test")
                                .baseUrl(stub.openAiBaseUrl())
                                .limits(KeyLimits.builder()
                                        .requestsPerMinute(1000)
                                        .build())
                                .build())
                .register(new RecordingCheck())
                .cacheStore(new RecordingCacheStore())
                .stateStore(new RecordingStateStore())
                .logSink(new RecordingSink())
                .executor(appPool);
        if (sleeper != null) {
            b.sleeper(sleeper);
        }
        return b.build();
    }

    private static GatewayRequest chat(String text) {
        return GatewayRequest.chat(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}")
                .build();
    }

    private static GatewayRequest streamChat(String text) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + text + "\"}]}")
                .build();
    }

    private void record(String what) {
        calls.add(what + "@" + Thread.currentThread().getName());
    }

    private List<String> threadsOf(String what) {
        List<String> out = new ArrayList<>();
        for (String c : calls) {
            if (c.startsWith(what + "@")) {
                out.add(c.substring(what.length() + 1));
            }
        }
        return out;
    }

    private void assertCalled(String... components) {
        for (String c : components) {
            assertFalse(threadsOf(c).isEmpty(), c + " was never called: " + calls);
        }
    }

    private void assertNoneOnTheTimer() {
        for (String c : calls) {
            assertFalse(c.endsWith("@" + TIMER), "ran on the timer thread: " + c + " (all calls: " + calls + ")");
        }
    }

    /** Waits (bounded) until the sinks saw {@code n} finished requests. */
    private void awaitSinks(int n) throws InterruptedException {
        assertTrue(sinkCalls.tryAcquire(n, 10, TimeUnit.SECONDS), "sinks: " + threadsOf("sink"));
    }

    // ---------------------------------------------------------------- recorders

    /**
     * Ends every wait from a fresh thread named like the gateway's timer, as the default sleeper
     * does, and only once the thread that asked for the wait went idle (blocked or parked): so
     * whatever follows the wait is attached by then, and would run on this thread unless the
     * gateway hands it off.
     */
    private static final class TimerThreadSleeper implements Sleeper {
        @Override
        public CompletableFuture<Void> sleep(Duration duration) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            Thread asker = Thread.currentThread();
            Thread t = new Thread(
                    () -> {
                        while (asker.getState() == Thread.State.RUNNABLE || asker.getState() == Thread.State.BLOCKED) {
                            Thread.onSpinWait();
                        }
                        f.complete(null);
                    },
                    TIMER);
            t.setDaemon(true);
            t.start();
            return f;
        }
    }

    private final class RecordingCacheStore implements CacheStore {
        private final InMemoryCacheStore delegate = new InMemoryCacheStore(Clock.systemUTC(), 100);

        @Override
        public Optional<CachedAnswer> get(String key) {
            record("cache.get");
            return delegate.get(key);
        }

        @Override
        public void put(String key, CachedAnswer answer, Duration ttl) {
            record("cache.put");
            delegate.put(key, answer, ttl);
        }

        @Override
        public void remove(String key) {
            record("cache.remove");
            delegate.remove(key);
        }
    }

    private final class RecordingStateStore implements StateStore {
        private final InMemoryStateStore delegate = new InMemoryStateStore(Clock.systemUTC());

        @Override
        public Optional<Charge> tryCharge(List<Charge> charges) {
            record("state.tryCharge");
            return delegate.tryCharge(charges);
        }

        @Override
        public void adjust(List<Charge> deltas) {
            record("state.adjust");
            delegate.adjust(deltas);
        }

        @Override
        public long current(String key) {
            record("state.current");
            return delegate.current(key);
        }
    }

    private final class RecordingSink implements LogSink {
        @Override
        public void log(RequestTrace trace) {
            record("sink");
            sinkCalls.release();
        }
    }

    private final class RecordingCheck implements GuardrailCheck {
        @Override
        public String id() {
            return "test.thread";
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            record("check");
            return CheckOutcome.of(true, null);
        }
    }
}
