package dev.switchboard.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} for one test class, on a free port of 127.0.0.1, without persistence.
 *
 * <p>The binary is {@code redis-server} from {@code PATH} when there is one, otherwise the Redis 6.2
 * binary shipped inside the {@code com.github.codemonstur:embedded-redis} test dependency (extracted
 * once per JVM to a temporary folder), so the tests need only a JDK and Maven. Either way this class
 * starts and stops the process itself and logs which binary it started. When no binary can be
 * started the tests fail (never skip): they are the proof that the Redis stores work, so a machine
 * without Redis must not report them green.
 *
 * <pre>{@code
 * static RedisServerProcess redis;
 * @BeforeAll static void start() throws Exception { redis = RedisServerProcess.start(); }
 * @AfterAll static void stop() { redis.close(); }
 * }</pre>
 */
final class RedisServerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    private static final int PORT_ATTEMPTS = 3;

    /** The embedded binary once extracted; guarded by the class lock. */
    private static Path embedded;

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static RedisServerProcess start() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (RedisBinary binary : candidates(System.getenv("PATH"))) {
            try {
                Path executable = binary.executable();
                RedisServerProcess server = startWithRetries(executable);
                log.info(
                        "plugins-redis tests: started {} redis-server {} ({}) on 127.0.0.1:{}",
                        binary.origin(),
                        executable,
                        version(executable),
                        server.port());
                return server;
            } catch (IOException e) {
                log.warn(
                        "plugins-redis tests: {} redis-server could not be started: {}",
                        binary.origin(),
                        e.getMessage());
                failures.add(binary.origin() + ": " + e.getMessage());
            }
        }
        throw new AssertionError(
                "no Redis server for the plugins-redis tests. Tried:\n  " + String.join("\n  ", failures)
                        + "\nThese tests need a real Redis: put redis-server on PATH (`bash .ci/install-redis.sh`, "
                        + "`apt-get install redis-server`, `brew install redis`, or https://redis.io/docs/latest/operate/oss_and_stack/install/), "
                        + "or run on a platform the embedded Redis 6.2 binaries support (Linux x86-64/arm64 with OpenSSL 3, macOS).");
    }

    /** Where a {@code redis-server} comes from: {@code PATH} first, then the jar of embedded-redis. */
    static List<RedisBinary> candidates(String pathVariable) {
        List<RedisBinary> out = new ArrayList<>();
        findOnPath(pathVariable, "redis-server").ifPresent(p -> out.add(new RedisBinary("PATH", () -> p)));
        out.add(new RedisBinary(
                "embedded (com.github.codemonstur:embedded-redis)", RedisServerProcess::embeddedBinary));
        return out;
    }

    /** A way to obtain a {@code redis-server} executable, named by where it comes from. */
    record RedisBinary(String origin, BinarySupplier supplier) {
        Path executable() throws IOException {
            return supplier.get();
        }
    }

    /** Supplies an executable, or says with an {@link IOException} why there is none. */
    @FunctionalInterface
    interface BinarySupplier {
        Path get() throws IOException;
    }

    /** The jar's binary for this OS and CPU, extracted once per JVM (deleted when the JVM exits). */
    private static synchronized Path embeddedBinary() throws IOException {
        if (embedded == null) {
            try {
                embedded = ExecutableProvider.newJarResourceProvider().get().toPath();
            } catch (RuntimeException e) {
                // the provider signals an unsupported OS or CPU with unchecked exceptions
                throw new IOException(
                        "no embedded redis-server for " + System.getProperty("os.name") + " "
                                + System.getProperty("os.arch") + ": " + e,
                        e);
            }
        }
        return embedded;
    }

    private static RedisServerProcess startWithRetries(Path binary) throws IOException, InterruptedException {
        ExitedEarly last = null;
        // A free port can be taken between probing and binding; try a few before giving up.
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            try {
                return startOn(binary, freePort());
            } catch (ExitedEarly e) {
                last = e;
            }
        }
        throw last;
    }

    /** {@code redis-server --version}'s first line, for the log line that names the binary. */
    private static String version(Path binary) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("no version printed");
        } catch (IOException e) {
            return "version unknown: " + e.getMessage();
        }
    }

    private static RedisServerProcess startOn(Path binary, int port) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("switchboard-redis-test");
        Path logFile = dir.resolve("redis.log");
        Process process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString(),
                        "--daemonize",
                        "no"))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        RedisServerProcess server = new RedisServerProcess(process, port, dir);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (server.answersPing()) {
                return server;
            }
            // Waiting on the process both paces the poll and notices at once if it died (port taken).
            if (process.waitFor(25, TimeUnit.MILLISECONDS)) {
                String output = Files.readString(logFile);
                server.close();
                throw new ExitedEarly(
                        "redis-server exited with " + process.exitValue() + " on port " + port + ":\n" + output);
            }
        }
        String output = Files.readString(logFile);
        server.close();
        throw new IOException("redis-server did not answer PING on 127.0.0.1:" + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s:\n" + output);
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static Optional<Path> findOnPath(String path, String name) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The process ended before answering PING (most often: the port was taken meanwhile). */
    private static final class ExitedEarly extends IOException {
        private static final long serialVersionUID = 1L;

        ExitedEarly(String message) {
            super(message);
        }
    }
}
