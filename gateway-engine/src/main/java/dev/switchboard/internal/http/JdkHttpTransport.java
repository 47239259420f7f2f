package dev.switchboard.internal.http;

import dev.switchboard.api.Body;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The default transport: the JDK {@code HttpClient} with a streaming body handler, so a stream is
 * consumed as it arrives and a cancelled subscription aborts the exchange. A body that is not bytes
 * ({@link UpstreamRequest#content()}, e.g. a multipart upload) is read as it is sent, with its own
 * content type (the boundary) and length when known; each send opens it again, so a retry resends it.
 */
public final class JdkHttpTransport implements Transport {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** The default cap on a whole (not streamed) answer: 64 MiB. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 64L * 1024 * 1024;

    private final HttpClient client;
    private final long maxAnswerBytes;

    public JdkHttpTransport(HttpClient client) {
        this(client, DEFAULT_MAX_ANSWER_BYTES);
    }

    /**
     * @param client         the client
     * @param maxAnswerBytes the cap on a whole answer's body: past it the read stops, the connection
     *                       is closed and the send fails with {@link dev.switchboard.spi.AnswerTooLargeException}
     */
    public JdkHttpTransport(HttpClient client, long maxAnswerBytes) {
        if (maxAnswerBytes < 1) {
            throw new IllegalArgumentException("maxAnswerBytes must be at least 1, got " + maxAnswerBytes);
        }
        this.client = client;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    public static HttpClient defaultClient() {
        return defaultClient(null);
    }

    /** The default client, running its exchanges' work on {@code executor} (null: the JDK's own pool). */
    public static HttpClient defaultClient(java.util.concurrent.Executor executor) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (executor != null) {
            b.executor(executor);
        }
        return b.build();
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
        return send(request, true);
    }

    /**
     * The JDK's synchronous path (it avoids the executor hand-offs of {@code sendAsync}, about three
     * times faster on loopback): a whole answer is read as a byte array before this returns.
     * Interrupting the thread makes the JDK client cancel the exchange and throw
     * {@link InterruptedException}.
     */
    @Override
    public UpstreamResponse sendBlocking(UpstreamRequest request, boolean expectStream)
            throws java.io.IOException, InterruptedException {
        HttpRequest.Builder b = builder(request);
        if (expectStream) {
            HttpResponse<java.util.concurrent.Flow.Publisher<java.util.List<java.nio.ByteBuffer>>> r =
                    client.send(b.build(), HttpResponse.BodyHandlers.ofPublisher());
            return UpstreamResponse.of(r.statusCode(), headers(r.headers().map()), r.body());
        }
        CappedBodySubscriber.Handler body = new CappedBodySubscriber.Handler(maxAnswerBytes);
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.build(), body);
        } catch (InterruptedException e) {
            // the JDK 17 client does not always abort a body it reads, or one whose headers come
            // after the interrupt: stop it, now or when it starts, closing the connection
            body.cancel();
            throw e;
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof dev.switchboard.spi.AnswerTooLargeException tooLarge) {
                throw tooLarge;
            }
            throw e;
        }
        return UpstreamResponse.of(r.statusCode(), headers(r.headers().map()), UpstreamResponse.bytes(r.body()));
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request, boolean expectStream) {
        HttpRequest.Builder b = builder(request);
        if (!expectStream) {
            CappedBodySubscriber.Handler body = new CappedBodySubscriber.Handler(maxAnswerBytes);
            CompletableFuture<UpstreamResponse> out = cancelsExchange(
                    client.sendAsync(b.build(), body),
                    r -> UpstreamResponse.of(
                            r.statusCode(), headers(r.headers().map()), UpstreamResponse.bytes(r.body())));
            out.whenComplete((v, e) -> {
                if (e instanceof java.util.concurrent.CancellationException) {
                    body.cancel();
                }
            });
            return out;
        }
        return cancelsExchange(
                client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher()),
                r -> UpstreamResponse.of(r.statusCode(), headers(r.headers().map()), r.body()));
    }

    /**
     * {@code exchange} mapped by {@code f}, where cancelling the result cancels the exchange itself
     * (a dependent stage's cancel alone would leave the JDK client reading, the connection held).
     */
    private static <T> CompletableFuture<UpstreamResponse> cancelsExchange(
            CompletableFuture<HttpResponse<T>> exchange,
            java.util.function.Function<HttpResponse<T>, UpstreamResponse> f) {
        CompletableFuture<UpstreamResponse> out = exchange.thenApply(f);
        out.whenComplete((v, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) {
                exchange.cancel(true);
            }
        });
        return out;
    }

    private static HttpRequest.Builder builder(UpstreamRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri());
        String contentType = null;
        if (request.hasBytes()) {
            b.method(
                    request.method(),
                    request.body().length == 0 && "GET".equals(request.method())
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } else {
            Body content = request.content();
            long length = content.contentLength(); // a one-shot part is spooled here, before the send
            HttpRequest.BodyPublisher read = HttpRequest.BodyPublishers.ofInputStream(content::openStream);
            b.method(request.method(), length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(read, length) : read);
            if (content instanceof MultipartBody) {
                contentType = content.contentType(); // names the boundary: the body's own wins
            } else if (request.headers().keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
                contentType = content.contentType();
            }
        }
        String forced = contentType;
        request.headers().forEach((k, v) -> {
            String lower = k.toLowerCase(java.util.Locale.ROOT);
            if (!RESTRICTED.contains(lower) && !(forced != null && lower.equals("content-type"))) {
                b.header(k, v);
            }
        });
        if (forced != null) {
            b.header("content-type", forced);
        }
        return b;
    }

    private static Map<String, java.util.List<String>> headers(Map<String, java.util.List<String>> map) {
        Map<String, java.util.List<String>> m = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!v.isEmpty() && !k.startsWith(":")) {
                m.put(k, v);
            }
        });
        return m;
    }
}
