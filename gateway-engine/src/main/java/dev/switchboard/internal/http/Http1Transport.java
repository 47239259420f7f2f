package dev.switchboard.internal.http;

import dev.switchboard.api.Body;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.spi.AnswerTooLargeException;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;

/**
 * Switchboard's own HTTP/1.1 client transport: a blocking exchange on the calling thread over a
 * pooled keep-alive {@link java.nio.channels.SocketChannel}, with none of the JDK {@code HttpClient}'s
 * hand-offs between threads.
 *
 * <ul>
 *   <li>{@link #sendBlocking} writes the request and reads the answer's headers on the caller's
 *       thread; a whole answer ({@code expectStream == false}) is read there too, into a byte array,
 *       and its connection goes back to the pool. A streamed answer's body is read on a pooled
 *       thread only while the subscriber has demand (a blocked read holds that thread); a body
 *       nobody subscribes to or requests holds no thread but keeps its connection open until its
 *       subscription is cancelled (the gateway always reads or cancels).
 *   <li>Interrupting the thread blocked in {@code sendBlocking} (connecting, TLS handshake, writing,
 *       reading; plain or TLS) closes the connection and makes it throw {@link InterruptedException}.
 *   <li>{@link #send(UpstreamRequest, boolean)} runs the same exchange on a pooled daemon thread
 *       ({@code switchboard-http1-N}); cancelling the future closes the exchange's connection.
 *   <li>A whole answer larger than {@code maxAnswerBytes} fails with {@link AnswerTooLargeException}
 *       (a declared length before any body byte is read), its connection closed.
 *   <li>Idle connections are kept per scheme, host and port, at most {@code maxIdlePerRoute}, and
 *       closed when found idle longer than the idle timeout. A kept connection that the server had
 *       closed is replaced by a new one, once, when no byte of the answer came (the request is sent
 *       again: bytes, or a {@link Body} that can be opened again).
 * </ul>
 *
 * <p>Request headers are sent as given except {@code connection}, {@code content-length},
 * {@code expect}, {@code host}, {@code upgrade} and {@code transfer-encoding}, which the transport
 * sets itself. Messages name the host and port, never a header value or the URL's query.
 */
public final class Http1Transport implements Transport, AutoCloseable {
    /** The default cap on a whole (not streamed) answer: 64 MiB, as {@link JdkHttpTransport}'s. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = JdkHttpTransport.DEFAULT_MAX_ANSWER_BYTES;

    /** The default connect timeout (TLS handshake included): 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default number of idle connections kept per route: 64. */
    public static final int DEFAULT_MAX_IDLE_PER_ROUTE = 64;

