package dev.switchboard.internal.http;

import dev.switchboard.api.Body;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

/**
 * The transport on a JDK {@code HttpClient} given to {@code Gateway.Builder.httpClient} (the default
 * is {@link Http1Transport}): a streaming body handler, so a stream is
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
     * Sends with {@code HttpClient.send} on a pooled thread ({@link SyncExchange}) and waits on the
     * caller's: a whole answer is read as a byte array before this returns. Interrupting the caller
     * aborts the exchange in the way that lets the JDK client forget it (see {@link #abort}), then
     * throws {@link InterruptedException}.
     *
     * <p>Not {@code send} on the caller's thread: on Java 17, when {@code send} is interrupted after
     * the answer's headers came, it cancels its own future and the client keeps counting the request
     * as pending for ever (fixed in later JDKs); a client with pending requests never stops its
     * selector thread, so its idle keep-alive connections stay open after the gateway is closed and
     * gone. Not {@code sendAsync}: it starts a thread per answer on machines of two cores or fewer.
     */
    @Override
    public UpstreamResponse sendBlocking(UpstreamRequest request, boolean expectStream)
            throws java.io.IOException, InterruptedException {
        HttpRequest.Builder b = builder(request);
        if (expectStream) {
            CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange = SyncExchange.start(
                    client, b.build(), HttpResponse.BodyHandlers.ofPublisher(), JdkHttpTransport::discard);
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> r;
            try {
                r = exchange.get();
            } catch (InterruptedException e) {
                abortStream(exchange);
                throw e;
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
            return UpstreamResponse.of(r.statusCode(), headers(r.headers().map()), r.body());
        }
        CappedBodySubscriber.Handler body = new CappedBodySubscriber.Handler(maxAnswerBytes);
        CompletableFuture<HttpResponse<byte[]>> exchange = SyncExchange.start(client, b.build(), body, r -> {});
        HttpResponse<byte[]> r;
        try {
            r = exchange.get();
        } catch (InterruptedException e) {
            abort(body, exchange);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
        return UpstreamResponse.of(r.statusCode(), headers(r.headers().map()), UpstreamResponse.bytes(r.body()));
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request, boolean expectStream) {
        HttpRequest.Builder b = builder(request);
        if (!expectStream) {
            CappedBodySubscriber.Handler body = new CappedBodySubscriber.Handler(maxAnswerBytes);
            CompletableFuture<HttpResponse<byte[]>> exchange = SyncExchange.start(client, b.build(), body, r -> {});
            return abortedOnCancel(
                    exchange,
                    r -> UpstreamResponse.of(
                            r.statusCode(), headers(r.headers().map()), UpstreamResponse.bytes(r.body())),
                    () -> abort(body, exchange));
        }
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange = SyncExchange.start(
                client, b.build(), HttpResponse.BodyHandlers.ofPublisher(), JdkHttpTransport::discard);
        return abortedOnCancel(
                exchange,
                r -> UpstreamResponse.of(r.statusCode(), headers(r.headers().map()), r.body()),
                () -> abortStream(exchange));
    }

    /**
     * Aborts a whole-answer exchange whose caller gave up, without cancelling its future (which can
     * leak on Java 17, see {@link ExchangeAbort}): the body is cancelled, now or the moment the
     * headers come; its subscription's cancel closes the connection and the exchange ends as a
     * failed read, which the JDK client accounts for. An upstream that stays silent is cancelled
     * after {@link ExchangeAbort#GRACE_MS}.
     */
    private static void abort(CappedBodySubscriber.Handler body, CompletableFuture<?> exchange) {
        if (!body.cancel()) {
            ExchangeAbort.cancelLater(exchange);
        }
    }

    /**
     * Aborts a streamed exchange whose caller gave up: the body of an answer that came or comes is
     * cancelled (nobody will read it); an upstream that stays silent is cancelled after {@link
     * ExchangeAbort#GRACE_MS}.
     */
    private static void abortStream(CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange) {
        ExchangeAbort.cancelLater(exchange);
        exchange.thenAccept(r -> UpstreamResponse.collect(r.body()).cancel(true));
    }

    /** Releases a streamed answer nobody will read: cancelling its body closes the connection. */
    private static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> r) {
        UpstreamResponse.collect(r.body()).cancel(true);
    }

    /** The cause of a failed exchange, as {@code send} would have thrown it. */
    private static java.io.IOException rethrow(Throwable t) {
        if (t instanceof dev.switchboard.spi.AnswerTooLargeException tooLarge) {
            return tooLarge;
        }
        if (t instanceof java.io.IOException io) {
            if (io.getCause() instanceof dev.switchboard.spi.AnswerTooLargeException tooLarge) {
                return tooLarge;
            }
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new java.io.IOException(t);
    }

    /**
     * {@code exchange} mapped by {@code f}, where cancelling the result runs {@code abort} (a
     * dependent stage's cancel alone would leave the JDK client reading, the connection held).
     */
    private static <T> CompletableFuture<UpstreamResponse> abortedOnCancel(
            CompletableFuture<HttpResponse<T>> exchange,
            java.util.function.Function<HttpResponse<T>, UpstreamResponse> f,
            Runnable abort) {
        CompletableFuture<UpstreamResponse> out = exchange.thenApply(f);
        out.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                abort.run();
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
