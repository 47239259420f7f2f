package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code close()}: afterwards every entry point fails the same way; requests in flight finish or
 * end with a clean 503 {@code gateway_closed} answer, never a RejectedExecutionException text.
 * Waits are bounded ({@code get(10 s)}) only so that a regression fails instead of hanging.
 */
class GatewayLifecycleTest {
    private static final String ONE_TARGET = "{\"provider\":\"openai\",\"api_key\":\"sk-test\"%s}";

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    private static GatewayResponse await(CompletableFuture<GatewayResponse> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static void assertClosedAnswer(GatewayResponse r) {
        assertEquals(503, r.status(), r.json().toString());
        assertEquals("gateway_closed", r.json().path("error").path("type").asText());
        assertTrue(
                r.json().path("error").path("message").asText().contains("gateway was closed"),
                r.json().toString());
        assertFalse(r.json().toString().contains("RejectedExecution"), r.json().toString());
    }

    @Test
    void afterCloseExecuteExecuteAsyncAndExplainAllThrowGatewayIsClosed() {
        // with a retry and a timeout, the old gateway answered 500 "RejectedExecutionException ..."
        Gateway g = Gateway.builder()
                .transport(new FakeTransport())
                .config(ONE_TARGET.formatted(",\"request_timeout\":5000,\"retry\":{\"attempts\":2}"))
                .build();
        assertEquals(200, g.execute(chat()).status());
        g.close();
        IllegalStateException a = assertThrows(IllegalStateException.class, () -> g.execute(chat()));
        IllegalStateException b = assertThrows(IllegalStateException.class, () -> g.executeAsync(chat()));
        IllegalStateException c = assertThrows(IllegalStateException.class, () -> g.explain(chat()));
        assertEquals("gateway is closed", a.getMessage());
        assertEquals("gateway is closed", b.getMessage());
        assertEquals("gateway is closed", c.getMessage());
    }

    @Test
    void closeIsIdempotent() {
        Gateway g = Gateway.builder()
                .transport(new FakeTransport())
                .config(ONE_TARGET.formatted(""))
                .build();
        g.close();
        g.close();
        assertEquals(
                "gateway is closed",
                assertThrows(IllegalStateException.class, () -> g.execute(chat()))
                        .getMessage());
    }

    @Test
    void aRetryWaitingOnTheDefaultSchedulerEndsAtOnceWith503GatewayClosed() throws Exception {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.error(503, "down"));
        Gateway g = Gateway.builder()
                .transport(transport)
                .config(ONE_TARGET.formatted(",\"retry\":{\"attempts\":3,\"backoff\":{\"initial_ms\":50000}}"))
                .build();
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        g.close();
        GatewayResponse r = await(f);
        assertClosedAnswer(r);
        assertEquals(1, transport.calls(), "no attempt starts after close");
        assertEquals("-1", r.header("x-portkey-retry-attempt-count").orElseThrow());
        assertEquals(503, r.trace().attempts().get(0).status(), "the attempt that was made is in the trace");
    }

    @Test
    void aRetryWaitingOnAnInjectedSleeperEndsAtOnceToo() throws Exception {
        HeldSleeper sleeper = new HeldSleeper();
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.error(503, "down"));
        Gateway g = Gateway.builder()
                .transport(transport)
                .sleeper(sleeper)
                .config(ONE_TARGET.formatted(",\"retry\":{\"attempts\":3}"))
                .build();
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        sleeper.asleep.get(10, TimeUnit.SECONDS);
        assertFalse(f.isDone());
        g.close();
        assertClosedAnswer(await(f));
        sleeper.wakeAll(); // the sleeper waking later changes nothing
        assertEquals(1, transport.calls());
    }

    @Test
    void anAttemptUnderWayFinishesAfterClose() throws Exception {
        HeldTransport transport = new HeldTransport();
        Gateway g = Gateway.builder()
                .transport(transport)
                .config(ONE_TARGET.formatted(",\"request_timeout\":60000"))
                .build();
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        assertEquals(1, transport.held.size());
        g.close();
        transport.releaseAll();
        GatewayResponse r = await(f);
        assertEquals(200, r.status(), r.json().toString());
        assertEquals(
                "Hello from the fake transport",
                r.json().path("choices").path(0).path("message").path("content").asText());
    }

    @Test
    void aFallbackDoesNotMoveOnToItsNextTargetAfterClose() throws Exception {
        HeldTransport transport = new HeldTransport();
        transport.fake.enqueue(FakeReply.error(503, "down"));
        Gateway g = Gateway.builder()
                .transport(transport)
                .config("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + ONE_TARGET.formatted("") + ","
                        + ONE_TARGET.formatted("") + "]}")
                .build();
        CompletableFuture<GatewayResponse> f = g.executeAsync(chat());
        g.close();
        transport.releaseAll();
        GatewayResponse r = await(f);
        assertClosedAnswer(r);
        assertEquals(1, transport.fake.calls(), "the second target is never called");
        assertEquals(1, r.trace().attempts().size());
    }

    @Test
    void anOpenStreamRunsToItsEndAfterClose() {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatStream("Hel", "lo"));
        Gateway g = Gateway.builder()
                .transport(transport)
                .config(ONE_TARGET.formatted(""))
                .build();
        GatewayResponse r = g.execute(GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build());
        assertEquals(200, r.status());
        g.close();
        List<String> data = new ArrayList<>();
        try (EventStream s = r.stream()) {
            for (ServerSentEvent e : s) {
                data.add(e.data());
            }
        }
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(0, data.size() - 1)) {
            assertFalse(Json.parse(d).has("error"), d);
            text.append(Json.parse(d)
                    .path("choices")
                    .path(0)
                    .path("delta")
                    .path("content")
                    .asText(""));
        }
        assertEquals("Hello", text.toString());
    }

    /** A sleeper whose waits end only when told; {@link #asleep} completes at the first sleep. */
    private static final class HeldSleeper implements Sleeper {
        final CompletableFuture<Void> asleep = new CompletableFuture<>();
        private final ConcurrentLinkedQueue<CompletableFuture<Void>> waits = new ConcurrentLinkedQueue<>();

        @Override
        public CompletableFuture<Void> sleep(Duration duration) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            waits.add(f);
            asleep.complete(null);
            return f;
        }

        void wakeAll() {
            waits.forEach(f -> f.complete(null));
        }
    }

    /** Holds each call until {@link #releaseAll}, then answers it from a {@link FakeTransport}. */
    private static final class HeldTransport implements Transport {
        final FakeTransport fake = new FakeTransport();
        final List<Runnable> held = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
            CompletableFuture<UpstreamResponse> out = new CompletableFuture<>();
            held.add(() -> fake.send(request).whenComplete((v, e) -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            }));
            return out;
        }

        void releaseAll() {
            List<Runnable> now;
            synchronized (this) {
                now = new ArrayList<>(held);
                held.clear();
            }
            now.forEach(Runnable::run);
        }
    }
}
