package dev.switchboard.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A local upstream for Realtime sessions: a minimal RFC 6455 WebSocket server on {@code 127.0.0.1}
 * that speaks OpenAI's realtime event protocol well enough for tests. It accepts the handshake at any
 * path (answering a queued HTTP status instead, to test fallbacks), sends {@code session.created}
 * on connect, and answers every client event through a script — by default, {@code response.create}
 * gets {@code response.created}, one {@code response.output_text.delta} and a {@code response.done}
 * with {@link #usage(String)}. Client frames are unmasked, fragments joined, pings answered; the
 * server can send text, binary and close frames, or drop the connection without one.
 *
 * <pre>{@code
 * try (StubRealtime stub = StubRealtime.start()) {
 *     // config: {"provider": "openai", "api_key": "sk-test", "custom_host": stub.openAiBaseUrl()}
 *     StubRealtime.Connection c = stub.awaitConnection(Duration.ofSeconds(5));
 *     c.awaitMessage(Duration.ofSeconds(5));        // the first client event
 *     c.send("{\"type\":\"rate_limits.updated\"}");
 *     c.abort();                                    // no close frame: the gateway sees 1006
 * }
 * }</pre>
 */
public final class StubRealtime implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The default usage of a {@code response.done}: 100 input tokens (20 cached, 60 audio), 50 output (40 audio). */
    public static final String DEFAULT_USAGE = "{\"total_tokens\":150,\"input_tokens\":100,\"output_tokens\":50,"
            + "\"input_token_details\":{\"cached_tokens\":20,\"text_tokens\":40,\"audio_tokens\":60,"
            + "\"cached_tokens_details\":{\"text_tokens\":20,\"audio_tokens\":0}},"
            + "\"output_token_details\":{\"text_tokens\":10,\"audio_tokens\":40}}";

    private final ServerSocket server;
    private final Thread acceptor;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final List<Connection> all = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<int[]> handshakeStatuses = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> handshakes = new CopyOnWriteArrayList<>();
    private final AtomicInteger responses = new AtomicInteger();
    private volatile String usage = DEFAULT_USAGE;
    private volatile BiConsumer<Connection, String> script = StubRealtime::defaultScript;
    private volatile boolean sendSessionCreated = true;

    private StubRealtime(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "stub-realtime-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Starts a server on a free port of {@code 127.0.0.1}.
     *
     * @return the running server; {@link #close()} it
     * @throws java.io.UncheckedIOException when no port can be bound
     */
    public static StubRealtime start() {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new StubRealtime(s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@return the port the server listens on} */
    public int port() {
        return server.getLocalPort();
    }

    /** {@return an OpenAI {@code custom_host}: {@code http://127.0.0.1:<port>/v1} (the gateway turns it into ws://)} */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** {@return an Azure OpenAI {@code custom_host}: {@code http://127.0.0.1:<port>/openai}} */
    public String azureBaseUrl() {
        return "http://127.0.0.1:" + port() + "/openai";
    }

    /**
     * Answers the next handshake with an HTTP error instead of upgrading (queued: one per call). A 401's
     * message quotes the credential received, as real providers' "incorrect API key" errors do.
     *
     * @param status the HTTP status, e.g. 500 or 401
     * @return this server
     */
    public StubRealtime failNextHandshake(int status) {
        handshakeStatuses.add(new int[] {status});
        return this;
    }

    /**
     * Sets the {@code usage} object of the default script's {@code response.done}.
     *
     * @param usageJson a realtime usage object
     * @return this server
     */
    public StubRealtime usage(String usageJson) {
        this.usage = Objects.requireNonNull(usageJson, "usageJson");
        return this;
    }

    /**
     * Replaces how the server answers each client text event (called on the connection's thread).
     *
     * @param script given the connection and the client event's text
     * @return this server
     */
    public StubRealtime script(BiConsumer<Connection, String> script) {
        this.script = Objects.requireNonNull(script, "script");
        return this;
    }

    /**
     * Whether a new connection is greeted with {@code session.created} (default true).
     *
     * @param send false to send nothing until the script does
     * @return this server
     */
    public StubRealtime sendSessionCreated(boolean send) {
        this.sendSessionCreated = send;
        return this;
    }

    /** {@return every handshake request received, upgraded or refused, in order} */
    public List<RecordedRequest> handshakes() {
        return List.copyOf(handshakes);
    }

    /**
     * Waits for the next upgraded connection.
     *
     * @param timeout the longest wait
     * @return the connection
     * @throws AssertionError when none arrived in time
     */
    public Connection awaitConnection(Duration timeout) {
        try {
            Connection c = connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new AssertionError("no realtime connection within " + timeout);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The default script: {@code response.create} → created, one text delta, done with the configured usage. */
    private static void defaultScript(Connection c, String event) {
        if (!event.contains("\"response.create\"")) {
            return;
        }
        StubRealtime stub = c.stub;
        String id = "resp_" + stub.responses.incrementAndGet();
        c.send("{\"type\":\"response.created\",\"event_id\":\"event_a" + id + "\",\"response\":{\"id\":\"" + id
                + "\",\"object\":\"realtime.response\",\"status\":\"in_progress\"}}");
        c.send("{\"type\":\"response.output_text.delta\",\"event_id\":\"event_b" + id + "\",\"response_id\":\"" + id
                + "\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\"}");
        c.send("{\"type\":\"response.done\",\"event_id\":\"event_c" + id + "\",\"response\":{\"id\":\"" + id
                + "\",\"object\":\"realtime.response\",\"status\":\"completed\",\"output\":[],\"usage\":" + stub.usage
                + "}}");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "stub-realtime-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            RecordedRequest r = Http1RequestReader.read(in, out);
            if (r == null) {
                socket.close();
                return;
            }
            handshakes.add(r);
            int[] fail = handshakeStatuses.poll();
            String key = r.header("sec-websocket-key");
            if (fail != null || key == null) {
                int status = fail != null ? fail[0] : 400;
                // a 401 quotes the credential it was given, as real providers' "incorrect API key" errors do
                String auth = r.header("authorization") != null ? r.header("authorization") : r.header("api-key");
                String quoted = status == 401 && auth != null ? " for " + auth.replace("\"", "") : "";
                byte[] body = ("{\"error\":{\"message\":\"stub refused the handshake with " + status + quoted
                                + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + " Refused\r\ncontent-type: application/json\r\ncontent-length: "
                                + body.length + "\r\nconnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                socket.close();
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                            + "sec-websocket-accept: " + accept(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Connection c = new Connection(this, socket, r, out);
            all.add(c);
            if (sendSessionCreated) {
                c.send("{\"type\":\"session.created\",\"event_id\":\"event_0\",\"session\":{\"id\":\"sess_1\","
                        + "\"object\":\"realtime.session\",\"type\":\"realtime\"}}");
            }
            connections.add(c);
            c.readLoop(in);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    static String accept(String key) {
        try {
            byte[] sha =
                    MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server and drops every connection. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Connection c : all) {
            c.abort();
        }
    }

    /** One upgraded connection: what the client sent, and how the server answers. */
    public static final class Connection {
        private final StubRealtime stub;
        private final Socket socket;
        private final RecordedRequest handshake;
        private final OutputStream out;
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.CompletableFuture<Integer> closed =
                new java.util.concurrent.CompletableFuture<>();

        Connection(StubRealtime stub, Socket socket, RecordedRequest handshake, OutputStream out) {
            this.stub = stub;
            this.socket = socket;
            this.handshake = handshake;
            this.out = out;
        }

        /** {@return the handshake request: path, query and headers (authorization included)} */
        public RecordedRequest handshake() {
            return handshake;
        }

        /** {@return every text message the client sent so far, in order} */
        public List<String> received() {
            return new ArrayList<>(received);
        }

        /**
         * Waits for the next client text message not yet taken.
         *
         * @param timeout the longest wait
         * @return the message
         * @throws AssertionError when none arrived in time
         */
        public String awaitMessage(Duration timeout) {
            try {
                String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (m == null) {
                    throw new AssertionError("no client message within " + timeout + "; got " + received);
                }
                return m;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /**
         * Waits until the client closed the connection (a close frame, or the socket ended).
         *
         * @param timeout the longest wait
         * @return the client's close code, or 1006 when the socket ended without a close frame
         * @throws AssertionError when it stayed open
         */
        public int awaitClosed(Duration timeout) {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("the client did not close within " + timeout, e);
            }
        }

        /**
         * Sends a text frame.
         *
         * @param text the message
         */
        public void send(String text) {
            frame(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends a binary frame.
         *
         * @param bytes the message
         */
        public void sendBinary(byte[] bytes) {
            frame(0x2, bytes);
        }

        /**
         * Sends a close frame and closes the connection.
         *
         * @param code   the close code
         * @param reason the reason text
         */
        public void close(int code, String reason) {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + r.length];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(r, 0, payload, 2, r.length);
            frame(0x8, payload);
        }

        /** Drops the TCP connection without a close frame (the client sees an abnormal closure, 1006). */
        public void abort() {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
            closed.complete(1006);
        }

        private synchronized void frame(int opcode, byte[] payload) {
            try {
                ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 10);
                f.write(0x80 | opcode);
                if (payload.length < 126) {
                    f.write(payload.length);
                } else if (payload.length < 65536) {
                    f.write(126);
                    f.write(payload.length >> 8);
                    f.write(payload.length);
                } else {
                    f.write(127);
                    long n = payload.length;
                    for (int i = 7; i >= 0; i--) {
                        f.write((int) (n >> (8 * i)));
                    }
                }
                f.write(payload);
                out.write(f.toByteArray());
                out.flush();
            } catch (IOException e) {
                // the client is gone; the test sees it through the gateway
            }
        }

        void readLoop(InputStream in) throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            int messageOpcode = 0;
            try {
                while (true) {
                    int b0 = in.read();
                    if (b0 < 0) {
                        throw new EOFException();
                    }
                    int b1 = readByte(in);
                    boolean fin = (b0 & 0x80) != 0;
                    int opcode = b0 & 0x0f;
                    boolean masked = (b1 & 0x80) != 0;
                    long len = b1 & 0x7f;
                    if (len == 126) {
                        len = (readByte(in) << 8) | readByte(in);
                    } else if (len == 127) {
                        len = 0;
                        for (int i = 0; i < 8; i++) {
                            len = (len << 8) | readByte(in);
                        }
                    }
                    byte[] mask = masked ? in.readNBytes(4) : null;
                    byte[] payload = in.readNBytes((int) len);
                    if (payload.length != len) {
                        throw new EOFException();
                    }
                    if (mask != null) {
                        for (int i = 0; i < payload.length; i++) {
                            payload[i] ^= mask[i % 4];
                        }
                    }
                    switch (opcode) {
                        case 0x8: {
                            int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                            frame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                            closed.complete(code);
                            socket.close();
                            return;
                        }
                        case 0x9:
                            frame(0xA, payload);
                            continue;
                        case 0xA:
                            continue;
                        default:
                            break;
                    }
                    if (opcode != 0) {
                        messageOpcode = opcode;
                    }
                    message.write(payload);
                    if (!fin) {
                        continue;
                    }
                    byte[] whole = message.toByteArray();
                    message.reset();
                    if (messageOpcode == 0x1) {
                        String text = new String(whole, StandardCharsets.UTF_8);
                        received.add(text);
                        messages.add(text);
                        try {
                            stub.script.accept(this, text);
                        } catch (RuntimeException e) {
                            // a failing script is the test's problem; the connection stays up
                        }
                    }
                }
            } catch (IOException e) {
                closed.complete(1006);
                throw e;
            }
        }

        private static int readByte(InputStream in) throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }

        @Override
        public String toString() {
            return "Connection{" + handshake.path() + " " + handshake.method().toLowerCase(Locale.ROOT) + "}";
        }
    }
}
