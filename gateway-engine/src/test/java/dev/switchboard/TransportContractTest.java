package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's core scenarios — fallback, retry, timeout, stream, cut stream, cache — on three
 * transports: the default one (Switchboard's own HTTP/1.1 client), the JDK {@code HttpClient} one
 * (selected by {@code Gateway.Builder.httpClient}, with its synchronous fast path) and a test-only
 * one over {@code HttpURLConnection} that only implements {@link dev.switchboard.spi.Transport#send}.
 * The engine reaches providers through the {@code Transport} SPI alone, so all behave the same.
 */
class TransportContractTest {
    private StubUpstream a;
    private StubUpstream b;
    private UrlConnectionTransport urlConnection;

    static Stream<String> transports() {
        return Stream.of("default", "jdk", "urlconnection");
    }

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
        urlConnection = new UrlConnectionTransport();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        urlConnection.close();
    }

    private Gateway.Builder builder(String transport, String config) {
        Gateway.Builder g = Gateway.builder().config(config);
        return switch (transport) {
            case "default" -> g;
            case "jdk" -> g.httpClient(dev.switchboard.internal.http.JdkHttpTransport.defaultClient());
            default -> g.transport(urlConnection);
        };
    }

    private void assertTransportUsed(String transport) {
        if ("urlconnection".equals(transport)) {
            assertTrue(urlConnection.sends() > 0, "the test transport carried the calls");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void fallbackMovesOnWhenTheFirstTargetAnswers503(String transport) throws Exception {
        a.enqueue(StubResponse.error(503, "down"));
        a.enqueue(StubResponse.error(503, "down"));
        Gateway g = builder(
                        transport,
                        "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + RoutingTest.target(a, "") + ","
                                + RoutingTest.target(b, "") + "]}")
                .build();
        GatewayResponse blocking = g.execute(RoutingTest.chat());
        assertEquals(200, blocking.status());
        assertEquals(
                "config.targets[1]",
                blocking.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(503, blocking.trace().attempts().get(0).status());
        GatewayResponse async = g.executeAsync(RoutingTest.chat()).get(10, TimeUnit.SECONDS);
        assertEquals(200, async.status());
        assertEquals(2, async.trace().attempts().size());
        assertTransportUsed(transport);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void retryTriesTheSameTargetAgainAfterARetryableStatus(String transport) {
        a.enqueue(StubResponse.error(429, "slow down"));
        Gateway g = builder(transport, RoutingTest.target(a, "\"retry\":{\"attempts\":2,\"on_status_codes\":[429]}"))
                .sleeper(new ManualSleeper(null))
                .build();
        GatewayResponse r = g.execute(RoutingTest.chat());
        assertEquals(200, r.status(), () -> r.json() + " " + r.trace());
        assertEquals(1, r.trace().retryAttemptCount());
        assertEquals(2, a.hits());
        assertTransportUsed(transport);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void anAttemptThatHangsTimesOutAnd408sAndTheNextCallStillWorks(String transport) throws Exception {
        a.enqueue(StubResponse.hang());
        Gateway g = builder(transport, RoutingTest.target(a, "\"request_timeout\":150"))
                .build();
        GatewayResponse r = g.execute(RoutingTest.chat());
        assertEquals(408, r.status());
        assertEquals("timeout", r.trace().attempts().get(0).errorClass());
        assertFalse(Thread.currentThread().isInterrupted(), "the timeout's interrupt must not leak to the caller");
        a.enqueue(StubResponse.hang());
        assertEquals(
                408,
                g.executeAsync(RoutingTest.chat()).get(10, TimeUnit.SECONDS).status());
        assertEquals(200, g.execute(RoutingTest.chat()).status());
        assertTransportUsed(transport);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aStreamArrivesEventByEventAndEndsWithDone(String transport) throws Exception {
        a.enqueue(StubResponse.chatStream("Hello", " there"));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = builder(transport, RoutingTest.target(a, "")).logSink(sink).build();
        GatewayResponse r = g.execute(StreamingTest.streamChat(false));
        assertEquals(200, r.status());
        List<String> events = StreamingTest.drain(r.stream());
        assertTrue(String.join("", events).contains("there"), events.toString());
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals(null, sink.traces().get(0).attempts().get(0).errorClass());
        assertTransportUsed(transport);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aStreamCutAfterItsFirstEventEndsWithAnErrorEventAndAFailedAttempt(String transport) {
        a.enqueue(StubResponse.chatStream("one", "two", "three").cutAfterEvents(2));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = builder(transport, RoutingTest.target(a, "")).logSink(sink).build();
        List<String> events = StreamingTest.drain(g.execute(StreamingTest.streamChat(false)).stream());
        JsonNode error = Json.parse(events.get(events.size() - 2));
        assertEquals("stream_error", error.path("error").path("type").asText());
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals("stream_cut", sink.traces().get(0).attempts().get(0).errorClass());
        assertTransportUsed(transport);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aCachedAnswerIsServedWithoutCallingTheProviderAgain(String transport) throws Exception {
        Gateway g = builder(transport, RoutingTest.target(a, "\"cache\":{\"mode\":\"simple\",\"max_age\":60}"))
                .build();
        GatewayResponse first = g.execute(RoutingTest.chat());
        assertEquals(CacheStatus.MISS, first.trace().cacheStatus());
        GatewayResponse second = g.executeAsync(RoutingTest.chat()).get(10, TimeUnit.SECONDS);
        assertEquals(CacheStatus.HIT, second.trace().cacheStatus());
        assertEquals(first.json().path("choices"), second.json().path("choices"));
        assertEquals(1, a.hits());
        assertTransportUsed(transport);
    }
}
