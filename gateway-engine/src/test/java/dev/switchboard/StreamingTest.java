package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streams: forwarded as parsed, ended with [DONE], errors visible, upstream cancelled on close. */
class StreamingTest {
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

    static GatewayRequest streamChat(boolean includeUsage) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true"
                        + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    static List<String> drain(EventStream s) {
        List<String> data = new ArrayList<>();
        for (ServerSentEvent e : s) {
            data.add(e.data());
        }
        return data;
    }

    @Test
    void aStreamArrivesChunkByChunkAndEndsWithDone() {
        a.enqueue(StubResponse.chatStream("Hel", "lo"));
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, ""));
        GatewayResponse r = g.execute(streamChat(false));
        assertTrue(r.isStream());
        assertEquals("text/event-stream", r.header("content-type").orElseThrow());
        List<String> events = drain(r.stream());
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertTrue(events.stream().noneMatch(e -> e.contains("\"choices\":[]")), "the usage-only chunk is dropped");
        StringBuilder text = new StringBuilder();
        for (String d : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(d);
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            // the caller did not ask for usage: no chunk carries numbers ("usage": null is passed on as is)
            assertFalse(chunk.path("usage").isObject(), "usage must be stripped when the caller did not ask: " + d);
            text.append(
                    chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals("Hello", text.toString());
    }

    @Test
    void theGatewayAsksForUsageAndRecordsItEvenWhenTheCallerDidNot() {
        a.enqueue(StubResponse.chatStream("a", "b"));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = Gateway.builder()
                .config(RoutingTest.target(a, ""))
                .logSink(sink)
                .build();
        GatewayResponse r = g.execute(streamChat(false));
        drain(r.stream());
        assertTrue(a.lastRequest()
                .json()
                .path("stream_options")
                .path("include_usage")
                .asBoolean());
        RequestTrace t = sink.traces().get(0);
        assertNotNull(t.attempts().get(0).usage());
        assertTrue(t.attempts().get(0).usage().totalTokens() > 0);
    }

    @Test
    void usageChunkIsKeptWhenTheCallerAskedForIt() {
        a.enqueue(StubResponse.chatStream("a"));
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, ""));
        List<String> events = drain(g.execute(streamChat(true)).stream());
        String usageChunk = events.get(events.size() - 2);
        assertTrue(Json.parse(usageChunk).path("usage").path("total_tokens").asInt() > 0, usageChunk);
    }

    @Test
    void aStreamCutBeforeTheFirstEventFallsBackLikeAnyFailure() {
        a.enqueue(StubResponse.chatStream("x", "y").cutAfterEvents(0));
        b.enqueue(StubResponse.chatStream("fine"));
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + RoutingTest.target(a, "")
                + "," + RoutingTest.target(b, "") + "]}");
        GatewayResponse r = g.execute(streamChat(false));
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        List<String> events = drain(r.stream());
        assertTrue(String.join("", events).contains("fine"));
        assertEquals(502, r.trace().attempts().get(0).status());
    }

    @Test
    void aStreamCutAfterTheFirstEventEndsWithAnErrorEventAndAFailedAttempt() {
        a.enqueue(StubResponse.chatStream("one", "two", "three").cutAfterEvents(2));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = Gateway.builder()
                .config(RoutingTest.target(a, ""))
                .logSink(sink)
                .build();
        List<String> events = drain(g.execute(streamChat(false)).stream());
        JsonNode error = Json.parse(events.get(events.size() - 2));
        assertEquals("stream_error", error.path("error").path("type").asText());
        assertEquals("[DONE]", events.get(events.size() - 1));
        Attempt attempt = sink.traces().get(0).attempts().get(0);
        assertEquals("stream_cut", attempt.errorClass());
        assertTrue(attempt.usage().estimated(), "a cut stream's usage is an estimate");
    }

    @Test
    void upstreamErrorStatusOnAStreamIsAnOrdinaryFailure() {
        a.enqueue(StubResponse.error(503, "busy"));
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, ""));
        GatewayResponse r = g.execute(streamChat(false));
        assertFalse(r.isStream());
        assertEquals(503, r.status());
    }

    @Test
    void closingTheStreamCancelsTheUpstream() throws Exception {
        String[] many = new String[200];
        java.util.Arrays.fill(many, "token ");
        a.enqueue(StubResponse.chatStream(many).eventDelay(java.time.Duration.ofMillis(20)));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = Gateway.builder()
                .config(RoutingTest.target(a, ""))
                .logSink(sink)
                .build();
        GatewayResponse r = g.execute(streamChat(false));
        Iterator<ServerSentEvent> it = r.stream().iterator();
        assertTrue(it.hasNext());
        it.next();
        r.stream().close();
        assertFalse(it.hasNext());
        Attempt attempt = sink.traces().get(0).attempts().get(0);
        assertEquals("cancelled", attempt.errorClass());
    }

    @Test
    void thePublisherViewDeliversTheSameEvents() throws Exception {
        a.enqueue(StubResponse.chatStream("p", "q"));
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, ""));
        GatewayResponse r = g.execute(streamChat(false));
        List<String> got = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        r.stream().publisher().subscribe(new Flow.Subscriber<>() {
            Flow.Subscription s;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(1);
            }

            @Override
            public void onNext(ServerSentEvent item) {
                got.add(item.data());
                s.request(1);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(10, TimeUnit.SECONDS);
        assertEquals("[DONE]", got.get(got.size() - 1));
        assertTrue(String.join("", got).contains("\"p\""));
    }
}
