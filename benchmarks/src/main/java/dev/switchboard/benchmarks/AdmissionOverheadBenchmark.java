package dev.switchboard.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What admission adds to a request with a 1 KB prompt (issue 16's goal: ≤ 2 µs with a budget): the
 * same call on a virtual key without limits ({@code none}), with daily and monthly USD budgets
 * ({@code budget}), and with token and request limits ({@code tokens}). The provider is the in-memory
 * fake, so the difference between the rows is admission: the prompt's bound, the cost estimate, the
 * reservation in the state store and its reconciliation from the reported usage.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AdmissionOverhead -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdmissionOverheadBenchmark {
    @Param({"none", "budget", "tokens"})
    public String limits;

    private Gateway gateway;
    private GatewayRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatCompletion("ok"));
        KeyLimits.Builder l = KeyLimits.builder();
        switch (limits) {
            case "budget" -> l.budgetUsdPerDay("1000000").budgetUsdPerMonth("1000000");
            case "tokens" -> l.tokensPerMinute(Long.MAX_VALUE).requestsPerMinute(Long.MAX_VALUE);
            default -> {}
        }
        ProviderCredentials.Builder key = ProviderCredentials.builder("openai").secret("sk-bench");
        if (!limits.equals("none")) {
            key.limits(l.build());
        }
        gateway = Gateway.builder()
                .config("{\"provider\":\"@k\"}")
                .provider("@k", key.build())
                .transport(transport)
                .build();
        StringBuilder content = new StringBuilder();
        while (content.length() < 1000) {
            content.append("The quick brown fox jumps over the lazy dog. ");
        }
        ObjectNode body = Json.object().put("model", "gpt-4o-mini").put("max_tokens", 100);
        body.putArray("messages").addObject().put("role", "user").put("content", content.toString());
        request = GatewayRequest.chat(body).build();
    }

    /** One request on the key: admission (when it has limits), the fake provider, reconciliation. */
    @Benchmark
    public int call() {
        return gateway.execute(request).status();
    }
}
