package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.redis.RedisCacheStore;
import dev.switchboard.spi.CacheStore;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cache (issue 6): latency of a hit, and what a miss costs on top of an uncached call, for the
 * in-memory store and for Redis (a {@code redis-server} on PATH is started on a free port; install
 * it with {@code bash .ci/install-redis.sh}). The provider is the in-memory fake transport.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheBenchmark {
    @Param({"memory", "redis"})
    public String store;

    private Process redis;
    private Gateway cached;
    private Gateway uncached;
    private GatewayRequest hit;
    private final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatCompletion("a cached answer"));
        CacheStore cacheStore = null;
        if (store.equals("redis")) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            redis = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no")
                    .redirectErrorStream(true)
                    .redirectOutput(Files.createTempFile("redis", ".log").toFile())
                    .start();
            waitForPort(port);
            cacheStore = new RedisCacheStore(URI.create("redis://127.0.0.1:" + port));
        }
        String leaf = "\"provider\":\"openai\",\"api_key\":\"sk-bench\"";
        Gateway.Builder b = Gateway.builder()
                .config("{\"cache\":{\"mode\":\"simple\"}," + leaf + "}")
                .transport(transport);
        if (cacheStore != null) {
            b.cacheStore(cacheStore);
        }
        cached = b.build();
        uncached =
                Gateway.builder().config("{" + leaf + "}").transport(transport).build();
        hit = request("the same question every time");
        cached.execute(hit);
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(25); // startup poll in benchmark setup, not in a test
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private static GatewayRequest request(String question) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + question + "\"}]}")
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cached.close();
        uncached.close();
        if (redis != null) {
            redis.destroy();
        }
    }

    /** A hit: key, lookup, decode, answer. */
    @Benchmark
    public int hit() {
        return cached.execute(hit).status();
    }

    /** A miss: lookup, provider call, store — compare with {@link #uncachedCall}. */
    @Benchmark
    public int miss() {
        return cached.execute(request("question " + counter.incrementAndGet())).status();
    }

    /** The same call without a cache config. */
    @Benchmark
    public int uncachedCall() {
        return uncached.execute(request("question " + counter.incrementAndGet()))
                .status();
    }
}
