package dev.switchboard.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's connection leak, at the transport: a whole answer whose body stalls, its send
 * interrupted (what a request timeout does) by many callers at once. On Java 17 {@code
 * HttpClient.send} cancels its own future when interrupted; after the answer's headers came that
 * leaves the request counted as pending in the client for ever, so the client's selector thread
 * never ends and its idle keep-alive connections stay open after the client is gone. The transport
 * must abort such a send so that the client forgets it.
 */
class InterruptedSendTest {
    private static final int CALLERS = 24;
    private static final int ROUNDS = 8;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void interruptedStalledSendsLeaveNothingOpenOnceTheClientIsGone() throws Exception {
        try (StubUpstream stalled = StubUpstream.start();
                StubUpstream idle = StubUpstream.start()) {
            for (int i = 0; i < CALLERS * ROUNDS; i++) {
                stalled.enqueue(StubResponse.chatStream("Once", " upon").stallAfterEvents(i % 3));
            }
            idle.enqueue(StubResponse.chatCompletion("ok"));
            AtomicInteger interrupted = new AtomicInteger();
            sendAndInterrupt(stalled, idle, interrupted);

            assertEquals(CALLERS * ROUNDS, interrupted.get(), "every stalled send ended interrupted");
            assertTrue(stalled.awaitOpenConnections(0, WAIT), "the stalled answers' connections were closed");
            assertEquals(1, idle.openConnections(), "the good answer's connection is kept alive in the pool");
            // the client is unreachable now: with no request left pending its selector thread ends,
            // closing the pooled connection (Java 17's HttpClient has no close())
            assertTrue(
                    awaitClosedWhileCollecting(idle),
                    "the idle keep-alive connection of the collected client is still open: the client still"
                            + " counts a request as pending");
        }
    }

    /** Runs the sends with a client only this method (and the JDK) can reach. */
    private static void sendAndInterrupt(StubUpstream stalled, StubUpstream idle, AtomicInteger interrupted)
            throws Exception {
        HttpClient client = JdkHttpTransport.defaultClient();
        JdkHttpTransport transport = new JdkHttpTransport(client);
        for (int round = 0; round < ROUNDS; round++) {
            int hitsBefore = stalled.hits();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                Thread t = new Thread(() -> {
                    try {
                        transport.sendBlocking(post(stalled), false);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    } catch (Exception e) {
                        // counted as not interrupted: the assertion names it
                    }
                });
                callers.add(t);
                t.start();
            }
            // interrupt once every request reached the stub: its headers are on their way or in
            assertTrue(stalled.awaitHits(hitsBefore + CALLERS, WAIT), "the stub got every request");
            for (Thread t : callers) {
                t.interrupt();
            }
            for (Thread t : callers) {
                t.join(WAIT.toMillis());
                assertTrue(!t.isAlive(), "an interrupted send returned");
            }
        }
        byte[] good = transport.sendBlocking(post(idle), false).readAll().get();
        assertTrue(new String(good, StandardCharsets.UTF_8).contains("ok"), "the good answer");
    }

    private static UpstreamRequest post(StubUpstream stub) {
        return UpstreamRequest.post(
                URI.create(stub.openAiBaseUrl() + "/chat/completions"),
                Map.of("content-type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Polls until {@code stub} has no open connection, collecting garbage meanwhile (the JDK
     * client's selector checks every few seconds whether its client is still referenced).
     */
    private static boolean awaitClosedWhileCollecting(StubUpstream stub) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!stub.awaitOpenConnections(0, Duration.ofMillis(200))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            System.gc();
        }
        return true;
    }
}
