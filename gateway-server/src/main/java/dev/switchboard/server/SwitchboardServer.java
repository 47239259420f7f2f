package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ConfigException;
import dev.switchboard.Gateway;
import dev.switchboard.api.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway over HTTP: an OpenAI- and Portkey-compatible server. Every {@code /v1/...} request goes
 * to the {@link Gateway} with its method, path, query, headers and body (JSON, multipart, bytes);
 * answers come back as JSON, server-sent events written as they arrive, or bytes streamed at the
 * client's pace. {@code GET /health} and {@code GET /metrics} (Prometheus) need no key.
 *
 * <pre>{@code
 * try (SwitchboardServer server = SwitchboardServer.builder()
 *         .gateway(gateway)
 *         .keys(ServerKeys.load(Path.of("keys.json")))
 *         .port(8787)
 *         .start()) {
 *     System.out.println(server.url());            // http://127.0.0.1:8787
 * }
 * }</pre>
 *
 * <p>From the command line: {@code java -jar switchboard-server.jar --config gateway.json --keys keys.json}
 * (see {@link #main}).
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

    private final Settings settings;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService blocking;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final @Nullable Gateway ownedGateway;

    /** Everything a connection handler needs; immutable once the server started. */
    record Settings(
            Gateway gateway,
            @Nullable ServerKeys keys,
            Map<String, JsonNode> configs,
            ServerMetrics metrics,
            long maxBodyBytes,
            long multipartMemoryLimit,
            Duration bodyTimeout,
            AtomicBoolean draining,
            AtomicInteger inFlight,
            ExecutorService blocking) {}

    private SwitchboardServer(Builder b) throws InterruptedException {
        InetAddress address = resolve(b.host);
        if (b.keys == null && !b.open) {
            throw new IllegalStateException("no API keys: give the server keys (--keys FILE, builder().keys(...))"
                    + " or allow open mode on a loopback host (--open, builder().open(true))");
        }
        if (b.keys != null && b.open) {
            throw new IllegalStateException("both API keys and open mode: choose one (--keys FILE or --open)");
        }
        if (b.open && !address.isLoopbackAddress()) {
            throw new IllegalStateException("open mode (no API keys) is allowed only on a loopback host such as"
                    + " 127.0.0.1 or localhost, found host \"" + b.host + "\": give --keys FILE to listen on it");
        }
        this.ownedGateway = b.ownsGateway ? b.gateway : null;
        int threads = b.blockingThreads;
        this.blocking = new ThreadPoolExecutor(
                threads,
                threads,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 64),
                r -> {
                    Thread t = new Thread(r, "switchboard-server-blocking");
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
        this.settings = new Settings(
                Objects.requireNonNull(b.gateway, "gateway"),
                b.keys,
                Map.copyOf(b.configs),
                b.metrics != null ? b.metrics : new ServerMetrics(),
                b.maxBodyBytes,
                b.multipartMemoryLimit,
                b.bodyTimeout,
                new AtomicBoolean(),
                new AtomicInteger(),
                blocking);
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(b.ioThreads, NioIoHandler.newFactory());
        int maxHeader = b.maxHeaderBytes;
        long idleSeconds = Math.max(1, b.idleTimeout.toMillis());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(
                                        "codec",
                                        new HttpServerCodec(new HttpDecoderConfig()
                                                .setMaxInitialLineLength(8192)
                                                .setMaxHeaderSize(maxHeader)
                                                .setMaxChunkSize(64 * 1024)))
                                .addLast("continue", new HttpServerExpectContinueHandler())
                                .addLast("switchboard", new Connection(settings));
                    }
                });
        try {
            this.serverChannel = bootstrap
                    .bind(new InetSocketAddress(address, b.port))
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownGroups();
            throw e;
        }
        if (b.open) {
            LOG.warn("*** OPEN MODE: no API keys, anyone who can reach {} may call the gateway ***", url());
        }
        LOG.info(
                "Switchboard server listening on {} (keys: {}, configs: {})",
                url(),
                b.keys == null ? "none, open mode" : b.keys.keys().size(),
                b.configs.keySet());
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: found \"" + host + "\", expected a resolvable host name or IP");
        }
    }

    /** {@return a builder; {@link Builder#gateway} is required, and either {@link Builder#keys} or {@link Builder#open}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the port the server listens on (the one chosen by the system for port 0)} */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** {@return the base URL, e.g. {@code http://127.0.0.1:8787}; clients use it with {@code /v1}} */
    public String url() {
        InetSocketAddress a = (InetSocketAddress) serverChannel.localAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** {@return the metrics served at {@code /metrics}} */
    public ServerMetrics metrics() {
        return settings.metrics();
    }

    /** Closes gracefully with the builder's shutdown deadline; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(shutdownTimeout);
    }

    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * Stops gracefully: stops accepting connections, closes idle keep-alive connections, lets requests
     * and streams in flight finish until the deadline (answers finished meanwhile carry
     * {@code Connection: close}), then closes every connection and stops the threads. Idempotent;
     * returns at once when already closed.
     *
     * @param deadline how long requests in flight may still run
     * @return true when everything in flight finished before the deadline
     */
    public boolean close(Duration deadline) {
        if (!closed.compareAndSet(false, true)) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        long end = System.nanoTime() + deadline.toNanos();
        settings.draining().set(true);
        serverChannel.close().awaitUninterruptibly();
        for (Channel c : connections) {
            c.eventLoop().execute(() -> {
                Connection h = c.pipeline().get(Connection.class);
                if (h != null) {
                    h.closeIfIdle(c);
                }
            });
        }
        boolean drained = true;
        synchronized (settings.inFlight()) {
            while (settings.inFlight().get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    drained = false;
                    break;
                }
                try {
                    settings.inFlight().wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    drained = false;
                    break;
                }
            }
        }
        if (!drained) {
            LOG.warn(
                    "shutdown deadline of {} ms passed with {} requests in flight: closing their connections",
                    deadline.toMillis(),
                    settings.inFlight().get());
        }
        connections.close().awaitUninterruptibly();
        shutdownGroups();
        if (ownedGateway != null) {
            ownedGateway.close();
        }
        LOG.info("Switchboard server on port {} stopped", ((InetSocketAddress) serverChannel.localAddress()).getPort());
        stopped.countDown();
        return drained;
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        blocking.shutdown();
    }

    /**
     * Blocks until {@link #close} finished (the command line waits here).
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    /** Settings of a {@link SwitchboardServer}; {@link #start()} binds the port. */
    public static final class Builder {
        private Gateway gateway;
        private boolean ownsGateway;
        private String host = "127.0.0.1";
        private int port = 8787;
        private ServerKeys keys;
        private boolean open;
        private Map<String, JsonNode> configs = new LinkedHashMap<>();
        private ServerMetrics metrics;
        private long maxBodyBytes = 64L << 20;
        private int maxHeaderBytes = 16 * 1024;
        private long multipartMemoryLimit = 1L << 20;
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private int ioThreads = 0;
        private int blockingThreads = 32;

        private Builder() {}

        /**
         * Sets the gateway that serves the requests (required). The server does not close it.
         *
         * @param gateway the gateway; give it {@link ServerMetrics} as its call listener factory for the
         *                gateway metrics at {@code /metrics}
         * @return this builder
         */
        public Builder gateway(Gateway gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            return this;
        }

        Builder ownsGateway(boolean owns) {
            this.ownsGateway = owns;
            return this;
        }

        /**
         * Sets the interface to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface).
         *
         * @param host a host name or IP address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port (default 8787, Portkey's; 0 lets the system choose, see {@link SwitchboardServer#port()}).
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: found " + port + ", expected 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the server API keys; requests without one of them are answered 401.
         *
         * @param keys the keys
         * @return this builder
         */
        public Builder keys(ServerKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Allows calls without an API key; only on a loopback host ({@link #start()} refuses otherwise).
         *
         * @param open true for open mode
         * @return this builder
         */
        public Builder open(boolean open) {
            this.open = open;
            return this;
        }

        /**
         * Sets the configs a client may name by id in {@code x-portkey-config}.
         *
         * @param configs configs by id
         * @return this builder
         */
        public Builder configs(Map<String, JsonNode> configs) {
            this.configs = new LinkedHashMap<>(configs);
            return this;
        }

        /**
         * Sets the metrics served at {@code /metrics} (default: new ones, without gateway metrics).
         *
         * @param metrics the metrics the gateway's listener factory also feeds
         * @return this builder
         */
        public Builder metrics(ServerMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Sets the largest request body (default 64 MiB); larger ones are answered 413.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes: found " + bytes + ", expected at least 1");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Sets the largest request line plus headers (default 16 KiB); larger ones are answered 431.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxHeaderBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxHeaderBytes: found " + bytes + ", expected at least 1024");
            }
            this.maxHeaderBytes = bytes;
            return this;
        }

        /**
         * Sets how many bytes of each uploaded file part stay in memory before the rest is spooled to a
         * temporary file (default 1 MiB).
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder multipartMemoryLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("multipartMemoryLimit: found " + bytes + ", expected >= 0");
            }
            this.multipartMemoryLimit = bytes;
            return this;
        }

        /**
         * Sets how long a client may take to send a whole request body once its headers arrived
         * (default 30 s); a slower one is answered 408 and its connection closed.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder bodyTimeout(Duration timeout) {
            this.bodyTimeout = positive(timeout, "bodyTimeout");
            return this;
        }

        /**
         * Sets how long a connection may stay silent while the server waits for a request or its body
         * (default 60 s): an idle keep-alive connection is closed, a request stuck mid-body is answered 408.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * Sets how long {@link SwitchboardServer#close()} lets requests in flight finish (default 30 s).
         *
         * @param timeout zero or more
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout: found " + timeout + ", expected >= 0");
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Sets the number of Netty I/O threads (default 0: twice the processors).
         *
         * @param threads 0 or more
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            this.ioThreads = Math.max(0, threads);
            return this;
        }

        /**
         * Sets the threads that read binary downloads and parse large uploads, off the I/O threads (default 32).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder blockingThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("blockingThreads: found " + threads + ", expected at least 1");
            }
            this.blockingThreads = threads;
            return this;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + ": found " + d + ", expected a positive duration");
            }
            return d;
        }

        /**
         * Binds the port and starts serving.
         *
         * @return the running server
         * @throws IllegalStateException when no gateway was given, neither keys nor open mode, or open
         *                               mode on a host that is not loopback
         * @throws IllegalArgumentException when the host does not resolve
         */
        public SwitchboardServer start() {
            if (gateway == null) {
                throw new IllegalStateException("no gateway: builder().gateway(Gateway.fromConfig(...))");
            }
            try {
                SwitchboardServer s = new SwitchboardServer(this);
                s.shutdownTimeout = shutdownTimeout;
                return s;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding the port", e);
            }
        }
    }

    // ------------------------------------------------------------------ command line

    private static final String USAGE =
            """
            usage: java -jar switchboard-server.jar --config FILE [options]
              --config FILE        the gateway config (Portkey format; ${ENV} secrets)
              --keys FILE          server API keys and provider virtual keys (JSON, ${ENV} secrets)
              --open               no API keys: allowed only on a loopback host
              --config-dir DIR     configs clients may name by id in x-portkey-config (DIR/<id>.json)
              --host HOST          interface to listen on (default 127.0.0.1)
              --port N             port (default 8787)
              --max-body-bytes N   largest request body (default 67108864)
              --body-timeout-ms N  time to send a request body (default 30000)
              --idle-timeout-ms N  keep-alive idle time (default 60000)
              --shutdown-timeout-ms N  time in-flight requests get at shutdown (default 30000)
            """;

    /**
     * Runs the server until the process is stopped (SIGTERM / Ctrl-C shut it down gracefully).
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        SwitchboardServer server;
        try {
            server = fromArgs(args, System.out);
        } catch (UsageException e) {
            System.err.println("switchboard-server: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(e.help ? 0 : 2);
            return;
        } catch (ConfigException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("switchboard-server: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "switchboard-server-shutdown"));
        try {
            server.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bad command line. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean help;

        UsageException(String message, boolean help) {
            super(message);
            this.help = help;
        }
    }

    /**
     * Parses the command line, builds the gateway and starts the server (what {@link #main} does).
     *
     * @param args the options
     * @param out  where the start-up line goes
     * @return the running server, owning its gateway
     */
    static SwitchboardServer fromArgs(String[] args, PrintStream out) {
        Map<String, String> opts = new TreeMap<>();
        boolean open = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new UsageException("help", true);
            }
            if (a.equals("--open")) {
                open = true;
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(a + ": expected a value after it", false);
            }
            if (!Map.of(
                            "--config",
                            1,
                            "--keys",
                            1,
                            "--config-dir",
                            1,
                            "--host",
                            1,
                            "--port",
                            1,
                            "--max-body-bytes",
                            1,
                            "--body-timeout-ms",
                            1,
                            "--idle-timeout-ms",
                            1,
                            "--shutdown-timeout-ms",
                            1)
                    .containsKey(name)) {
                throw new UsageException("unknown option \"" + name + "\"", false);
            }
            opts.put(name, value);
        }
        String config = opts.get("--config");
        if (config == null) {
            throw new UsageException("--config FILE is required", false);
        }
        ServerKeys keys = opts.containsKey("--keys") ? ServerKeys.load(Path.of(opts.get("--keys"))) : null;
        ServerMetrics metrics = new ServerMetrics();
        Gateway.Builder gb = Gateway.builder().config(Path.of(config)).callListenerFactory(metrics);
        if (keys != null) {
            keys.providerKeys().forEach(gb::provider);
        }
        Map<String, JsonNode> configs =
                opts.containsKey("--config-dir") ? loadConfigs(Path.of(opts.get("--config-dir")), keys) : Map.of();
        Gateway gateway = gb.build();
        Builder b = builder()
                .gateway(gateway)
                .ownsGateway(true)
                .metrics(metrics)
                .configs(configs)
                .open(open)
                .host(opts.getOrDefault("--host", "127.0.0.1"))
                .port(number(opts, "--port", 8787));
        if (keys != null) {
            b.keys(keys);
        }
        if (opts.containsKey("--max-body-bytes")) {
            b.maxBodyBytes(number(opts, "--max-body-bytes", 0));
        }
        if (opts.containsKey("--body-timeout-ms")) {
            b.bodyTimeout(Duration.ofMillis(number(opts, "--body-timeout-ms", 0)));
        }
        if (opts.containsKey("--idle-timeout-ms")) {
            b.idleTimeout(Duration.ofMillis(number(opts, "--idle-timeout-ms", 0)));
        }
        if (opts.containsKey("--shutdown-timeout-ms")) {
            b.shutdownTimeout(Duration.ofMillis(number(opts, "--shutdown-timeout-ms", 0)));
        }
        SwitchboardServer server;
        try {
            server = b.start();
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        out.println("Switchboard server listening on " + server.url() + " (OpenAI base URL " + server.url() + "/v1)"
                + (open ? " -- OPEN MODE: no API keys" : ""));
        out.flush();
        return server;
    }

    private static int number(Map<String, String> opts, String name, int dflt) {
        String v = opts.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": found \"" + v + "\", expected a whole number", false);
        }
    }

    /**
     * Every {@code DIR/*.json}, by file name without {@code .json}; each validated now as a per-request
     * config is (the environment is not read: secrets come from virtual keys in the keys file).
     */
    private static Map<String, JsonNode> loadConfigs(Path dir, @Nullable ServerKeys keys) {
        Map<String, JsonNode> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String id = f.getFileName().toString();
                id = id.substring(0, id.length() - ".json".length());
                JsonNode json;
                try {
                    json = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(f + ": not JSON: " + e.getMessage());
                }
                Gateway.Builder check = Gateway.builder().config(json).environment(name -> null);
                if (keys != null) {
                    keys.providerKeys().forEach(check::provider);
                }
                try {
                    check.build().close();
                } catch (ConfigException e) {
                    throw new IllegalArgumentException("--config-dir: " + f + ": " + e.getMessage(), e);
                }
                out.put(id, json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--config-dir " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
