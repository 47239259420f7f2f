package dev.switchboard.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP/1.1 server on {@code 127.0.0.1} (a free port) that speaks the OpenAI wire format and
 * answers with scripted {@link StubResponse}s, including faults: any status, {@code Retry-After},
 * delays, connection resets, streams cut midway, malformed JSON, hangs. It records every request.
 *
 * <pre>{@code
 * try (StubUpstream stub = StubUpstream.start()) {
 *     stub.enqueue("/chat/completions", StubResponse.error(503, "overloaded"));
 *     // the first chat request gets 503, later ones the default chat completion
 *     Gateway gateway = Gateway.fromConfig("""
 *         {"strategy": {"mode": "fallback"}, "targets": [
 *           {"provider": "openai", "api_key": "sk-a", "custom_host": "%1$s"},
 *           {"provider": "openai", "api_key": "sk-b", "custom_host": "%1$s"}]}
 *         """.formatted(stub.openAiBaseUrl()));
 *     GatewayResponse r = gateway.execute(GatewayRequest.chat(body).build());
 *     assertEquals(200, r.status());
 *     assertEquals(2, stub.hits("/chat/completions"));
 *     assertEquals("Bearer sk-b", stub.lastRequest().header("authorization"));
 * }
 * }</pre>
 *
 * <p>Which response answers a request: the oldest queued one for the longest path suffix that
 * matches the request path ({@link #enqueue(String, StubResponse)}), else the oldest queued for any
 * path ({@link #enqueue(StubResponse)}), else the default ({@link #setDefault}). The initial default
 * is an OpenAI chat completion saying "Hello from the stub" (streamed when the request has
 * {@code "stream": true}), or an embeddings list for paths ending in {@code /embeddings}.
 *
 * <p>Each connection is served by its own daemon thread and supports keep-alive. Thread-safe.
 */
public final class StubUpstream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StubUpstream.class);
    /** Recordings are capped so a load test through the stub cannot exhaust memory; counters are exact. */
    private static final int MAX_RECORDED = 10_000;

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    /** Notified when a connection closes or a request arrives (for the await methods). */
    private final Object changes = new Object();

    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger threadIds = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bodyBytesReceived =
            new java.util.concurrent.atomic.AtomicLong();

    // Guarded by "this".
    private final Deque<StubResponse> anyPath = new ArrayDeque<>();
    private final Map<String, Deque<StubResponse>> byPath = new HashMap<>();
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private final Map<String, Integer> hitsByPath = new LinkedHashMap<>();
    private StubResponse defaultResponse = StubResponse.openAiDefault();
    private int hits;
    private int connectionCount;

    private StubUpstream(ServerSocket server) {
        this.server = server;
    }

    /**
     * Starts a stub on {@code 127.0.0.1} and a free port.
     *
     * @return the running stub; close it when done
     * @throws java.io.UncheckedIOException when no port can be opened
     */
    public static StubUpstream start() {
        ServerSocket server;
        try {
            server = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a stub upstream on 127.0.0.1: " + e.getMessage(), e);
        }
        StubUpstream stub = new StubUpstream(server);
        Thread acceptor = new Thread(stub::acceptLoop, "stub-upstream-" + server.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return stub;
    }

    /** {@return the port the stub listens on} */
    public int port() {
        return server.getLocalPort();
    }

    /** {@return {@code http://127.0.0.1:<port>}} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** {@return {@code http://127.0.0.1:<port>/v1}: what an OpenAI client or a {@code custom_host} expects} */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    // ---- script --------------------------------------------------------------------------------

    /**
     * Queues a response for the next request on any path.
     *
     * @param response the response
     */
    public synchronized void enqueue(StubResponse response) {
        anyPath.addLast(Objects.requireNonNull(response, "response"));
    }

    /**
     * Queues a response for the next request whose path ends with {@code pathSuffix}, e.g.
     * {@code "/chat/completions"}. Per-path queues win over the any-path queue.
     *
     * @param pathSuffix the end of the path, not empty
     * @param response   the response
     */
    public synchronized void enqueue(String pathSuffix, StubResponse response) {
        Objects.requireNonNull(pathSuffix, "pathSuffix");
        Objects.requireNonNull(response, "response");
        if (pathSuffix.isEmpty()) {
            throw new IllegalArgumentException("pathSuffix must not be empty; use enqueue(response) for any path");
        }
        byPath.computeIfAbsent(pathSuffix, k -> new ArrayDeque<>()).addLast(response);
    }

    /**
     * Sets the response used when no queued response matches (replaces the OpenAI default until {@link #reset()}).
     *
     * @param response the response
     */
    public synchronized void setDefault(StubResponse response) {
        defaultResponse = Objects.requireNonNull(response, "response");
    }

    /**
     * Returns the stub to its freshly started state: clears the queues, counters and recordings and
     * restores the initial default response. Connections stay open.
     */
    public synchronized void reset() {
        anyPath.clear();
        byPath.clear();
        recorded.clear();
        hitsByPath.clear();
        hits = 0;
        connectionCount = 0;
        defaultResponse = StubResponse.openAiDefault();
    }

    // ---- recordings ----------------------------------------------------------------------------

    /** {@return how many requests arrived (complete request read, whatever the answer)} */
    public synchronized int hits() {
        return hits;
    }

    /**
     * Counts the requests on some paths.
     *
     * @param pathSuffix the end of the path, e.g. {@code /embeddings}
     * @return how many requests arrived whose path ends with {@code pathSuffix}
     */
    public synchronized int hits(String pathSuffix) {
        Objects.requireNonNull(pathSuffix, "pathSuffix");
        int n = 0;
        for (Map.Entry<String, Integer> e : hitsByPath.entrySet()) {
            if (e.getKey().endsWith(pathSuffix)) {
                n += e.getValue();
            }
        }
        return n;
    }

    /**
     * Request body bytes received so far, counted as they arrive (also while a large multipart
     * upload is still coming in): lets a test check that a client streams rather than buffers.
     *
     * @return the count since the stub started
     */
    public long bodyBytesReceived() {
        return bodyBytesReceived.get();
    }

    /** {@return how many TCP connections were accepted: with keep-alive, fewer than {@link #hits()}} */
    public synchronized int connections() {
        return connectionCount;
    }

    /**
     * {@return how many connections are open now: accepted and not yet closed by either side} A
     * stalled or hanging answer keeps its connection open until the client closes it.
     */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Waits until at most {@code n} connections are open ({@link #openConnections()}).
     *
     * @param n       the most connections still open
     * @param timeout the longest wait
     * @return true when it came to that within {@code timeout}
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitOpenConnections(int n, Duration timeout) throws InterruptedException {
        return awaitState(() -> connections.size() <= n, timeout);
    }

    /**
     * Waits until at least {@code n} requests arrived ({@link #hits()}).
     *
     * @param n       the requests
     * @param timeout the longest wait
     * @return true when they arrived within {@code timeout}
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitHits(int n, Duration timeout) throws InterruptedException {
        return awaitState(() -> hits() >= n, timeout);
    }

    private boolean awaitState(java.util.function.BooleanSupplier reached, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!reached.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(changes, left);
            }
            return true;
        }
    }

    private void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /** {@return the most recent request, or null when none arrived} */
    public synchronized RecordedRequest lastRequest() {
        return recorded.peekLast();
    }

    /** {@return the requests in arrival order (the latest 10 000 at most), as an immutable copy} */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(new ArrayList<>(recorded));
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Stops accepting, closes every connection and releases {@link StubResponse#hang()} answers. Idempotent. */
    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing stub server socket", e);
        }
        for (Socket s : connections) {
            closeQuietly(s);
        }
    }

    @Override
    public String toString() {
        return "StubUpstream{" + baseUrl() + (closed.getCount() == 0 ? ", closed" : "") + "}";
    }

    // ---- server --------------------------------------------------------------------------------

    private void acceptLoop() {
        while (closed.getCount() > 0) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed.getCount() > 0) {
                    LOG.warn("stub upstream {} stopped accepting: {}", baseUrl(), e.toString());
                }
                return;
            }
            connections.add(socket);
            if (closed.getCount() == 0) {
                closeQuietly(socket); // raced with close()
                return;
            }
            synchronized (this) {
                connectionCount++;
            }
            Thread t =
                    new Thread(() -> serve(socket), "stub-upstream-" + port() + "-conn-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (closed.getCount() > 0) {
                RecordedRequest request = Http1RequestReader.read(in, out, bodyBytesReceived);
                if (request == null) {
                    return; // client closed an idle keep-alive connection
                }
                StubResponse response = record(request).resolve(request);
                changed();
                if (!StubResponseWriter.write(response, request, socket, in, out, closed)) {
                    return;
                }
            }
        } catch (SocketException e) {
            LOG.debug("stub connection ended: {}", e.toString());
        } catch (IOException e) {
            LOG.debug("stub connection failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A response factory failed: the test sees a reset connection, the log says why.
            LOG.warn("stub upstream could not answer: {}", e.toString(), e);
        } finally {
            closeQuietly(socket);
            connections.remove(socket);
            changed();
        }
    }

    /** Records the request and picks its response, atomically so concurrent requests never share one. */
    private synchronized StubResponse record(RecordedRequest request) {
        hits++;
        hitsByPath.merge(request.path(), 1, Integer::sum);
        if (recorded.size() == MAX_RECORDED) {
            recorded.removeFirst();
        }
        recorded.addLast(request);

        Deque<StubResponse> best = null;
        int bestLength = -1;
        for (Map.Entry<String, Deque<StubResponse>> e : byPath.entrySet()) {
            if (!e.getValue().isEmpty()
                    && request.path().endsWith(e.getKey())
                    && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        if (best != null) {
            return best.removeFirst();
        }
        StubResponse next = anyPath.pollFirst();
        return next != null ? next : defaultResponse;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing stub connection", e);
        }
    }
}
