package dev.switchboard;

import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A second, test-only {@link Transport} over {@code java.net.HttpURLConnection}: another HTTP stack
 * (blocking sockets read on the transport's own threads) behind the same SPI, so the core scenarios
 * run on it prove that the engine relies on the {@code Transport} contract alone. It keeps the
 * default {@link Transport#sendBlocking} (waiting on {@link #send}'s future, cancelling it when
 * interrupted); cancelling a future or a body subscription disconnects the socket.
 */
final class UrlConnectionTransport implements Transport, AutoCloseable {
    /** Headers {@code HttpURLConnection} sets itself and silently drops from callers. */
    private static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive");

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "urlconnection-io-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sends = new AtomicInteger();

    /** {@return how many requests were sent through this transport} */
    int sends() {
        return sends.get();
    }

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
        sends.incrementAndGet();
        CompletableFuture<UpstreamResponse> f = new CompletableFuture<>();
        AtomicReference<HttpURLConnection> connection = new AtomicReference<>();
        f.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                HttpURLConnection c = connection.get();
                if (c != null) {
                    c.disconnect();
                }
            }
        });
        io.execute(() -> {
            try {
                HttpURLConnection c = (HttpURLConnection) request.uri().toURL().openConnection();
                connection.set(c);
                if (f.isDone()) {
                    return;
                }
                c.setRequestMethod(request.method());
                c.setInstanceFollowRedirects(false);
                c.setUseCaches(false);
                request.headers().forEach((k, v) -> {
                    if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
                        c.setRequestProperty(k, v);
                    }
                });
                if (request.body().length > 0) {
                    c.setDoOutput(true);
                    c.setFixedLengthStreamingMode(request.body().length);
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(request.body());
                    }
                }
                int status = c.getResponseCode();
                Map<String, String> headers = new LinkedHashMap<>();
                c.getHeaderFields().forEach((k, v) -> {
                    if (k != null && !v.isEmpty()) {
                        headers.put(k, v.get(0));
                    }
                });
                InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                f.complete(new UpstreamResponse(
                        status, headers, new InputStreamPublisher(in == null ? InputStream.nullInputStream() : in, c)));
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }

    /** A body read on the transport's threads, one chunk per unit of demand. */
    private final class InputStreamPublisher implements Flow.Publisher<List<ByteBuffer>> {
        private final InputStream in;
        private final HttpURLConnection connection;
        private final AtomicBoolean subscribed = new AtomicBoolean();

        InputStreamPublisher(InputStream in, HttpURLConnection connection) {
            this.in = in;
            this.connection = connection;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> subscriber) {
            if (!subscribed.compareAndSet(false, true)) {
                throw new IllegalStateException("a body has one subscriber");
            }
            subscriber.onSubscribe(new Flow.Subscription() {
                private final AtomicLong demand = new AtomicLong();
                private final AtomicBoolean reading = new AtomicBoolean();
                private volatile boolean done;

                @Override
                public void request(long n) {
                    demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                    readLater();
                }

                @Override
                public void cancel() {
                    done = true;
                    connection.disconnect();
                }

                private void readLater() {
                    if (!done && demand.get() > 0 && reading.compareAndSet(false, true)) {
                        io.execute(this::read);
                    }
                }

                private void read() {
                    byte[] buf = new byte[8192];
                    try {
                        while (!done && demand.get() > 0) {
                            int r = in.read(buf);
                            if (r < 0) {
                                done = true;
                                in.close();
                                subscriber.onComplete();
                                return;
                            }
                            demand.decrementAndGet();
                            subscriber.onNext(List.of(ByteBuffer.wrap(Arrays.copyOf(buf, r))));
                        }
                    } catch (IOException e) {
                        if (!done) {
                            done = true;
                            subscriber.onError(e);
                        }
                        connection.disconnect();
                        return;
                    } finally {
                        reading.set(false);
                    }
                    readLater();
                }
            });
        }
    }
}
