package dev.switchboard.internal.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 for framing tests: each accepted connection runs a script on
 * its own thread, which reads requests and writes whatever bytes it likes. It counts connections,
 * records requests, and counts connections the client closed (EOF or reset seen by a read).
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does with one connection. */
    interface Script {
        void run(Conn c) throws Exception;
    }

    /** A request as the server read it. */
    record Request(String line, List<String> headerLines, Map<String, String> headers, byte[] body, boolean chunked) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final AtomicInteger connections = new AtomicInteger();
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    /** Released once per connection whose client closed it. */
    final Semaphore clientClosed = new Semaphore(0);

    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Script script;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ScriptedServer(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        this.acceptor = new Thread(this::accept, "scripted-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    static ScriptedServer startTls(String keystore, Script script) throws Exception {
        SSLServerSocket s = (SSLServerSocket)
                context(keystore).getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new ScriptedServer(s, script);
    }

    /** A TLS context with the test key of {@code keystore} (a resource under /http1), trusting its certificate. */
    static SSLContext context(String keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = ScriptedServer.class.getResourceAsStream("/http1/" + keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Answers every request on a connection with {@code answer(request)} until the client closes it. */
    static Script keepAlive(Function<Request, String> answer) {
        return c -> {
            Request r;
            while ((r = c.read()) != null) {
                c.write(answer.apply(r));
            }
        };
    }

    /** A response with a content-length body. */
    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    int port() {
        return server.getLocalPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create(
                (server instanceof SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + port() + pathAndQuery);
    }

    boolean awaitClientClosed(int n) throws InterruptedException {
        return clientClosed.tryAcquire(n, 10, TimeUnit.SECONDS);
    }

    Request nextRequest() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the server got no request");
        }
        return r;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "scripted-server-" + connections.get());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(20_000);
            s.setTcpNoDelay(true);
            script.run(new Conn(s));
        } catch (Throwable t) {
            if (!server.isClosed()) {
                errors.add(t);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** One accepted connection. */
    final class Conn {
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads a request (body by content-length or chunked); null when the client closed the connection. */
        Request read() throws IOException {
            String line = line();
            if (line == null) {
                clientClosed.release();
                return null;
            }
            List<String> lines = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while (!(h = line()).isEmpty()) {
                lines.add(h);
                int colon = h.indexOf(':');
                headers.put(
                        h.substring(0, colon).toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).trim());
            }
            byte[] body;
            boolean chunked = "chunked".equals(headers.get("transfer-encoding"));
            if (chunked) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (; ; ) {
                    int size = Integer.parseInt(line(), 16);
                    if (size == 0) {
                        line();
                        break;
                    }
                    b.write(in.readNBytes(size));
                    line();
                }
                body = b.toByteArray();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = new byte[0];
            }
            Request r = new Request(line, lines, headers, body, chunked);
            requests.add(r);
            return r;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            try {
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                    }
                    if (c != '\r') {
                        b.write(c);
                    }
                }
            } catch (SocketException e) { // a reset: the client closed it too
                return null;
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        void write(String s) throws IOException {
            write(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        /** Waits until the client closes the connection (any bytes before are dropped). */
        void awaitClose() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain
                }
            } catch (SocketException e) {
                // reset: closed as well
            }
            clientClosed.release();
        }
    }
}
