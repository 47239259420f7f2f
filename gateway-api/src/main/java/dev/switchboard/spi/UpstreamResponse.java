package dev.switchboard.spi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A provider's HTTP response as soon as its headers arrived. The body is a single-subscriber
 * publisher of byte chunks (the JDK {@code HttpClient}'s own shape): a stream is consumed as it
 * arrives; cancelling the subscription cancels the upstream call.
 */
public record UpstreamResponse(int status, Map<String, String> headers, Flow.Publisher<List<ByteBuffer>> body) {
    /**
     * Lower-cases the header names (so {@link #header} is case-insensitive); unmodifiable.
     *
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body, a single-subscriber publisher of byte chunks
     */
    public UpstreamResponse {
        Map<String, String> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        headers = Collections.unmodifiableMap(m);
    }

    /**
     * One response header.
     *
     * @param name the header name, any case
     * @return its value, or null when absent
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** {@return the whole body, once it arrived} Cancelling the returned future cancels the upstream subscription. */
    public CompletableFuture<byte[]> readAll() {
        return collect(body);
    }

    /**
     * Collects a body publisher into bytes.
     *
     * @param publisher a body publisher; subscribed to at once
     * @return the bytes once the publisher completes; cancelling the future cancels the subscription
     */
    public static CompletableFuture<byte[]> collect(Flow.Publisher<List<ByteBuffer>> publisher) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                result.whenComplete((v, e) -> {
                    if (e != null) {
                        subscription.cancel();
                    }
                });
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                for (ByteBuffer b : items) {
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.write(chunk, 0, chunk.length);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                result.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                result.complete(out.toByteArray());
            }
        });
        return result;
    }

    /**
     * A body publisher over bytes already in memory (for fakes and cached answers).
     *
     * @param body the bytes, not copied
     * @return a publisher that emits them in one chunk, then completes
     */
    public static Flow.Publisher<List<ByteBuffer>> bytes(byte[] body) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done || n <= 0) {
                    return;
                }
                done = true;
                if (body.length > 0) {
                    subscriber.onNext(List.of(ByteBuffer.wrap(body)));
                }
                subscriber.onComplete();
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
    }
}
