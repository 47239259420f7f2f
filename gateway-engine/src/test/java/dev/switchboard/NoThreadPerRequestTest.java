package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubUpstream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 1: in steady state no request starts a thread — not a stream read after
 * {@code execute}, not {@code executeAsync}, whole or streamed. The JDK client's own
 * {@code sendAsync} hands each response to {@code CompletableFuture}'s default executor, a new thread
 * per task when the common pool has a single thread (2 cores); the gateway waits on reused threads.
 * Counted with the JVM's count of started threads, before and after N requests of each kind.
 */
class NoThreadPerRequestTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void threadStartsDoNotGrowWithTheNumberOfRequests() throws Exception {
        try (StubUpstream stub = StubUpstream.start();
                Gateway g = Gateway.fromConfig(RoutingTest.target(stub, ""))) {
            round(g, 30); // warm-up: connection, pools, class loading
            long small = startedDuring(g, 20);
            long large = startedDuring(g, 100);
            // 300 requests (100 of each kind): a thread per request would start at least 300
            assertTrue(
                    large < 30, "threads started during 300 requests: " + large + " (20 of each kind: " + small + ")");
            assertTrue(
                    large <= small + 15,
                    "thread starts grow with N: " + small + " for 60 requests, " + large + " for 300");
        }
    }

    private static long startedDuring(Gateway g, int n) throws Exception {
        long before = THREADS.getTotalStartedThreadCount();
        round(g, n);
        return THREADS.getTotalStartedThreadCount() - before;
    }

    /** {@code n} each of: a stream through execute, a whole answer through executeAsync, a stream through executeAsync. */
    private static void round(Gateway g, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            GatewayResponse s = g.execute(StreamingTest.streamChat(false));
            List<String> events = StreamingTest.drain(s.stream());
            assertEquals("[DONE]", events.get(events.size() - 1));

            GatewayResponse whole = g.executeAsync(RoutingTest.chat()).get(10, TimeUnit.SECONDS);
            assertEquals(200, whole.status());

            GatewayResponse async =
                    g.executeAsync(StreamingTest.streamChat(false)).get(10, TimeUnit.SECONDS);
            List<String> asyncEvents = StreamingTest.drain(async.stream());
            assertEquals("[DONE]", asyncEvents.get(asyncEvents.size() - 1));
        }
    }
}
