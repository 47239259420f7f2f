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
 * What admission's prompt estimate costs on a key with a token limit (issue 15, defect 7): a short
 * chat, 1 MiB of ordinary text, and one 4 MiB word — which took 9–11 s of BPE before the tokenizer
 * was bounded (262,144 characters per request, then the UTF-8 length). The provider is the in-memory
 * fake transport, so the figure is the gateway's work, the request's serialisation included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdmissionEstimateBenchmark {
    @Param({"chat", "text-1MiB", "word-4MiB"})
    public String prompt;

    private Gateway gateway;
    private GatewayRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        FakeTransport transport = new FakeTransport();
        transport.setDefault(FakeReply.chatCompletion("ok"));
        gateway = Gateway.builder()
                .config("{\"provider\":\"@limited\"}")
                .provider(
                        "@limited",
                        ProviderCredentials.builder("openai")
                                .secret("sk-bench")
                                .limits(KeyLimits.builder()
                                        .tokensPerMinute(Long.MAX_VALUE)
                                        .build())
                                .build())
                .transport(transport)
                .build();
        String content;
        switch (prompt) {
            case "text-1MiB": {
                StringBuilder sb = new StringBuilder();
                while (sb.length() < 1 << 20) {
                    sb.append("The quick brown fox jumps over the lazy dog, again and again. ");
                }
                content = sb.toString();
                break;
            }
            case "word-4MiB":
                content = "a".repeat(4 << 20);
                break;
            default:
                content = "Summarise the plot of Hamlet in three sentences.";
        }
        ObjectNode body = Json.object().put("model", "gpt-4o").put("max_tokens", 100);
        body.putArray("messages").addObject().put("role", "user").put("content", content);
        request = GatewayRequest.chat(body).build();
    }

    /** One request through admission (estimate + reservation) to the fake provider and back. */
    @Benchmark
    public int limitedKey() {
        return gateway.execute(request).status();
    }
}
