package dev.switchboard.testkit;

import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.support.SseDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** The JDK client, pinned to HTTP/1.1, the way the tests talk to a {@link StubUpstream}. */
final class StubHttp {
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final StubUpstream stub;

    StubHttp(StubUpstream stub) {
        this.stub = stub;
    }

    HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(stub.openAiBaseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(post(path, json).build());
    }

    /** Reads an SSE body event by event; events read before a failure end up in {@code into}. */
    static void readEvents(InputStream body, List<ServerSentEvent> into) throws IOException {
        SseDecoder decoder = new SseDecoder();
        byte[] buffer = new byte[1024];
        try (body) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                decoder.feed(java.util.Arrays.copyOf(buffer, n), into::add);
            }
        }
        decoder.finish(into::add);
    }

    /** What a streamed body delivered before it ended, and how it ended (null error = completed). */
    record StreamOutcome(List<ServerSentEvent> events, Throwable error) {}

    /**
     * Subscribes to a body publisher and decodes SSE events until it ends. Unlike an InputStream
     * (which discards buffered data once the connection fails), a subscriber sees every chunk that
     * arrived before the failure.
     */
    static StreamOutcome collect(Flow.Publisher<List<ByteBuffer>> body) {
        List<ServerSentEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder();
        CompletableFuture<Throwable> end = new CompletableFuture<>();
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                item.forEach(b -> decoder.feed(b, events::add));
            }

            @Override
            public void onError(Throwable throwable) {
                end.complete(throwable);
            }

            @Override
            public void onComplete() {
                decoder.finish(events::add);
                end.complete(null);
            }
        });
        Throwable error = end.join();
        return new StreamOutcome(events, error);
    }

    static List<ServerSentEvent> events(InputStream body) throws IOException {
        List<ServerSentEvent> out = new ArrayList<>();
        readEvents(body, out);
        return out;
    }
}
