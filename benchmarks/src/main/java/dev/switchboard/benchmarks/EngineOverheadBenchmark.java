package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import java.util.concurrent.TimeUnit;
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
 * Engine overhead (DESIGN §9): a non-streaming chat request through a 2-target fallback config with
 * two cheap guardrails and accounting on, the provider answered by the in-memory
 * {@link FakeTransport}. Each operation does what a caller or a server pays for: the request is
 * parsed from its JSON text, executed, and the answer serialised to bytes — only the network is left
 * out (the side-by-side harness and {@link LoopbackBenchmark} measure it on a real socket). Run with
 * {@code -prof gc} for bytes per operation; SampleTime mode reports p50/p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineOverheadBenchmark {
    /** {@code plain}: fallback only; {@code guarded}: plus two cheap guardrails. */
    @Param({"plain", "guarded"})
    public String variant;

    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":64,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
            + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";

    private Gateway gateway;

    @Setup(Level.Trial)
    public void setUp() {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatCompletion("Hello from the fake transport"));
        String hooks = variant.equals("guarded")
                ? "\"input_guardrails\":[{\"default.wordCount\":{\"minWords\":1,\"maxWords\":500}}],"
                        + "\"output_guardrails\":[{\"default.characterCount\":{\"minCharacters\":1,\"maxCharacters\":10000}}],"
                : "";
        gateway = Gateway.builder()
                .config(
                        "{" + hooks + "\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                                + "{\"provider\":\"openai\",\"api_key\":\"sk-bench\",\"custom_host\":\"http://primary.invalid/v1\"},"
                                + "{\"provider\":\"openai\",\"api_key\":\"sk-bench\",\"custom_host\":\"http://secondary.invalid/v1\"}]}")
                .transport(transport)
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.close();
    }

    /**
     * Parses the request, runs it through the fallback, serialises the answer.
     *
     * @return the length of the serialised answer
     */
    @Benchmark
    public int chatThroughFallback() {
        GatewayResponse r = gateway.execute(GatewayRequest.chat(BODY).build());
        if (r.status() != 200) {
            throw new IllegalStateException("unexpected status " + r.status() + ": " + r.bodyAsString());
        }
        return r.bytes().length;
    }
}
