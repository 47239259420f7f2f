package dev.switchboard.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Body;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.spi.AnswerTooLargeException;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http1TransportTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ScriptedServer server(ScriptedServer.Script script) throws IOException {
        ScriptedServer s = ScriptedServer.start(script);
        open.add(s);
        return s;
    }

    private Http1Transport transport() {
        return transport(Http1Transport.builder());
    }

    private Http1Transport transport(Http1Transport.Builder b) {
        Http1Transport t = b.build();
        open.add(t);
        return t;
    }

    private static UpstreamRequest post(URI uri, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Authorization", "Bearer sk-test");
        return UpstreamRequest.post(uri, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static UpstreamRequest get(URI uri) {
        return new UpstreamRequest("GET", uri, Map.of(), null);
    }

    private static String text(UpstreamResponse r) throws Exception {
        return new String(r.readAll().get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    // ---- framing of the request

    @Test
    void sendsTheRequestLineHostHeadersAndLengthAndReusesTheConnection() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("answer " + r.bodyText())));
        Http1Transport t = transport();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Custom", "v1");
        h.put("Authorization", "Bearer sk-test");
        h.put("Connection", "close");
        h.put("Host", "evil.example");
        h.put("Expect", "100-continue");
        h.put("Upgrade", "h2c");
        h.put("Transfer-Encoding", "gzip");
        h.put("Content-Length", "999");
        URI uri = s.uri("/v1/chat/completions?api-version=2024-01-01&x=a%20b");
        UpstreamRequest req = UpstreamRequest.post(uri, h, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        UpstreamResponse r1 = t.sendBlocking(req, false);
        UpstreamResponse r2 = t.sendBlocking(post(s.uri(""), "two"), false);

        assertEquals(200, r1.status());
        assertEquals("answer {\"a\":1}", text(r1));
        assertEquals("answer two", text(r2));
        assertEquals(List.of("text/plain"), r1.headers("content-type"));
        assertEquals(1, s.connections.get(), "the second request went on the kept connection");
        ScriptedServer.Request first = s.nextRequest();
        assertEquals("POST /v1/chat/completions?api-version=2024-01-01&x=a%20b HTTP/1.1", first.line());
        assertEquals("127.0.0.1:" + s.port(), first.header("host"));
        assertEquals("7", first.header("content-length"));
        assertEquals("v1", first.header("x-custom"));
        assertEquals("Bearer sk-test", first.header("authorization"));
        assertNull(first.header("connection"));
        assertNull(first.header("expect"));
        assertNull(first.header("upgrade"));
        assertNull(first.header("transfer-encoding"));
        assertEquals(
                1,
                first.headerLines().stream()
                        .filter(l -> l.regionMatches(true, 0, "host:", 0, 5))
                        .count());
        assertEquals("POST / HTTP/1.1", s.nextRequest().line(), "an empty path is sent as /");
        assertEquals(1, t.idleConnections());
    }

    @Test
    void getWithoutBodyHasNoLengthAndAnEmptyPostHasLengthZero() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("")));
        Http1Transport t = transport();
        t.sendBlocking(get(s.uri("/models")), false);
        t.sendBlocking(new UpstreamRequest("DELETE", s.uri("/files/1"), Map.of(), null), false);
        t.sendBlocking(new UpstreamRequest("POST", s.uri("/x"), Map.of(), null), false);
        ScriptedServer.Request g = s.nextRequest();
        assertEquals("GET /models HTTP/1.1", g.line());
        assertNull(g.header("content-length"));
        assertNull(g.header("transfer-encoding"));
        assertNull(s.nextRequest().header("content-length"), "DELETE without body");
        assertEquals("0", s.nextRequest().header("content-length"), "an empty POST says so");
    }

    @Test
    void aDefaultPortIsLeftOutOfTheHostHeader() throws Exception {
        Http1Pool pool = new Http1Pool(1, 1, System::nanoTime);
        assertEquals("api.example", ascii(pool.route(URI.create("https://api.example/v1")).hostHeader));
        assertEquals("api.example", ascii(pool.route(URI.create("http://api.example:80/v1")).hostHeader));
        assertEquals("api.example:8443", ascii(pool.route(URI.create("https://api.example:8443/v1")).hostHeader));
        assertEquals("[::1]:8080", ascii(pool.route(URI.create("http://[::1]:8080/")).hostHeader));
        assertEquals("::1", pool.route(URI.create("http://[::1]:8080/")).connectHost);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> pool.route(URI.create("ftp://h.example/x?key=sk-test")));
        assertFalse(e.getMessage().contains("sk-test"));
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedWithoutEchoingIt() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("")));
        Http1Transport t = transport();
        UpstreamRequest req =
                UpstreamRequest.post(s.uri("/"), Map.of("Authorization", "sk-test\r\nX-Evil: 1"), new byte[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.sendBlocking(req, false));
        assertTrue(e.getMessage().contains("'Authorization'"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-test"), e.getMessage());
        UpstreamRequest badName = UpstreamRequest.post(s.uri("/"), Map.of("Bad Name", "v"), new byte[0]);
        IllegalArgumentException e2 =
                assertThrows(IllegalArgumentException.class, () -> t.sendBlocking(badName, false));
        assertEquals("request header name 'Bad Name' is not an HTTP token", e2.getMessage());
        assertEquals(0, s.requests.size(), "nothing was sent");
    }

    // ---- framing of the answer

    @Test
    void chunkedAnswerWithExtensionsAndTrailersThenTheConnectionIsReused() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"));
        Http1Transport t = transport();
        assertEquals("hello world", text(t.sendBlocking(post(s.uri("/a"), "1"), false)));
        assertEquals("hello world", text(t.sendBlocking(post(s.uri("/a"), "2"), true)));
        assertEquals("hello world", text(t.sendBlocking(post(s.uri("/a"), "3"), false)));
        assertEquals(1, s.connections.get());
    }

    @Test
    void anAnswerReadUntilCloseIsNotKept() throws Exception {
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        });
        Http1Transport t = transport();
        assertEquals("until the end", text(t.sendBlocking(post(s.uri("/"), "x"), false)));
        assertEquals(0, t.idleConnections());
    }

    @Test
    void interimAnswersAreSkipped() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ScriptedServer.ok("final")));
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), false);
        assertEquals(200, r.status());
        assertEquals("final", text(r));
        assertTrue(r.header("link").isEmpty(), "the interim answer's headers are dropped");
        assertEquals(1, t.idleConnections());
    }

    @Test
    void http10IsKeptOnlyWithKeepAlive() throws Exception {
        ScriptedServer plain = server(ScriptedServer.keepAlive(r -> "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        ScriptedServer kept = server(ScriptedServer.keepAlive(
                r -> "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"));
        Http1Transport t = transport();
        assertEquals("ok", text(t.sendBlocking(post(plain.uri("/"), "x"), false)));
        assertEquals(0, t.idleConnections());
        assertTrue(plain.awaitClientClosed(1), "an HTTP/1.0 answer's connection is closed");
        assertEquals("ok", text(t.sendBlocking(post(kept.uri("/"), "x"), false)));
        assertEquals(1, t.idleConnections());
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        ScriptedServer s = server(
                ScriptedServer.keepAlive(r -> "HTTP/1.1 200 OK\r\nconnection: close\r\nContent-Length: 2\r\n\r\nok"));
        Http1Transport t = transport();
        assertEquals("ok", text(t.sendBlocking(post(s.uri("/"), "x"), false)));
        assertEquals("ok", text(t.sendBlocking(post(s.uri("/"), "x"), true)));
        assertEquals(0, t.idleConnections());
        assertTrue(s.awaitClientClosed(2));
        assertEquals(2, s.connections.get());
    }

    @Test
    void noBodyForHead204And304() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> switch (r.line().substring(0, 4)) {
            case "HEAD" -> "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n";
            case "GET " -> "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n";
            default -> "HTTP/1.1 204 No Content\r\n\r\n";
        }));
        Http1Transport t = transport();
        UpstreamResponse head = t.sendBlocking(new UpstreamRequest("HEAD", s.uri("/"), Map.of(), null), false);
        assertEquals(200, head.status());
        assertEquals("", text(head));
        assertEquals(304, t.sendBlocking(get(s.uri("/")), true).status());
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), true);
        assertEquals(204, r.status());
        assertEquals("", text(r));
        assertEquals(1, s.connections.get(), "all three on one connection");
    }

    @Test
    void repeatedHeadersKeepEveryValueAndTheirNames() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> "HTTP/1.1 429 Too Many Requests\r\n"
                + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nRetry-After:  7 \r\nContent-Length: 0\r\n\r\n"));
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), false);
        assertEquals(429, r.status());
        assertEquals(List.of("a=1", "b=2"), r.headers("set-cookie"));
        assertEquals("7", r.header("Retry-After").orElseThrow());
    }

    @Test
    void aKeptConnectionTheServerClosedIsRetriedOnceOnANewOne() throws Exception {
        ScriptedServer s = server(c -> {
            c.read();
            c.write(ScriptedServer.ok("first"));
            // then closes: the client still holds this connection as idle
        });
        Http1Transport t = transport();
        assertEquals("first", text(t.sendBlocking(post(s.uri("/"), "x"), false)));
        // the server closed its end; whatever the timing, the kept connection fails with no answer
        // byte (a reset on write, EOF or a reset before the status line) and is replaced once
        assertEquals("first", text(t.sendBlocking(post(s.uri("/"), "x"), false)));
        assertEquals(2, s.connections.get());
    }

    @Test
    void aNewConnectionClosedBeforeTheAnswerIsNotRetried() throws Exception {
        ScriptedServer s = server(c -> c.read());
        Http1Transport t = transport();
        IOException e = assertThrows(IOException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertEquals("127.0.0.1:" + s.port() + " closed the connection before the answer's headers", e.getMessage());
        assertEquals(1, s.connections.get());
    }

    @Test
    void aKeptConnectionIsRetriedOnlyOnce() throws Exception {
        AtomicLong served = new AtomicLong();
        ScriptedServer s = server(c -> {
            c.read();
            if (served.getAndIncrement() == 0) {
                c.write(ScriptedServer.ok("first"));
            }
        });
        Http1Transport t = transport();
        assertEquals("first", text(t.sendBlocking(post(s.uri("/"), "x"), false)));
        IOException e = assertThrows(IOException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertTrue(e.getMessage().contains("closed the connection before the answer's headers"), e.getMessage());
        assertEquals(2, s.connections.get(), "the kept one, then one new one; no third");
    }

    @Test
    void aHeaderSectionOver64KiBIsRefused() throws Exception {
        String big = "X-Big: " + "a".repeat(70 * 1024) + "\r\n";
        ScriptedServer s =
                server(ScriptedServer.keepAlive(r -> "HTTP/1.1 200 OK\r\n" + big + "Content-Length: 0\r\n\r\n"));
        Http1Transport t = transport();
        IOException e = assertThrows(IOException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertEquals(
                "the answer's header section from 127.0.0.1:" + s.port() + " is larger than 65536 bytes",
                e.getMessage());
        assertTrue(s.awaitClientClosed(1));
    }

    @Test
    void manyHeadersUnder64KiBAreRead() throws Exception {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            h.append("X-H").append(i).append(": ").append("v".repeat(150)).append("\r\n");
        }
        ScriptedServer s =
                server(ScriptedServer.keepAlive(r -> "HTTP/1.1 200 OK\r\n" + h + "Content-Length: 2\r\n\r\nok"));
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), false);
        assertEquals("ok", text(r));
        assertEquals("v".repeat(150), r.header("x-h299").orElseThrow());
    }

    @Test
    void aMalformedStatusLineIsNamed() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> "XYZ\r\n\r\n"));
        Http1Transport t = transport();
        IOException e = assertThrows(IOException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertEquals(
                "malformed status line from 127.0.0.1:" + s.port() + ": found 'XYZ', expected 'HTTP/1.1 <status> ...'",
                e.getMessage());
        ScriptedServer long1 = server(ScriptedServer.keepAlive(r -> "Y".repeat(500) + "\r\n\r\n"));
        IOException e2 = assertThrows(IOException.class, () -> t.sendBlocking(post(long1.uri("/"), "x"), false));
        assertTrue(e2.getMessage().contains("found '" + "Y".repeat(100) + "…'"), e2.getMessage());
    }

    @Test
    void aTruncatedBodyFails() throws Exception {
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        });
        Http1Transport t = transport();
        IOException e = assertThrows(IOException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertEquals(
                "127.0.0.1:" + s.port()
                        + " closed the connection before the end of the answer's body (10 of 100 bytes)",
                e.getMessage());
    }

    @Test
    void aTruncatedStreamedChunkedBodyFailsTheSubscriber() throws Exception {
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc");
        });
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), true);
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> r.readAll().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("before the end of the answer's body"), e.getMessage());
    }

    @Test
    void aMalformedChunkSizeIsNamed() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(
                r -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
        Http1Transport t = transport();
        IOException e = assertThrows(IOException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertEquals(
                "malformed chunk size from 127.0.0.1:" + s.port() + ": found 'zz', expected hexadecimal digits",
                e.getMessage());
        assertTrue(s.awaitClientClosed(1));
    }

    @Test
    void anAnswerOverTheCapFailsAndClosesTheConnection() throws Exception {
        ScriptedServer declared = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            c.awaitClose(); // never sends the body: the client fails on the declared length
        });
        ScriptedServer chunked = server(ScriptedServer.keepAlive(r -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n40\r\n" + "x".repeat(64) + "\r\n40\r\n" + "y".repeat(64) + "\r\n0\r\n\r\n"));
        Http1Transport t = transport(Http1Transport.builder().maxAnswerBytes(100));
        AnswerTooLargeException e1 =
                assertThrows(AnswerTooLargeException.class, () -> t.sendBlocking(post(declared.uri("/"), "x"), false));
        assertEquals(100, e1.maxBytes());
        assertTrue(declared.awaitClientClosed(1));
        assertThrows(AnswerTooLargeException.class, () -> t.sendBlocking(post(chunked.uri("/"), "x"), false));
        assertTrue(chunked.awaitClientClosed(1));
        ScriptedServer exact = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("z".repeat(100))));
        assertEquals(100, text(t.sendBlocking(post(exact.uri("/"), "x"), false)).length(), "the cap itself is fine");
    }

    // ---- interruption and cancellation

    /** Runs {@code sendBlocking} on a new thread; the future has what it returned or threw. */
    private static CompletableFuture<Object> blockingSend(Http1Transport t, UpstreamRequest req, boolean stream) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread th = new Thread(() -> {
            try {
                result.complete(t.sendBlocking(req, stream));
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        th.setDaemon(true);
        th.start();
        result.whenComplete((v, e) -> {}); // keeps the thread reachable from the future's side
        threads.put(result, th);
        return result;
    }

    private static final Map<CompletableFuture<Object>, Thread> threads =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Waits until the send's thread is blocked in a socket channel method whose name has {@code method}
     * (any case: read, blockingRead, blockingConnect), so that the interrupt hits the blocked call, not the code before it.
     */
    private static void awaitBlockedIn(CompletableFuture<Object> send, String method) {
        Thread th = threads.get(send);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (StackTraceElement f : th.getStackTrace()) {
                if (f.getClassName().equals("sun.nio.ch.SocketChannelImpl")
                        && f.getMethodName().toLowerCase(java.util.Locale.ROOT).contains(method)) {
                    return;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polls a condition; no timing depends on it
        }
        throw new AssertionError("the send never blocked in SocketChannelImpl." + method + ": "
                + java.util.Arrays.toString(th.getStackTrace()));
    }

    private static void interruptAndExpect(CompletableFuture<Object> send) throws Exception {
        threads.get(send).interrupt();
        Object outcome = send.get(5, TimeUnit.SECONDS);
        assertInstanceOf(InterruptedException.class, outcome, String.valueOf(outcome));
        threads.remove(send);
    }

    @Test
    void interruptWhileWaitingForTheHeadersClosesTheConnection() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        ScriptedServer s = server(c -> {
            c.read();
            got.countDown();
            c.awaitClose();
        });
        Http1Transport t = transport();
        CompletableFuture<Object> send = blockingSend(t, post(s.uri("/"), "x"), false);
        assertTrue(got.await(10, TimeUnit.SECONDS));
        awaitBlockedIn(send, "read");
        interruptAndExpect(send);
        assertTrue(s.awaitClientClosed(1), "the server saw the connection closed");
        assertEquals(0, t.idleConnections());
    }

    @Test
    void interruptWhileReadingAWholeBodyClosesTheConnection() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            sent.countDown();
            c.awaitClose();
        });
        Http1Transport t = transport();
        CompletableFuture<Object> send = blockingSend(t, post(s.uri("/"), "x"), false);
        assertTrue(sent.await(10, TimeUnit.SECONDS));
        awaitBlockedIn(send, "read");
        interruptAndExpect(send);
        assertTrue(s.awaitClientClosed(1));
    }

    @Test
    void aThreadInterruptedBeforeTheSendThrowsAtOnce() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("")));
        Http1Transport t = transport();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(0, s.connections.get());
    }

    /** A listening socket whose accept queue is full: a connect to it hangs (SYNs dropped). */
    private ServerSocket fullBacklog() throws IOException {
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(ss);
        for (int i = 0; i < 20; i++) {
            Socket filler = new Socket();
            open.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), 200);
            } catch (SocketTimeoutException e) {
                return ss;
            }
        }
        throw new AssertionError("could not fill the accept queue");
    }

    @Test
    void aConnectThatTakesTooLongTimesOut() throws Exception {
        ServerSocket ss = fullBacklog();
        Http1Transport t = transport(Http1Transport.builder().connectTimeout(Duration.ofMillis(300)));
        URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
        HttpConnectTimeoutException e =
                assertThrows(HttpConnectTimeoutException.class, () -> t.sendBlocking(post(uri, "x"), false));
        assertEquals("connect to 127.0.0.1:" + ss.getLocalPort() + " timed out after 300 ms", e.getMessage());
    }

    @Test
    void interruptWhileConnectingUnblocks() throws Exception {
        ServerSocket ss = fullBacklog();
        Http1Transport t = transport();
        URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
        CompletableFuture<Object> send = blockingSend(t, post(uri, "x"), false);
        awaitBlockedIn(send, "connect"); // blockingConnect, finishTimedConnect
        long start = System.nanoTime();
        interruptAndExpect(send);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "promptly, long before the 10 s timeout");
    }

    @Test
    void aRefusedConnectNamesThePlace() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        Http1Transport t = transport();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        ConnectException e = assertThrows(ConnectException.class, () -> t.sendBlocking(post(uri, "x"), false));
        assertTrue(e.getMessage().startsWith("connect to 127.0.0.1:" + port + " failed"), e.getMessage());
    }

    @Test
    void cancellingAnAsyncSendClosesItsSocket() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        ScriptedServer s = server(c -> {
            c.read();
            got.countDown();
            c.awaitClose();
        });
        Http1Transport t = transport();
        CompletableFuture<UpstreamResponse> f = t.send(post(s.uri("/"), "x"), false);
        assertTrue(got.await(10, TimeUnit.SECONDS));
        assertTrue(f.cancel(true));
        assertTrue(s.awaitClientClosed(1), "the cancelled exchange's socket was closed");
        assertEquals(0, t.idleConnections());
    }

    @Test
    void asyncSendRunsOnAPooledNamedThread() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch answer = new CountDownLatch(1);
        ScriptedServer s = server(c -> {
            c.read();
            assertTrue(answer.await(10, TimeUnit.SECONDS));
            c.write(ScriptedServer.ok("async"));
            c.awaitClose();
        });
        Http1Transport t = transport();
        CompletableFuture<UpstreamResponse> f = t.send(post(s.uri("/"), "x"));
        CompletableFuture<UpstreamResponse> seen =
                f.whenComplete((v, e) -> thread.set(Thread.currentThread().getName()));
        answer.countDown(); // the future completes after the stage was added: on the exchange's thread
        UpstreamResponse r = seen.get(10, TimeUnit.SECONDS);
        assertEquals("async", text(r));
        assertTrue(thread.get().startsWith("switchboard-http1-"), thread.get());
        assertEquals(1, t.idleConnections());
    }

    // ---- streamed bodies

    /** Records a body's signals; requests only when told. */
    private static final class Recorder implements Flow.Subscriber<List<ByteBuffer>> {
        final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        volatile Flow.Subscription subscription;
        final long initial;

        Recorder(long initial) {
            this.initial = initial;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (initial > 0) {
                s.request(initial);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            StringBuilder sb = new StringBuilder();
            for (ByteBuffer b : items) {
                sb.append(StandardCharsets.UTF_8.decode(b));
            }
            signals.add(sb.toString());
        }

        @Override
        public void onError(Throwable t) {
            signals.add(t);
        }

        @Override
        public void onComplete() {
            signals.add("COMPLETE");
        }

        Object next() throws InterruptedException {
            Object o = signals.poll(10, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("no signal came");
            }
            return o;
        }
    }

    @Test
    void aStreamIsDeliveredEventByEventAsItArrives() throws Exception {
        List<CountDownLatch> received = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                String event = "data: " + i + "\n\n";
                c.write(Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
                assertTrue(received.get(i).await(10, TimeUnit.SECONDS), "the client got event " + i);
            }
            c.write("0\r\n\r\n");
            c.awaitClose();
        });
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), true);
        assertEquals("text/event-stream", r.header("content-type").orElseThrow());
        Recorder rec = new Recorder(Long.MAX_VALUE);
        r.body().subscribe(rec);
        for (int i = 0; i < 3; i++) {
            assertEquals("data: " + i + "\n\n", rec.next(), "event " + i + " before the server sent the next");
            received.get(i).countDown();
        }
        assertEquals("COMPLETE", rec.next());
        assertEquals(1, t.idleConnections(), "a stream read to its end gives its connection back");
        assertTrue(s.errors.isEmpty(), s.errors.toString());
    }

    @Test
    void demandIsRespected() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc");
            assertTrue(second.await(10, TimeUnit.SECONDS));
            c.write("def");
            c.awaitClose();
        });
        Http1Transport t = transport();
        Recorder rec = new Recorder(0);
        t.sendBlocking(post(s.uri("/"), "x"), true).body().subscribe(rec);
        assertNull(rec.signals.poll(200, TimeUnit.MILLISECONDS), "nothing before a request");
        rec.subscription.request(1);
        assertEquals("abc", rec.next());
        second.countDown();
        assertNull(rec.signals.poll(200, TimeUnit.MILLISECONDS), "no onNext without a request");
        rec.subscription.request(1);
        assertEquals("def", rec.next());
        assertEquals("COMPLETE", rec.next());
    }

    @Test
    void requestingOneAtATimeFromOnNextNeitherRecursesNorStalls() throws Exception {
        int events = 2000;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < events; i++) {
            String e = "data: " + i + "\n\n";
            body.append(Integer.toHexString(e.length()))
                    .append("\r\n")
                    .append(e)
                    .append("\r\n");
        }
        body.append("0\r\n\r\n");
        ScriptedServer s =
                server(ScriptedServer.keepAlive(r -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body));
        Http1Transport t = transport();
        StringBuilder got = new StringBuilder();
        CompletableFuture<Integer> depth = new CompletableFuture<>();
        t.sendBlocking(post(s.uri("/"), "x"), true).body().subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription sub;
            private int nested;
            private int maxNested;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                sub = subscription;
                sub.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                nested++;
                maxNested = Math.max(maxNested, nested);
                items.forEach(b -> got.append(StandardCharsets.UTF_8.decode(b)));
                sub.request(1); // what the gateway's StreamPump does
                nested--;
            }

            @Override
            public void onError(Throwable t) {
                depth.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                depth.complete(maxNested);
            }
        });
        assertEquals(1, depth.get(10, TimeUnit.SECONDS), "onNext never runs inside onNext");
        assertTrue(got.toString().endsWith("data: " + (events - 1) + "\n\n"));
        assertEquals(events, got.toString().split("\n\n").length);
    }

    @Test
    void cancellingAStreamClosesItsConnectionAndSignalsNothingMore() throws Exception {
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst.\r\n");
            c.awaitClose();
        });
        Http1Transport t = transport();
        Recorder rec = new Recorder(Long.MAX_VALUE);
        t.sendBlocking(post(s.uri("/"), "x"), true).body().subscribe(rec);
        assertEquals("first.", rec.next());
        rec.subscription.cancel(); // the reader is blocked waiting for more: the close ends it
        assertTrue(s.awaitClientClosed(1));
        assertNull(rec.signals.poll(200, TimeUnit.MILLISECONDS), "no signal after cancel");
        assertEquals(0, t.idleConnections());
    }

    @Test
    void aSecondSubscriberIsRefused() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("one")));
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/"), "x"), true);
        assertEquals("one", text(r));
        Recorder second = new Recorder(1);
        r.body().subscribe(second);
        assertInstanceOf(IllegalStateException.class, second.next());
    }

    // ---- request bodies

    @Test
    void multipartUploadWithKnownLengthAndAStreamOfUnknownLengthChunked() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("got " + r.body().length)));
        Http1Transport t = transport();
        byte[] audio = new byte[100_000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        MultipartBody form = MultipartBody.builder()
                .field("model", "whisper-1")
                .file("file", "talk.wav", "audio/wav", audio)
                .build();
        Map<String, String> h = Map.of("Content-Type", "application/json", "Authorization", "Bearer sk-test");
        UpstreamResponse r = t.sendBlocking(UpstreamRequest.post(s.uri("/v1/audio"), h, form), false);
        ScriptedServer.Request got = s.nextRequest();
        byte[] expected = form.openStream().readAllBytes();
        assertEquals("got " + expected.length, text(r));
        assertArrayEquals(expected, got.body());
        assertEquals(String.valueOf(form.contentLength()), got.header("content-length"));
        assertEquals(form.contentType(), got.header("content-type"), "the multipart body's own type wins");
        assertFalse(got.chunked());

        Body stream = Body.stream(new ByteArrayInputStream(audio), "audio/wav", -1);
        UpstreamResponse r2 = t.sendBlocking(UpstreamRequest.post(s.uri("/v1/raw"), Map.of(), stream), false);
        ScriptedServer.Request got2 = s.nextRequest();
        assertEquals("got " + audio.length, text(r2));
        assertTrue(got2.chunked());
        assertNull(got2.header("content-length"));
        assertEquals("audio/wav", got2.header("content-type"));
        assertArrayEquals(audio, got2.body());
        assertEquals(1, s.connections.get());
    }

    // ---- the pool

    @Test
    void closeClosesIdleSocketsAndRefusesSends() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("ok")));
        Http1Transport t = transport();
        t.sendBlocking(post(s.uri("/"), "x"), false);
        assertEquals(1, t.idleConnections());
        t.close();
        assertTrue(s.awaitClientClosed(1), "the idle socket was closed");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertEquals("transport is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.send(post(s.uri("/"), "x")));
    }

    @Test
    void aConnectionInUseWhenClosedIsClosedWhenItsExchangeEnds() throws Exception {
        ScriptedServer s = server(c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
            c.write("lo");
            c.awaitClose();
        });
        Http1Transport t = transport();
        Recorder rec = new Recorder(0);
        t.sendBlocking(post(s.uri("/"), "x"), true).body().subscribe(rec);
        t.close();
        rec.subscription.request(Long.MAX_VALUE);
        StringBuilder got = new StringBuilder();
        Object o;
        while (!"COMPLETE".equals(o = rec.next())) {
            got.append(o);
        }
        assertEquals("hello", got.toString());
        assertTrue(s.awaitClientClosed(1));
        assertEquals(0, t.idleConnections());
    }

    @Test
    void anIdleConnectionOlderThanTheIdleTimeoutIsClosedWhenMet() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("ok")));
        AtomicLong now = new AtomicLong(1_000);
        Http1Transport t = transport(
                Http1Transport.builder().idleTimeout(Duration.ofSeconds(30)).nanoClock(now::get));
        t.sendBlocking(post(s.uri("/"), "x"), false);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        t.sendBlocking(post(s.uri("/"), "x"), false);
        assertEquals(1, s.connections.get(), "29 s idle: kept");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        t.sendBlocking(post(s.uri("/"), "x"), false);
        assertEquals(2, s.connections.get(), "31 s idle: a new connection");
        assertTrue(s.awaitClientClosed(1), "the expired connection was closed");
        assertEquals(1, t.idleConnections());
    }

    @Test
    void atMostMaxIdlePerRouteAreKept() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        ScriptedServer s = server(c -> {
            c.read();
            both.countDown();
            assertTrue(both.await(10, TimeUnit.SECONDS));
            c.write(ScriptedServer.ok("ok"));
            while (c.read() != null) {
                c.write(ScriptedServer.ok("ok"));
            }
        });
        Http1Transport t = transport(Http1Transport.builder().maxIdlePerRoute(1));
        CompletableFuture<UpstreamResponse> a = t.send(post(s.uri("/"), "x"), false);
        CompletableFuture<UpstreamResponse> b = t.send(post(s.uri("/"), "x"), false);
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        assertEquals(2, s.connections.get());
        assertEquals(1, t.idleConnections());
        assertTrue(s.awaitClientClosed(1), "the second idle connection was closed");
    }

    // ---- TLS

    @Test
    void httpsWithATrustedCertificateAndKeepAlive() throws Exception {
        ScriptedServer s = ScriptedServer.startTls(
                "localhost.p12", ScriptedServer.keepAlive(r -> ScriptedServer.ok("secure " + r.bodyText())));
        open.add(s);
        Http1Transport t = transport(Http1Transport.builder().sslContext(ScriptedServer.context("localhost.p12")));
        assertEquals("secure a", text(t.sendBlocking(post(s.uri("/v1"), "a"), false)));
        UpstreamResponse streamed = t.sendBlocking(post(s.uri("/v1"), "b"), true);
        assertEquals("secure b", text(streamed));
        assertEquals(1, s.connections.get());
        assertEquals("127.0.0.1:" + s.port(), s.nextRequest().header("host"));
        URI byName = URI.create("https://localhost:" + s.port() + "/v1");
        assertEquals("secure c", text(t.sendBlocking(post(byName, "c"), false)));
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        ScriptedServer s =
                ScriptedServer.startTls("wrong-host.p12", ScriptedServer.keepAlive(r -> ScriptedServer.ok("")));
        open.add(s);
        // the client trusts the certificate: only its name is wrong
        Http1Transport t = transport(Http1Transport.builder().sslContext(ScriptedServer.context("wrong-host.p12")));
        SSLHandshakeException e =
                assertThrows(SSLHandshakeException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
        assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + s.port() + " failed"), e.getMessage());
        assertTrue(s.requests.isEmpty());
    }

    @Test
    void anUntrustedCertificateIsRefusedByTheDefaultContext() throws Exception {
        ScriptedServer s =
                ScriptedServer.startTls("localhost.p12", ScriptedServer.keepAlive(r -> ScriptedServer.ok("")));
        open.add(s);
        Http1Transport t = transport();
        assertThrows(SSLHandshakeException.class, () -> t.sendBlocking(post(s.uri("/"), "x"), false));
    }

    @Test
    void aTlsHandshakeCountsAgainstTheConnectTimeout() throws Exception {
        ScriptedServer silent = server(ScriptedServer.Conn::awaitClose); // accepts, never answers the ClientHello
        Http1Transport t = transport(Http1Transport.builder()
                .connectTimeout(Duration.ofMillis(300))
                .sslContext(ScriptedServer.context("localhost.p12")));
        URI uri = URI.create("https://127.0.0.1:" + silent.port() + "/");
        HttpConnectTimeoutException e =
                assertThrows(HttpConnectTimeoutException.class, () -> t.sendBlocking(post(uri, "x"), false));
        assertEquals(
                "connect to 127.0.0.1:" + silent.port() + " timed out after 300 ms (TLS handshake)", e.getMessage());
        assertTrue(silent.awaitClientClosed(1));
    }

    @Test
    void interruptingATlsReadUnblocksIt() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        ScriptedServer s = ScriptedServer.startTls("localhost.p12", c -> {
            c.read();
            got.countDown();
            c.awaitClose();
        });
        open.add(s);
        Http1Transport t = transport(Http1Transport.builder().sslContext(ScriptedServer.context("localhost.p12")));
        CompletableFuture<Object> send = blockingSend(t, post(s.uri("/"), "x"), false);
        assertTrue(got.await(10, TimeUnit.SECONDS));
        awaitBlockedIn(send, "read"); // under the TLS socket: its adaptor reads through the channel
        long start = System.nanoTime();
        interruptAndExpect(send);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "promptly");
        assertTrue(s.awaitClientClosed(1));
    }

    @Test
    void cancellingATlsStreamUnblocksItsReader() throws Exception {
        ScriptedServer s = ScriptedServer.startTls("localhost.p12", c -> {
            c.read();
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst.\r\n");
            c.awaitClose();
        });
        open.add(s);
        Http1Transport t = transport(Http1Transport.builder().sslContext(ScriptedServer.context("localhost.p12")));
        Recorder rec = new Recorder(Long.MAX_VALUE);
        t.sendBlocking(post(s.uri("/"), "x"), true).body().subscribe(rec);
        assertEquals("first.", rec.next());
        rec.subscription.cancel();
        assertTrue(s.awaitClientClosed(1));
        assertNull(rec.signals.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void toStringShowsNoSecrets() throws Exception {
        ScriptedServer s = server(ScriptedServer.keepAlive(r -> ScriptedServer.ok("ok")));
        Http1Transport t = transport();
        UpstreamResponse r = t.sendBlocking(post(s.uri("/?key=sk-test"), "x"), true);
        assertFalse(t.toString().contains("sk-test"));
        assertFalse(r.body().toString().contains("sk-test"));
        assertEquals("ok", text(r));
    }
}
