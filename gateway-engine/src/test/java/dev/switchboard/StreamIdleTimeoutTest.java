package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 3: a stream whose upstream sends one event and goes silent ends after its idle
 * timeout ({@code stream_idle_timeout}, or the {@code x-switchboard-stream-idle-timeout} header)
 * with an error event and a recorded failed attempt, and its connection is released. The stub
 * stalls with the connection open; a short timeout (200 ms) and a generous watchdog bound the test.
 */
class StreamIdleTimeoutTest {
    private static final Duration WATCHDOG = Duration.ofSeconds(20);
    private StubUpstream stub;
    private final CompletableFuture<RequestTrace> logged = new CompletableFuture<>();

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private static GatewayRequest.Builder chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private List<String> readAll(GatewayResponse r) {
        return assertTimeoutPreemptively(WATCHDOG, () -> {
            List<String> data = new ArrayList<>();
            for (ServerSentEvent e : r.stream()) {
                data.add(e.data());
            }
            return data;
        });
    }

    private void assertEndedByIdleTimeout(List<String> data) throws Exception {
        assertTrue(data.size() >= 2, "the first event, then the error: " + data);
        JsonNode error = Json.parse(data.get(data.size() - 2)).path("error");
        assertEquals("timeout_error", error.path("type").asText(), data.toString());
        assertTrue(error.path("message").asText().contains("200 ms"), error.toString());
        RequestTrace trace = logged.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        Attempt a = trace.attempts().get(0);
        assertEquals("stream_idle_timeout", a.errorClass());
        assertTrue(stub.awaitOpenConnections(0, WATCHDOG), "the silent upstream's connection was closed");
    }

    @Test
    void aStreamThatGoesSilentAfterItsFirstEventEndsWithAnErrorEvent() throws Exception {
        stub.enqueue(StubResponse.chatStream("one", "two", "three").stallAfterEvents(1));
        try (Gateway g = Gateway.builder()
                .config(RoutingTest.target(stub, "\"stream_idle_timeout\":200"))
                .logSink(logged::complete)
                .build()) {
            GatewayResponse r = g.execute(chat().build());
            assertEquals(200, r.status());
            assertEndedByIdleTimeout(readAll(r));
        }
    }

    @Test
    void theHeaderSetsTheIdleTimeoutForOneRequest() throws Exception {
        stub.enqueue(StubResponse.chatStream("one", "two", "three").stallAfterEvents(1));
        try (Gateway g = Gateway.builder()
                .config(RoutingTest.target(stub, ""))
                .logSink(logged::complete)
                .build()) {
            GatewayResponse r = g.executeAsync(chat().header("x-switchboard-stream-idle-timeout", "200")
                            .build())
                    .get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
            assertEndedByIdleTimeout(readAll(r));
        }
    }

    @Test
    void aStreamWithEventsInsideTheWindowIsNotCut() {
        stub.enqueue(StubResponse.chatStream("a", "b", "c", "d").eventDelay(Duration.ofMillis(20)));
        try (Gateway g = Gateway.builder()
                .config(RoutingTest.target(stub, "\"stream_idle_timeout\":2000"))
                .build()) {
            List<String> data = readAll(g.execute(chat().build()));
            assertEquals("[DONE]", data.get(data.size() - 1));
            assertTrue(data.stream().noneMatch(d -> d.contains("timeout_error")), data.toString());
        }
    }

    @Test
    void theKeyIsValidatedWithADidYouMean() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Gateway.fromConfig(RoutingTest.target(stub, "\"stream_idle_timout\":200")));
        assertTrue(e.getMessage().contains("stream_idle_timeout"), e.getMessage());
        ConfigException zero = assertThrows(
                ConfigException.class, () -> Gateway.fromConfig(RoutingTest.target(stub, "\"stream_idle_timeout\":0")));
        assertTrue(zero.getMessage().contains("/stream_idle_timeout"), zero.getMessage());
        assertTrue(zero.getMessage().contains("positive integer"), zero.getMessage());
    }
}
