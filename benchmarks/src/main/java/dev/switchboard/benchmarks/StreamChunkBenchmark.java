package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.ServerSentEvent;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Streaming cost per chunk (DESIGN §9: ≤ 2 µs) through the gateway's real transport: a 200-chunk
 * OpenAI stream sent by the {@link NettyStub} over a loopback socket (each event flushed on its own,
 * as a provider sends tokens), received by the gateway's default {@code HttpClient} transport, parsed,
 * watched for usage and delivered to the caller. The raw JDK client reading the same stream line by
 * line runs at the same time in the same JMH group, so the gateway's own cost per chunk is {@code
 * throughGateway − rawHttpClient}; both scores are per chunk and include the stub and the socket.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamChunkBenchmark {
    static final int TOKENS = 200;
    private static final String BODY =
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}";

    private NettyStub stub;
    private HttpClient client;
    private URI uri;
    private Gateway gateway;

    /** Starts the stub (200 chunks a stream), the raw client and the gateway. */
    @Setup(Level.Trial)
    public void setUp() {
        stub = NettyStub.start(TOKENS);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        uri = URI.create(stub.openAiBaseUrl() + "/chat/completions");
        gateway = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-bench\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\"}")
                .build();
    }

    /** Stops the gateway and the stub. */
    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.close();
        stub.close();
    }

    /**
     * The stream read directly: the JDK client, the body as lines.
     *
     * @return characters of event data read
     * @throws Exception when the call fails
     */
    @Benchmark
    @Group("interleaved")
    @GroupThreads(1)
    @OperationsPerInvocation(TOKENS)
    public int rawHttpClient() throws Exception {
        HttpRequest raw = HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .header("authorization", "Bearer sk-bench")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        HttpResponse<InputStream> r = client.send(raw, HttpResponse.BodyHandlers.ofInputStream());
        int n = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    n += line.length() - 5; // read on to the end, as the gateway does
                }
            }
        }
        return n;
    }

    /**
     * The same stream through the gateway: parse the request, execute, read every event.
     *
     * @return characters of event data read
     */
    @Benchmark
    @Group("interleaved")
    @GroupThreads(1)
    @OperationsPerInvocation(TOKENS)
    public int throughGateway() {
        GatewayResponse response = gateway.execute(GatewayRequest.chat(BODY).build());
        if (response.status() != 200) {
            throw new IllegalStateException("unexpected status " + response.status() + ": " + response.bodyAsString());
        }
        int n = 0;
        try (EventStream s = response.stream()) {
            for (ServerSentEvent e : s) {
                n += e.data().length();
            }
        }
        return n;
    }
}
