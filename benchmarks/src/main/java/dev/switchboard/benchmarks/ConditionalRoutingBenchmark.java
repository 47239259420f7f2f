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
 * Conditional routing (issue 16, finding 5): a chat request through a conditional strategy of 100
 * conditions ({@code metadata.plan} equal to {@code plan-0} … {@code plan-98}, then a numeric
 * {@code $gte} on {@code params.max_tokens} that matches), against the same request to a single
 * target; the in-memory transport answers. {@code last} − {@code single} is the cost of evaluating
 * 100 conditions; {@code -prof gc} shows their allocation (the difference in bytes per request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConditionalRoutingBenchmark {
    /** {@code single}: one target; {@code first}/{@code last}: {@link #count} conditions, the first or the last matching. */
    @Param({"single", "first", "last"})
    public String variant;

    /** How many conditions the config has (100 by default; {@code -p count=10,100,1000} for the scaling). */
    @Param({"100"})
    public int count;

    private Gateway gateway;
    private GatewayRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatCompletion("routed"));
        String target =
                "{\"provider\":\"openai\",\"api_key\":\"sk-bench\",\"custom_host\":\"http://upstream.invalid/v1\"";
        String config;
        if (variant.equals("single")) {
            config = target + "}";
        } else {
            StringBuilder conditions = new StringBuilder();
            for (int i = 0; i < count - 1; i++) {
                conditions
                        .append("{\"query\":{\"metadata.plan\":\"plan-")
                        .append(i)
                        .append("\"},\"then\":\"t\"},");
            }
            conditions.append("{\"query\":{\"params.max_tokens\":{\"$gte\":16}},\"then\":\"t\"}");
            config = "{\"strategy\":{\"mode\":\"conditional\",\"conditions\":[" + conditions
                    + "],\"default\":\"t\"},\"targets\":[" + target + ",\"name\":\"t\"}]}";
        }
        gateway = Gateway.builder().config(config).transport(transport).build();
        request = GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":64,\"messages\":["
                        + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}")
                .metadata("plan", variant.equals("first") ? "plan-0" : "enterprise")
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.close();
    }

    @Benchmark
    public int route() {
        GatewayResponse r = gateway.execute(request);
        if (r.status() != 200) {
            throw new IllegalStateException("unexpected status " + r.status() + ": " + r.bodyAsString());
        }
        return r.status();
    }
}
