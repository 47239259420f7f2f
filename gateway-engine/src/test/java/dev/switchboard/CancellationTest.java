package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.CallListener;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 1: cancelling {@code executeAsync}'s future cancels the upstream call and
 * releases its connection in every state — before the headers, while a whole answer is read, a
 * stream before its first event, a stream whose first event came but that was not handed over yet —
 * and is harmless after. The stub stalls with the connection open ({@link StubResponse#stallAfterEvents})
 * and reports when the client let go; the config retries and has a fallback, which must not start.
 */
class CancellationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private StubUpstream stub;
    private final CompletableFuture<RequestTrace> logged = new CompletableFuture<>();
    private Gateway gateway;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        stub.close();
    }

    private Gateway gateway(CallListener.Factory listeners) {
        String target =
                "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}";
        Gateway.Builder b = Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"fallback\"},"
                        + "\"retry\":{\"attempts\":3,\"on_status_codes\":[499,502,503]},\"targets\":[" + target + ","
                        + target + "]}")
                .logSink(logged::complete);
        if (listeners != null) {
            b.callListenerFactory(listeners);
        }
        gateway = b.build();
        return gateway;
    }

    private static GatewayRequest chat(boolean stream) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you?\"}]}")
                .build();
    }

    /** Cancels once the stub holds the request, then expects the connection closed and one attempt recorded. */
    private void cancelAndExpectReleased(StubResponse answer, boolean stream) throws Exception {
        stub.enqueue(answer);
        CompletableFuture<GatewayResponse> f = gateway(null).executeAsync(chat(stream));
        assertTrue(stub.awaitHits(1, WAIT), "the request reached the stub");
        assertEquals(1, stub.openConnections());
        assertTrue(f.cancel(true));
        assertTrue(stub.awaitOpenConnections(0, WAIT), "the cancelled call's connection was closed");
        assertCancelledAttempt();
    }

    private void assertCancelledAttempt() throws Exception {
        RequestTrace trace = logged.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, trace.attempts().size(), "no retry and no fallback after the cancel: " + trace.attempts());
        Attempt a = trace.attempts().get(0);
        assertEquals("cancelled", a.errorClass());
        assertNotNull(a.usage(), "the provider had the request: it may bill it");
        assertTrue(a.usage().estimated(), "recorded at the gateway's estimate");
        assertTrue(a.usage().promptTokens() > 0);
        assertEquals(1, stub.hits(), "nothing else was sent");
    }

    @Test
    void cancellingBeforeTheHeadersClosesTheConnection() throws Exception {
        cancelAndExpectReleased(StubResponse.hang(), false);
    }

    @Test
    void cancellingWhileAWholeAnswerIsReadClosesTheConnection() throws Exception {
        // headers and half of the body, then nothing: the JDK client is reading the body
        cancelAndExpectReleased(
                StubResponse.chatCompletion("a long answer ".repeat(100)).stallAfterEvents(0), false);
    }

    @Test
    void cancellingAStreamBeforeItsFirstEventClosesTheConnection() throws Exception {
        cancelAndExpectReleased(StubResponse.chatStream("a", "b", "c").stallAfterEvents(0), true);
    }

    @Test
    void aStreamReadyButNotHandedOverWhenCancelledIsClosed() throws Exception {
        stub.enqueue(StubResponse.chatStream("a", "b", "c").stallAfterEvents(2));
        AtomicReference<CompletableFuture<GatewayResponse>> future = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        // the first event is in: cancel right then, before the engine hands the stream over
        gateway(request -> new CallListener() {
            @Override
            public void firstEvent(String targetPath) {
                try {
                    assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                future.get().cancel(true);
            }
        });
        future.set(gateway.executeAsync(chat(true)));
        started.countDown();
        assertTrue(stub.awaitHits(1, WAIT));
        assertTrue(stub.awaitOpenConnections(0, WAIT), "the stream nobody got was closed, its connection with it");
        assertTrue(future.get().isCancelled());
        assertCancelledAttempt();
    }

    @Test
    void cancellingAfterTheAnswerChangesNothing() throws Exception {
        stub.enqueue(StubResponse.chatStream("a", "b", "c"));
        CompletableFuture<GatewayResponse> f = gateway(null).executeAsync(chat(true));
        GatewayResponse r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(f.cancel(true), "already answered");
        List<String> data = new ArrayList<>();
        for (ServerSentEvent e : r.stream()) {
            data.add(e.data());
        }
        assertTrue(data.size() >= 4, "the stream handed over runs to its end: " + data);
        assertEquals("[DONE]", data.get(data.size() - 1));
        RequestTrace trace = logged.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(trace.attempts().get(0).succeeded());
    }
}
