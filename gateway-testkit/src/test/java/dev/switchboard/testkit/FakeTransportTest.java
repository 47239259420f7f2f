package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import dev.switchboard.spi.support.SseDecoder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class FakeTransportTest {
    private static final URI CHAT = URI.create("https://api.openai.com/v1/chat/completions");

    private final FakeTransport transport = new FakeTransport();

    private static UpstreamRequest chat(String body) {
        return UpstreamRequest.post(
                CHAT, Map.of("Authorization", "Bearer sk-x"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sendCompletesSynchronouslyWithTheDefaultChatCompletion() {
        CompletableFuture<UpstreamResponse> f = transport.send(chat("{\"model\":\"gpt-4o\"}"));

        assertTrue(f.isDone());
        UpstreamResponse r = f.join();
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type").orElseThrow());
        JsonNode body = Json.parse(r.readAll().join());
        assertEquals("gpt-4o", body.path("model").asText());
        assertEquals(
                "Hello from the fake transport",
                body.at("/choices/0/message/content").asText());
    }

    @Test
    void defaultStreamsWhenTheRequestAsksForIt() {
        UpstreamResponse r =
                transport.send(chat("{\"model\":\"gpt-4o\",\"stream\":true}")).join();

        List<ServerSentEvent> events = new ArrayList<>();
        new SseDecoder().feed(r.readAll().join(), events::add);
        assertEquals("text/event-stream", r.header("content-type").orElseThrow());
        assertTrue(events.get(events.size() - 1).isDone());
        assertEquals(
                "chat.completion.chunk",
                Json.parse(events.get(0).data()).path("object").asText());
    }

    @Test
    void chatCompletionHasTheStubsShape() {
        transport.enqueue(FakeReply.chatCompletion("hi"));

        JsonNode body = Json.parse(transport.send(chat("{}")).join().readAll().join());

        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("gpt-4o-mini", body.path("model").asText());
        assertEquals("hi", body.at("/choices/0/message/content").asText());
        assertEquals(10, body.at("/usage/prompt_tokens").asInt());
        assertEquals(5, body.at("/usage/completion_tokens").asInt());
        assertEquals(15, body.at("/usage/total_tokens").asInt());
    }

    @Test
    void queueThenResponderThenDefault() {
        transport.enqueue(FakeReply.json(503, "{}").header("Retry-After", "2"));
        transport.respondWith(req -> req.uri().getHost().equals("other.example") ? FakeReply.json(201, "{}") : null);
        transport.setDefault(FakeReply.json(202, "{}"));

        UpstreamResponse queued = transport.send(chat("{}")).join();
        UpstreamResponse computed = transport
                .send(UpstreamRequest.post(URI.create("http://other.example/x"), Map.of(), new byte[0]))
                .join();
        UpstreamResponse fallthrough = transport.send(chat("{}")).join();

        assertEquals(503, queued.status());
        assertEquals("2", queued.header("retry-after").orElseThrow());
        assertEquals(201, computed.status());
        assertEquals(202, fallthrough.status());
        assertEquals(3, transport.calls());
    }

    @Test
    void recordsEveryRequestInOrder() {
        assertNull(transport.lastRequest());
        UpstreamRequest first = chat("{\"n\":1}");
        UpstreamRequest second = chat("{\"n\":2}");
        transport.send(first);
        transport.send(second);

        assertEquals(List.of(first, second), transport.requests());
        assertSame(second, transport.lastRequest());
    }

    @Test
    void failureFailsTheSendFuture() {
        ConnectException refused = new ConnectException("refused");
        transport.enqueue(FakeReply.failure(refused));

        CompletableFuture<UpstreamResponse> f = transport.send(chat("{}"));

        assertTrue(f.isCompletedExceptionally());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertSame(refused, e.getCause());
        assertEquals(1, transport.calls());
    }

    @Test
    void bodyEmitsOneChunkPerUnitOfDemand() {
        transport.enqueue(
                FakeReply.chunks(200, "application/octet-stream", List.of(bytes("a"), bytes("b"), bytes("c"))));
        RecordingSubscriber s = new RecordingSubscriber();

        transport.send(chat("{}")).join().body().subscribe(s);
        assertEquals(List.of(), s.items);

        s.subscription.request(2);
        assertEquals(List.of("a", "b"), s.items);
        assertEquals(0, s.completions);

        s.subscription.request(5);
        assertEquals(List.of("a", "b", "c"), s.items);
        assertEquals(1, s.completions);
        assertNull(s.error);
    }

    @Test
    void requestingFromInsideOnNextDoesNotRecurseOrReorder() {
        transport.enqueue(FakeReply.sse(List.of("1", "2", "3")));
        List<String> seen = new ArrayList<>();
        Flow.Subscriber<List<ByteBuffer>> oneByOne = new Flow.Subscriber<>() {
            private Flow.Subscription sub;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                sub = subscription;
                sub.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                seen.add(StandardCharsets.UTF_8.decode(item.get(0)).toString());
                sub.request(1);
            }

            @Override
            public void onError(Throwable throwable) {
                seen.add("error");
            }

            @Override
            public void onComplete() {
                seen.add("complete");
            }
        };

        transport.send(chat("{}")).join().body().subscribe(oneByOne);

        assertEquals(List.of("data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: [DONE]\n\n", "complete"), seen);
    }

    @Test
    void cancelStopsEmissionAndIsCounted() {
        transport.enqueue(FakeReply.sse(List.of("1", "2", "3")));
        RecordingSubscriber s = new RecordingSubscriber();
        transport.send(chat("{}")).join().body().subscribe(s);

        s.subscription.request(1);
        s.subscription.cancel();
        s.subscription.request(10);
        s.subscription.cancel();

        assertEquals(1, s.items.size());
        assertEquals(0, s.completions);
        assertEquals(1, transport.cancellations());
    }

    @Test
    void cancellingAfterTheBodyEndedIsNotCounted() {
        RecordingSubscriber s = new RecordingSubscriber();
        transport.send(chat("{}")).join().body().subscribe(s);

        s.subscription.request(Long.MAX_VALUE);
        s.subscription.cancel();

        assertEquals(1, s.completions);
        assertEquals(0, transport.cancellations());
    }

    @Test
    void cutAfterSignalsConnectionResetAfterThatManyChunks() {
        transport.enqueue(FakeReply.chatStream("a", "b", "c").cutAfter(2));
        RecordingSubscriber s = new RecordingSubscriber();
        transport.send(chat("{\"stream\":true}")).join().body().subscribe(s);

        s.subscription.request(Long.MAX_VALUE);

        assertEquals(2, s.items.size());
        assertInstanceOf(IOException.class, s.error);
        assertEquals("connection reset", s.error.getMessage());
        assertEquals(0, s.completions);
    }

    @Test
    void aSecondSubscriberIsRejected() {
        UpstreamResponse r = transport.send(chat("{}")).join();
        r.readAll().join();
        RecordingSubscriber late = new RecordingSubscriber();

        r.body().subscribe(late);

        assertInstanceOf(IllegalStateException.class, late.error);
    }

    @Test
    void nonPositiveDemandIsAnError() {
        RecordingSubscriber s = new RecordingSubscriber();
        transport.send(chat("{}")).join().body().subscribe(s);

        s.subscription.request(0);

        assertInstanceOf(IllegalArgumentException.class, s.error);
    }

    @Test
    void aReplyCanBeReusedBecauseEachSendGetsAFreshBody() {
        FakeReply reply = FakeReply.json(200, "{\"ok\":true}");
        transport.setDefault(reply);

        byte[] first = transport.send(chat("{}")).join().readAll().join();
        byte[] second = transport.send(chat("{}")).join().readAll().join();

        assertArrayEquals(bytes("{\"ok\":true}"), first);
        assertArrayEquals(first, second);
    }

    @Test
    void resetRestoresAFreshTransport() {
        transport.enqueue(FakeReply.json(500, "{}"));
        transport.respondWith(req -> FakeReply.json(500, "{}"));
        transport.send(chat("{}"));

        transport.reset();

        assertEquals(0, transport.calls());
        assertTrue(transport.requests().isEmpty());
        assertEquals(200, transport.send(chat("{}")).join().status());
    }

    /** Records what a body publisher signals, requesting nothing by itself. */
    private static final class RecordingSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        final List<String> items = new ArrayList<>();
        Flow.Subscription subscription;
        Throwable error;
        int completions;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            StringBuilder sb = new StringBuilder();
            item.forEach(b -> sb.append(StandardCharsets.UTF_8.decode(b)));
            items.add(sb.toString());
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completions++;
        }
    }
}