    /** The default idle time after which a kept connection is closed: 30 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** Threads made as needed and ended after 30 s idle; daemons, so they never keep a JVM alive. */
    static final ExecutorService THREADS =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "switchboard-http1-" + THREAD_IDS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] VERSION_HOST = " HTTP/1.1\r\nHost: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "content-length: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_TYPE = "content-type: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "transfer-encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int UPLOAD_CHUNK = 16 * 1024;

    private final int connectTimeoutMs;
    private final long maxAnswerBytes;
    private final SSLContext sslContext;
    private final Http1Pool pool;
    private volatile boolean closed;

    /** A transport with the defaults: 10 s connect timeout, 64 MiB answers, the default TLS context. */
    public Http1Transport() {
        this(builder());
    }

    /**
     * A transport with the defaults and another answer cap.
     *
     * @param maxAnswerBytes the cap on a whole answer's body, at least 1
     */
    public Http1Transport(long maxAnswerBytes) {
        this(builder().maxAnswerBytes(maxAnswerBytes));
    }

    private Http1Transport(Builder b) {
        this.connectTimeoutMs = (int) b.connectTimeout.toMillis();
        this.maxAnswerBytes = b.maxAnswerBytes;
        this.sslContext = b.sslContext;
        this.pool = new Http1Pool(b.maxIdlePerRoute, b.idleTimeout.toNanos(), b.nanoClock);
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} Same as {@code send(request, true)}. */
    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
        return send(request, true);
    }

    /**
     * Runs {@link #sendBlocking} on a pooled daemon thread. Cancelling the future before it completes
     * interrupts that thread, which closes the exchange's connection; a streamed answer that comes
     * after the cancel is closed unread.
     *
     * @param request      the request to send
     * @param expectStream true when the body will be consumed as it arrives
     * @return the answer's future
     * @throws IllegalStateException the transport is closed
     */
    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request, boolean expectStream) {
        Objects.requireNonNull(request, "request");
        checkOpen();
        Runner f = new Runner();
        THREADS.execute(() -> f.run(request, expectStream));
        return f;
    }

    /**
     * Sends on the calling thread and returns once the answer's headers came (and, for a whole
     * answer, its body, already in memory).
     *
     * @param request      the request to send
     * @param expectStream true when the body will be consumed as it arrives
     * @return the answer
     * @throws IOException           a network or protocol error, naming the host and port
     * @throws InterruptedException  the thread was interrupted (before or during the exchange); the
     *                               connection is closed
     * @throws IllegalStateException the transport is closed
     */
    @Override
    public UpstreamResponse sendBlocking(UpstreamRequest request, boolean expectStream)
            throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request");
        checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the request was sent");
        }
        return exchange(request, expectStream);
    }

    /**
     * Closes every idle connection; connections in use close when their exchange ends. Sends after
     * this throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    /** {@return the idle connections kept, over every route} (for tests and diagnostics) */
    int idleConnections() {
        return pool.idleCount();
    }

    @Override
    public String toString() {
        return "Http1Transport{idle=" + pool.idleCount() + (closed ? ", closed" : "") + "}";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
    }

    // ---- the exchange

    private UpstreamResponse exchange(UpstreamRequest request, boolean stream)
            throws IOException, InterruptedException {
        Http1Pool.Route route = pool.route(request.uri());
        Outgoing out = new Outgoing(request);
        Http1Connection c = pool.borrow(route);
        boolean mayRetry = c != null && out.replayable;
        if (c == null) {
            c = connect(route);
        }
        for (; ; ) {
            try {
                return exchangeOn(c, request, out, stream);
            } catch (IOException e) {
                c.close();
                if (Thread.interrupted()) {
                    throw interrupted(route, e);
                }
                if (mayRetry && c.received == 0 && !(e instanceof RequestBodyException)) {
                    // a kept connection the server had closed: once more on a new one
                    mayRetry = false;
                    c = connect(route);
                    continue;
                }
                throw e;
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
        }
    }

    private Http1Connection connect(Http1Pool.Route route) throws IOException, InterruptedException {
        try {
            return Http1Connection.open(route, connectTimeoutMs, route.tls ? ssl() : null);
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw interrupted(route, e);
            }
            throw e;
        }
    }

    private SSLContext ssl() throws IOException {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("the JVM has no default TLS context for https: " + e.getMessage(), e);
        }
    }

    private static InterruptedException interrupted(Http1Pool.Route route, IOException cause) {
        InterruptedException ie =
                new InterruptedException("the call to " + route.where + " was interrupted; its connection is closed");
        ie.initCause(cause);
        return ie;
    }

    private UpstreamResponse exchangeOn(Http1Connection c, UpstreamRequest request, Outgoing out, boolean stream)
            throws IOException {
        c.startExchange();
        writeRequest(c, request, out);
        Http1Head head = Http1Head.read(c);
        int status = head.status;
        Http1Body body;
        if (status < 200 || status == 204 || status == 304 || "HEAD".equals(request.method())) {
            body = new Http1Body.Empty(c);
        } else if (head.transferEncoding) {
            body = head.chunked ? new Http1Body.Chunked(c) : new Http1Body.ToClose(c);
        } else if (head.contentLength == 0) {
            body = new Http1Body.Empty(c);
        } else if (head.contentLength > 0) {
            body = new Http1Body.Fixed(c, head.contentLength);
        } else {
            body = new Http1Body.ToClose(c);
        }
        boolean persistent = head.persistent()
                && status != 101
                && !(head.transferEncoding && head.contentLength >= 0)
                && body.selfDelimited();
        if (!stream) {
            byte[] bytes = readWhole(c, body);
            finish(c, persistent);
            return UpstreamResponse.of(status, head.headers, UpstreamResponse.bytes(bytes));
        }
        if (body instanceof Http1Body.Empty) {
            finish(c, persistent);
            return UpstreamResponse.of(status, head.headers, UpstreamResponse.bytes(EMPTY));
        }
        return UpstreamResponse.of(status, head.headers, new Http1BodyPublisher(c, body, persistent, pool, THREADS));
    }

    /** Keeps the connection when its answer allows it and was read exactly to its end; else closes it. */
    private void finish(Http1Connection c, boolean persistent) {
        if (persistent && c.pos == c.lim && !closed) {
            pool.release(c);
        } else {
            c.close();
        }
    }

    private byte[] readWhole(Http1Connection c, Http1Body body) throws IOException {
        long cap = Math.min(maxAnswerBytes, Integer.MAX_VALUE - 8); // a Java array's bound
        if (body instanceof Http1Body.Empty) {
            return EMPTY;
        }
        if (body instanceof Http1Body.Fixed f) {
            if (f.length > cap) {
                throw new AnswerTooLargeException(cap);
            }
            byte[] out = new byte[(int) f.length];
            int n = c.readFully(out, 0, out.length);
            f.remaining -= n;
            if (n < out.length) {
                throw f.truncated(" (" + n + " of " + f.length + " bytes)");
            }
            return out;
        }
        byte[] out = new byte[(int) Math.min(cap + 1, 8192)];
        int size = 0;
        for (; ; ) {
            if (size == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(cap + 1, (long) out.length * 2));
            }
            int n = body.read(out, size, out.length - size, true);
            if (n < 0) {
                break;
            }
            size += n;
            if (size > cap) {
                throw new AnswerTooLargeException(cap);
            }
        }
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    // ---- the request

    /** How one request's body goes out, decided once (a retry sends it the same way). */
    private static final class Outgoing {
        final byte[] bytes;
        final Body content;
        /** The content-length to send; -1 for chunked; -2 for no body and no length. */
        final long length;

        final String contentType;
        final boolean replayable;

        Outgoing(UpstreamRequest request) {
            if (request.hasBytes()) {
                bytes = request.body();
                content = null;
                contentType = null;
                replayable = true;
                String m = request.method();
                length = bytes.length > 0 || m.equals("POST") || m.equals("PUT") || m.equals("PATCH")
                        ? bytes.length
                        : -2;
            } else {
                bytes = null;
                content = request.content();
                long n = content.contentLength(); // a one-shot part is spooled here, before the send
                length = n >= 0 ? n : -1;
                replayable = content.replayable();
                if (content instanceof MultipartBody || !hasHeader(request.headers(), "content-type")) {
                    contentType = content.contentType(); // a multipart type names the boundary: the body's own wins
                } else {
                    contentType = null;
                }
            }
        }

        private static boolean hasHeader(Map<String, String> headers, String name) {
            for (String k : headers.keySet()) {
                if (k.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void writeRequest(Http1Connection c, UpstreamRequest request, Outgoing out) throws IOException {
        c.headReset();
        String method = request.method();
        checkToken("method", method);
        c.headPutAscii(method);
        c.headPutByte(' ');
        URI uri = request.uri();
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            c.headPutByte('/');
        } else {
            putUriPart(c, path);
        }
        String query = uri.getRawQuery();
        if (query != null) {
            c.headPutByte('?');
            putUriPart(c, query);
        }
        c.headPut(VERSION_HOST);
        c.headPut(c.route.hostHeader);
        c.headPut(CRLF);
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey();
            if (restricted(name) || (out.contentType != null && name.equalsIgnoreCase("content-type"))) {
                continue;
            }
            checkToken("header name", name);
            c.headPutAscii(name);
            c.headPutByte(':');
            c.headPutByte(' ');
            c.headPutValue(name, h.getValue());
            c.headPut(CRLF);
        }
        if (out.contentType != null) {
            c.headPut(CONTENT_TYPE);
            c.headPutValue("content-type", out.contentType);
            c.headPut(CRLF);
        }
        if (out.length >= 0) {
            c.headPut(CONTENT_LENGTH);
            c.headPutDecimal(out.length);
            c.headPut(CRLF);
        } else if (out.length == -1) {
            c.headPut(CHUNKED);
        }
        c.headPut(CRLF);
        if (out.content == null) {
            c.writeHead(out.bytes, out.bytes == null ? 0 : out.bytes.length);
            return;
        }
        c.writeHead(null, 0);
        writeContent(c, out);
    }

    /** Streams a {@link Body}: exactly its declared length, or chunked. */
    private static void writeContent(Http1Connection c, Outgoing out) throws IOException {
        InputStream in;
        try {
            in = out.content.openStream();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new RequestBodyException("the request body could not be opened: " + e.getMessage(), e);
        }
        try (in) {
            byte[] chunk = new byte[UPLOAD_CHUNK + 32];
            if (out.length >= 0) {
                long sent = 0;
                for (; ; ) {
                    int n = readBody(in, chunk, 0, (int) Math.min(UPLOAD_CHUNK, out.length - sent + 1));
                    if (n < 0) {
                        break;
                    }
                    if (sent + n > out.length) {
                        throw new RequestBodyException(
                                "the request body is longer than its declared length of " + out.length + " bytes",
                                null);
                    }
                    c.write(chunk, 0, n);
                    sent += n;
                }
                if (sent < out.length) {
                    throw new RequestBodyException(
                            "the request body ended after " + sent + " of its " + out.length + " bytes", null);
                }
                return;
            }
            int at = 24; // room for the chunk-size line in front
            for (; ; ) {
                int n = readBody(in, chunk, at, UPLOAD_CHUNK);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                String hex = Integer.toHexString(n);
                int start = at - hex.length() - 2;
                for (int i = 0; i < hex.length(); i++) {
                    chunk[start + i] = (byte) hex.charAt(i);
                }
                chunk[at - 2] = '\r';
                chunk[at - 1] = '\n';
                chunk[at + n] = '\r';
                chunk[at + n + 1] = '\n';
                c.write(chunk, start, at + n + 2 - start);
            }
            c.write(LAST_CHUNK, 0, LAST_CHUNK.length);
        }
    }

    private static int readBody(InputStream in, byte[] b, int off, int len) throws RequestBodyException {
        try {
            return in.read(b, off, len);
        } catch (IOException | UncheckedIOException e) {
            throw new RequestBodyException("reading the request body failed: " + e.getMessage(), e);
        }
    }

    /** The request body itself failed (not the connection): never retried. */
    private static final class RequestBodyException extends IOException {
        private static final long serialVersionUID = 1L;

        RequestBodyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Headers the transport sets itself (framing, connection management). */
    private static boolean restricted(String name) {
        switch (name.length()) {
            case 4:
                return name.equalsIgnoreCase("host");
            case 6:
                return name.equalsIgnoreCase("expect");
            case 7:
                return name.equalsIgnoreCase("upgrade");
            case 10:
                return name.equalsIgnoreCase("connection");
            case 14:
                return name.equalsIgnoreCase("content-length");
            case 17:
                return name.equalsIgnoreCase("transfer-encoding");
            default:
                return false;
        }
    }

    /** The characters of an HTTP token (RFC 9110 tchar). */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char ch = 0x21; ch < 0x7F; ch++) {
            TCHAR[ch] = "\"(),/:;<=>?@[\\]{}".indexOf(ch) < 0;
        }
    }

    /** Refuses a method or header name that is not an HTTP token (it would break the request's framing). */
    private static void checkToken(String what, String s) {
        int n = s.length();
        boolean ok = n > 0;
        for (int i = 0; ok && i < n; i++) {
            char ch = s.charAt(i);
            ok = ch < 128 && TCHAR[ch];
        }
        if (!ok) {
            byte[] shown = s.getBytes(StandardCharsets.ISO_8859_1);
            throw new IllegalArgumentException(
                    "request " + what + " '" + Http1Head.echo(shown, 0, shown.length) + "' is not an HTTP token");
        }
    }

    /**
     * Appends a raw path or query: ASCII as it is; a character beyond ASCII (a {@code URI} keeps
     * "other" characters unescaped) percent-encoded as UTF-8, as {@link URI#toASCIIString()} would.
     */
    private static void putUriPart(Http1Connection c, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80 || s.charAt(i) <= 0x20) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                for (byte b : utf8) {
                    int x = b & 0xFF;
                    if (x >= 0x80 || x <= 0x20) {
                        c.headPutByte('%');
                        c.headPutByte(Character.toUpperCase(Character.forDigit(x >> 4, 16)));
                        c.headPutByte(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
                    } else {
                        c.headPutByte(x);
                    }
                }
                return;
            }
        }
        c.headPutAscii(s);
    }

    // ---- the asynchronous send

    /** The future of an exchange run on a pooled thread, and that thread while it runs. */
    private final class Runner extends CompletableFuture<UpstreamResponse> {
        private Thread thread;
        private boolean cancelled;

        void run(UpstreamRequest request, boolean expectStream) {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                thread = Thread.currentThread();
            }
            try {
                UpstreamResponse r = exchange(request, expectStream);
                if (!complete(r)) {
                    discard(r);
                }
            } catch (Throwable t) {
                completeExceptionally(t);
            } finally {
                synchronized (this) {
                    thread = null; // no interrupt can come after this
                }
                Thread.interrupted(); // the pool's thread goes back clean
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            synchronized (this) {
                cancelled = true;
                if (thread != null) {
                    thread.interrupt(); // closes the channel the exchange is blocked on
                }
            }
            return done;
        }

        /** A streamed answer nobody will take: its connection is closed. */
        private void discard(UpstreamResponse r) {
            if (r.body() instanceof Http1BodyPublisher p) {
                p.cancel();
            }
        }
    }

    /** Options of an {@link Http1Transport}. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private long maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES;
        private SSLContext sslContext;
        private int maxIdlePerRoute = DEFAULT_MAX_IDLE_PER_ROUTE;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {}

        /**
         * The longest a connect (with its TLS handshake) may take.
         *
         * @param timeout at least 1 ms, at most {@code Integer.MAX_VALUE} ms; default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            long ms = timeout.toMillis();
            if (ms < 1 || ms > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "connectTimeout must be between 1 ms and " + Integer.MAX_VALUE + " ms, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The cap on a whole (not streamed) answer's body: past it the read stops, the connection is
         * closed and the send fails with {@link AnswerTooLargeException}.
         *
         * @param maxBytes at least 1; default 64 MiB
         * @return this builder
         */
        public Builder maxAnswerBytes(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxAnswerBytes must be at least 1, got " + maxBytes);
            }
            this.maxAnswerBytes = maxBytes;
            return this;
        }

        /**
         * The TLS context for {@code https}; host names are verified against the server's certificate
         * whatever the context.
         *
         * @param context the context; default (null) {@code SSLContext.getDefault()}
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * How many idle keep-alive connections to keep per scheme, host and port.
         *
         * @param max at least 0 (0 keeps none); default 64
         * @return this builder
         */
        public Builder maxIdlePerRoute(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxIdlePerRoute must be at least 0, got " + max);
            }
            this.maxIdlePerRoute = max;
            return this;
        }

        /**
         * How long a connection may stay idle in the pool; an older one is closed when met.
         *
         * @param timeout positive; default 30 s
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * The clock of the idle timeout, in nanoseconds (tests pass a fake one).
         *
         * @param clock like {@link System#nanoTime()}; the default
         * @return this builder
         */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@return the transport} */
        public Http1Transport build() {
            return new Http1Transport(this);
        }
    }
}
