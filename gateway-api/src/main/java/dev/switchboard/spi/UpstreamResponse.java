package dev.switchboard.spi;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A provider's HTTP response as soon as its headers arrived. The body is a single-subscriber
 * publisher of byte chunks (the JDK {@code HttpClient}'s own shape): a stream is consumed as it
 * arrives; cancelling the subscription cancels the upstream call. A binary answer is read as an
 * {@link InputStream} with {@link #bodyStream()}.
 *
 * <p>Headers: {@link #header(String)} gives one value as an {@code Optional} (case-insensitive),
 * {@link #headers(String)} every value of a repeated header.
 */
public final class UpstreamResponse {
    private final int status;
    private final Headers headers;
    private final Flow.Publisher<List<ByteBuffer>> body;

    /**
     * Lower-cases the header names (so {@link #header} is case-insensitive); unmodifiable.
     *
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body, a single-subscriber publisher of byte chunks
     */
    public UpstreamResponse(int status, Map<String, String> headers, Flow.Publisher<List<ByteBuffer>> body) {
        this(status, Headers.ofSingle(headers), body);
    }

    private UpstreamResponse(int status, Headers headers, Flow.Publisher<List<ByteBuffer>> body) {
        this.status = status;
        this.headers = headers;
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * A response with headers that may repeat.
     *
     * @param status  the HTTP status
     * @param headers each header name with its values
     * @param body    the body, a single-subscriber publisher of byte chunks
     * @return the response
     */
    public static UpstreamResponse of(
            int status, Map<String, List<String>> headers, Flow.Publisher<List<ByteBuffer>> body) {
        return new UpstreamResponse(status, Headers.ofMulti(headers), body);
    }

    /** {@return the HTTP status} */
    public int status() {
        return status;
    }

    /** {@return the headers, names lower-cased, the first value of each; unmodifiable} */
    public Map<String, String> headers() {
        return headers.first;
    }

    /** {@return every header, names lower-cased, with all their values; unmodifiable} */
    public Map<String, List<String>> headerValues() {
        return headers.multi();
    }

    /** {@return the body, a single-subscriber publisher of byte chunks} */
    public Flow.Publisher<List<ByteBuffer>> body() {
        return body;
    }

    /**
     * One response header.
     *
     * @param name the header name, any case
     * @return its (first) value, or empty when absent
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.first.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Every value of a header that may repeat.
     *
     * @param name the header name, any case
     * @return the values in order; empty when absent
     */
    public List<String> headers(String name) {
        return headers.values(name);
    }

    /**
     * The body as a blocking stream, read as it arrives with bounded buffering (the JDK's
     * {@code BodySubscribers.ofInputStream}); subscribes to {@link #body()}, so use one view only.
     * Closing the stream cancels the upstream call.
     *
     * @return the stream
     */
    public InputStream bodyStream() {
        HttpResponse.BodySubscriber<InputStream> s = HttpResponse.BodySubscribers.ofInputStream();
        body.subscribe(s);
        return s.getBody().toCompletableFuture().join();
    }

    @Override
    public String toString() {
        return "UpstreamResponse{" + status + ", headers=" + headers.first.keySet() + "}";
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
