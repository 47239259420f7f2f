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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for one test class, on a free port of 127.0.0.1, without persistence.
 * Fails (never skips) when {@code redis-server} is not installed: these tests are the proof that
 * the Redis stores work, so a machine without Redis must not report them green.
 *
 * <pre>{@code
 * static RedisServerProcess redis;
 * @BeforeAll static void start() throws Exception { redis = RedisServerProcess.start(); }
 * @AfterAll static void stop() { redis.close(); }
 * }</pre>
 */
final class RedisServerProcess implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    private static final int PORT_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static RedisServerProcess start() throws IOException, InterruptedException {
        Path binary = findOnPath("redis-server").orElseThrow(() -> new AssertionError(
                "redis-server is not on PATH. The plugins-redis tests need a real Redis server: "
                        + "install it with `bash .ci/install-redis.sh` (apt-get install redis-server)."));
        IOException last = null;
        // A free port can be taken between probing and binding; try a few before giving up.
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            try {
                return startOn(binary, freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static RedisServerProcess startOn(Path binary, int port) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("switchboard-redis-test");
        Path logFile = dir.resolve("redis.log");
        Process process = new ProcessBuilder(List.of(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString(),
                "--daemonize", "no"))
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
                String log = Files.readString(logFile);
                server.close();
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port + ":\n" + log);
            }
        }
        String log = Files.readString(logFile);
        server.close();
        throw new AssertionError("redis-server did not answer PING on 127.0.0.1:" + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s:\n" + log);
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

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
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
}
