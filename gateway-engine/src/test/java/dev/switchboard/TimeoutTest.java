package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-attempt timeouts. The stub never answers ({@code hang}), so the outcome does not depend on
 * how fast the machine is: only the gateway's timer can end the attempt.
 */
class TimeoutTest {
    private StubUpstream a;
    private StubUpstream b;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void anAttemptThatExceedsRequestTimeoutAnswers408WithTimeoutError() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, "\"request_timeout\":150"));
        GatewayResponse r = g.execute(RoutingTest.chat());
        assertEquals(408, r.status());
        assertEquals("timeout_error", r.json().path("error").path("type").asText());
        assertEquals(
                "Request exceeded the timeout sent in the request: 150ms",
                r.json().path("error").path("message").asText());
        assertEquals("timeout", r.trace().attempts().get(0).errorClass());
    }

    @Test
    void aTimeoutFallsBackToTheNextTarget() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig("{\"request_timeout\":150,\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                + RoutingTest.target(a, "") + "," + RoutingTest.target(b, "") + "]}");
        GatewayResponse r = g.execute(RoutingTest.chat());
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
    }

    @Test
    void timeoutsAreRetried() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.builder()
                .config(RoutingTest.target(
                        a, "\"request_timeout\":150,\"retry\":{\"attempts\":1," + "\"on_status_codes\":[429]}"))
                .sleeper(new ManualSleeper(null))
                .build();
        GatewayResponse r = g.execute(RoutingTest.chat());
        assertEquals(200, r.status());
        assertEquals(2, a.hits());
    }

    @Test
    void theTimeoutHeaderOverridesTheConfig() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, "\"request_timeout\":600000"));
        GatewayResponse r = g.execute(RoutingTest.chat().toBuilder()
                .header("x-portkey-request-timeout", "100")
                .build());
        assertEquals(408, r.status());
    }

    @Test
    void forStreamsTheTimeoutCoversOnlyTheWaitForTheFirstEvent() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, "\"request_timeout\":1000"));
        GatewayResponse r = g.execute(StreamingTest.streamChat(false));
        assertEquals(408, r.status());

        // a stream whose first event is prompt is not cut later, however long it runs (here > 2 s)
        a.enqueue(StubResponse.chatStream("slow", "but", "steady").eventDelay(java.time.Duration.ofMillis(500)));
        GatewayResponse ok = g.execute(StreamingTest.streamChat(false));
        assertEquals(200, ok.status());
        String all = String.join("", StreamingTest.drain(ok.stream()));
        assertTrue(all.contains("steady") && all.endsWith("[DONE]"), all);
    }

    @Test
    void aTimedOutBlockingCallLeavesTheCallersThreadUninterrupted() {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, "\"request_timeout\":100"));
        assertEquals(408, g.execute(RoutingTest.chat()).status());
        assertEquals(false, Thread.currentThread().isInterrupted(), "the gateway's own interrupt must not leak");
        assertEquals(200, g.execute(RoutingTest.chat()).status());
    }

    @Test
    void asyncCallsTimeOutToo() throws Exception {
        a.enqueue(StubResponse.hang());
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, "\"request_timeout\":100"));
        assertEquals(408, g.executeAsync(RoutingTest.chat()).get().status());
    }
}
