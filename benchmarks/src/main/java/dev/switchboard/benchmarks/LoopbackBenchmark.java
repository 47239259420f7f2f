package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.testkit.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loopback HTTP: the raw JDK {@code HttpClient} against the testkit's stub upstream versus the
 * gateway (single OpenAI target) against the same stub. Both build a request per call, as an
 * application does for each new body. The ratio of the two throughputs is the DESIGN §9 figure
 * (target ≥ 95 %).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class LoopbackBenchmark {
    private static final String BODY =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private StubUpstream stub;
    private HttpClient client;
    private URI uri;
    private Gateway gateway;
    private GatewayRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        stub = StubUpstream.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        uri = URI.create(stub.openAiBaseUrl() + "/chat/completions");
        gateway = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-bench\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\"}")
                .httpClient(HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build())
                .build();
        request = GatewayRequest.chat(BODY).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.close();
        stub.close();
    }

    /** What an application does without a gateway: build the request for this call's body, send it. */
    @Benchmark
    public int rawHttpClient() throws Exception {
        HttpRequest raw = HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .header("authorization", "Bearer sk-bench")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        HttpResponse<byte[]> r = client.send(raw, HttpResponse.BodyHandlers.ofByteArray());
        return r.body().length;
    }

    @Benchmark
    public int throughGateway() {
        return gateway.execute(request).status();
    }
}
