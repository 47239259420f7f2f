package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
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
 * A large prompt through {@code Gateway.execute} to an {@code openai} target answered by the
 * in-memory {@link FakeTransport} (issue 16, finding 4): each operation builds the request from the
 * caller's JSON (the parse is measured) and executes it. {@code text} and {@code bytes}: the request
 * keeps the caller's JSON, which is sent as it is because nothing rewrites the body; {@code tree}: the caller parses
 * the text and hands over the tree, which the gateway copies and serialises again for the provider
 * — what every request cost before the caller's bytes were kept. Run with {@code -prof gc} for bytes
 * per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LargeBodyBenchmark {
    /** The prompt's size in KiB. */
    @Param({"1024"})
    public int kib;

    /**
     * {@code text}: built from a String, sent as written; {@code bytes}: built from UTF-8 bytes (as the
     * server and the SDK binding have them), sent as they are; {@code tree}: built from a parsed tree,
     * re-serialised.
     */
    @Param({"text", "bytes", "tree"})
    public String source;

    private Gateway gateway;
    private String body;
    private byte[] bodyBytes;
    /** Bytes the transport was handed, so that the body is used. */
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        FakeTransport fake = new FakeTransport();
        fake.setDefault(FakeReply.chatCompletion("ok"));
        // the fake records what it is sent: hand it the request without its megabyte body
        Transport transport = request -> {
            sent += request.body().length;
            return fake.send(new UpstreamRequest(request.method(), request.uri(), request.headers(), null));
        };
        gateway = Gateway.builder()
                .config(
                        "{\"provider\":\"openai\",\"api_key\":\"sk-bench\",\"custom_host\":\"http://bench.invalid/v1\"}")
                .transport(transport)
                .build();
        body = largeChat(kib * 1024);
        bodyBytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A chat request of about {@code bytes} bytes: prose in 20 user/assistant turns, with escapes and non-ASCII. */
    static String largeChat(int bytes) {
        StringBuilder sb = new StringBuilder("{\"model\":\"gpt-4o-mini\",\"max_tokens\":64,\"messages\":[");
        String words = "The quick brown fox \\\"jumps\\\" over the lazy dog; caf\u00e9 na\u00efve \\u2603 1234.5678\\n";
        int turns = 20;
        int perTurn = bytes / turns;
        for (int t = 0; t < turns; t++) {
            sb.append(t == 0 ? "" : ",")
                    .append("{\"role\":\"")
                    .append(t % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":\"");
            int start = sb.length();
            while (sb.length() - start < perTurn) {
                sb.append(words);
            }
            sb.append("\"}");
        }
        return sb.append("]}").toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.close();
        if (sent == 0) {
            throw new IllegalStateException("the transport was never sent a body");
        }
    }

    @Benchmark
    public int execute() {
        GatewayRequest request =
                switch (source) {
                    case "text" -> GatewayRequest.chat(body).build();
                    case "bytes" ->
                        GatewayRequest.builder(dev.switchboard.api.Endpoint.CHAT_COMPLETIONS)
                                .body(bodyBytes)
                                .build();
                    default -> GatewayRequest.chat(Json.parse(body)).build();
                };
        GatewayResponse r = gateway.execute(request);
        if (r.status() != 200) {
            throw new IllegalStateException("unexpected status " + r.status() + ": " + r.bodyAsString());
        }
        return r.status();
    }
}
