package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StubUpstreamFaultTest {
    private final StubUpstream stub = StubUpstream.start();
    private final StubHttp http = new StubHttp(stub);

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void cutAfterEventsDeliversThoseEventsThenFailsTheReadWithoutDone() throws Exception {
        stub.enqueue(StubResponse.chatStream("a", "b", "c").cutAfterEvents(2));

        HttpResponse<Flow.Publisher<List<ByteBuffer>>> r = http.client.send(
                http.post("/chat/completions", "{\"stream\":true}").build(), HttpResponse.BodyHandlers.ofPublisher());
        StubHttp.StreamOutcome outcome = StubHttp.collect(r.body());

        assertEquals(200, r.statusCode());
        assertInstanceOf(IOException.class, outcome.error());
        assertEquals(2, outcome.events().size());
        assertEquals(
                "assistant",
                Json.parse(outcome.events().get(0).data())
                        .at("/choices/0/delta/role")
                        .asText());
        assertEquals(
                "a",
                Json.parse(outcome.events().get(1).data())
                        .at("/choices/0/delta/content")
                        .asText());
        assertFalse(outcome.events().stream().anyMatch(ServerSentEvent::isDone));
    }

    @Test
    void cutAfterZeroEventsSendsOnlyTheHeaders() throws Exception {
        stub.enqueue(StubResponse.sse(List.of("{}")).cutAfterEvents(0));

        HttpResponse<Flow.Publisher<List<ByteBuffer>>> r =
                http.client.send(http.post("/chat/completions", "{}").build(), HttpResponse.BodyHandlers.ofPublisher());
        StubHttp.StreamOutcome outcome = StubHttp.collect(r.body());

        assertEquals(200, r.statusCode());
        assertInstanceOf(IOException.class, outcome.error());
        assertTrue(outcome.events().isEmpty());
    }

    @Test
    void cutOnAPlainBodyTruncatesIt() {
        stub.enqueue(StubResponse.chatCompletion("a long enough answer").cutAfterEvents(1));

        assertThrows(IOException.class, () -> http.postJson("/chat/completions", "{}"));
    }

    @Test
    void resetConnectionFailsTheCallWithAnIOExceptionAfterTheRequestArrived() {
        stub.enqueue(StubResponse.resetConnection());

        assertThrows(IOException.class, () -> http.postJson("/chat/completions", "{\"model\":\"gpt-4o\"}"));
        assertEquals(1, stub.hits());
        assertEquals("gpt-4o", stub.lastRequest().json().path("model").asText());
    }

    @Test
    void theStubServesAgainAfterAReset() throws Exception {
        stub.enqueue(StubResponse.resetConnection());
        assertThrows(IOException.class, () -> http.postJson("/chat/completions", "{}"));

        assertEquals(200, http.postJson("/chat/completions", "{}").statusCode());
    }

    @Test
    void hangLeavesTheClientToTimeOut() {
        stub.enqueue(StubResponse.hang());

        assertThrows(
                HttpTimeoutException.class,
                () -> http.send(http.post("/chat/completions", "{}")
                        .timeout(Duration.ofMillis(200))
                        .build()));
    }

    @Test
    void closingTheStubReleasesAHangingCall() {
        stub.enqueue(StubResponse.hang());
        CompletableFuture<HttpResponse<String>> call = http.client.sendAsync(
                http.post("/chat/completions", "{}").build(), HttpResponse.BodyHandlers.ofString());

        stub.close();

        CompletionException e = assertThrows(CompletionException.class, call::join);
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void aDelayedResponseArrivesAfterAnUndelayedOneSentLater() throws Exception {
        // The delay is long enough that only a missing delay could let the slow call finish first;
        // closing the stub then ends it, so the test never waits for it.
        stub.enqueue("/slow", StubResponse.chatCompletion("slow").delay(Duration.ofMinutes(5)));
        CompletableFuture<HttpResponse<String>> slow =
                http.client.sendAsync(http.post("/slow", "{}").build(), HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> fast = http.postJson("/chat/completions", "{}");

        assertEquals(200, fast.statusCode());
        assertFalse(slow.isDone(), "the delayed answer must not have been sent yet");
        stub.close();
        assertThrows(CompletionException.class, slow::join);
    }

    @Test
    void aShortDelayStillDeliversTheResponse() throws Exception {
        stub.enqueue(StubResponse.chatStream("x").delay(Duration.ofMillis(20)).eventDelay(Duration.ofMillis(1)));

        HttpResponse<InputStream> r = http.client.send(
                http.post("/chat/completions", "{}").build(), HttpResponse.BodyHandlers.ofInputStream());

        List<ServerSentEvent> events = StubHttp.events(r.body());
        assertTrue(events.get(events.size() - 1).isDone());
    }

    @Test
    void delayAppliesBeforeErrorStatusesToo() throws Exception {
        stub.enqueue(
                StubResponse.error(503, "busy").delay(Duration.ofMillis(10)).retryAfter("1"));

        HttpResponse<String> r = http.postJson("/chat/completions", "{}");

        assertEquals(503, r.statusCode());
        assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());
    }
}
