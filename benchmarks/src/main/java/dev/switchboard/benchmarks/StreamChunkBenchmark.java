package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming cost per chunk (DESIGN §9: ≤ 2 µs): a 200-token OpenAI stream from the in-memory
 * transport, parsed, watched for usage (stripped: the caller did not ask), and delivered to the
 * caller. The score is per chunk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamChunkBenchmark {
    static final int TOKENS = 200;

    private Gateway gateway;
    private GatewayRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        String[] tokens = new String[TOKENS];
        Arrays.fill(tokens, "word ");
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatStream(tokens));
        gateway = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-bench\"}")
                .transport(transport)
                .build();
        request = GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"count\"}]}")
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.close();
    }

    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public int streamPerChunk() {
        int n = 0;
        try (EventStream s = gateway.execute(request).stream()) {
            for (ServerSentEvent e : s) {
                n += e.data().length();
            }
        }
        return n;
    }
}
