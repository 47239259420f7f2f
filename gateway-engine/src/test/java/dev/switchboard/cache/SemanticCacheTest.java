package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ConfigException;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.spi.Embedder;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The semantic cache with a deterministic embedder: a near prompt is a hit, a far one a miss. */
class SemanticCacheTest {
    /**
     * Vectors chosen by hand: "capital of France" and "France's capital" are cos ≈ 0.995 apart,
     * "tallest mountain" is orthogonal to both, "French cuisine" is cos ≈ 0.8 from the first.
     */
    static final Map<String, float[]> VECTORS = Map.of(
            "What is the capital of France?", new float[] {1f, 0f, 0f},
            "Tell me France's capital", new float[] {0.995f, 0.0999f, 0f},
            "What is the tallest mountain?", new float[] {0f, 0f, 1f},
            "What is French cuisine like?", new float[] {0.8f, 0.6f, 0f});

    /** Embeds "user: <text>\n" lines by looking the text up in {@link #VECTORS}; records what it saw. */
    static final class TableEmbedder implements Embedder {
        final List<String> seen = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<float[]> embed(String text) {
            seen.add(text);
            for (Map.Entry<String, float[]> e : VECTORS.entrySet()) {
                if (text.contains(e.getKey())) {
                    return CompletableFuture.completedFuture(e.getValue());
                }
            }
            return CompletableFuture.completedFuture(new float[] {0f, 1f, 0f});
        }
    }

    private StubUpstream stub;
    private TableEmbedder embedder;
    /** The vector store of {@link #gateway}: inserts run on its background writer. */
    private InMemoryVectorStore vectors;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        embedder = new TableEmbedder();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String cache) {
        ManualClock clock = ManualClock.start();
        vectors = new InMemoryVectorStore(clock, 100);
        return Gateway.builder()
                .config("{\"cache\":" + cache + ",\"provider\":\"openai\",\"api_key\":\"sk-test\","
                        + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")
                .clock(clock)
                .embedder(embedder)
                .vectorStore(vectors)
                .build();
    }

    /** Waits for the inserts of the misses so far: they run off the response path. */
    private void indexed(InMemoryVectorStore store) {
        try {
            assertTrue(store.awaitIdle(Duration.ofSeconds(10)), "the vector writer finished its inserts");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static GatewayRequest ask(String system, String question) {
        var messages = Json.array();
        if (system != null) {
            messages.add(Json.object().put("role", "system").put("content", system));
        }
        messages.add(Json.object().put("role", "user").put("content", question));
        return GatewayRequest.chat(Json.object().put("model", "gpt-4o-mini").set("messages", messages))
                .build();
    }

    private static String status(GatewayResponse r) {
        return r.header("x-portkey-cache-status").orElseThrow();
    }

    @Test
    void aSimilarPromptAboveTheThresholdIsASemanticHit() {
        Gateway g = gateway("{\"mode\":\"semantic\"}");
        stub.enqueue(StubResponse.chatCompletion("Paris"));
        GatewayResponse first = g.execute(ask(null, "What is the capital of France?"));
        indexed(vectors);
        GatewayResponse near = g.execute(ask(null, "Tell me France's capital"));
        assertEquals("SEMANTIC MISS", status(first));
        assertEquals("SEMANTIC HIT", status(near));
        assertEquals(
                "Paris",
                near.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText());
        assertEquals(1, stub.hits());
        Attempt a = near.trace().attempts().get(0);
        assertTrue(
                a.notes().stream().anyMatch(n -> n.contains("similarity 0.99")),
                a.notes().toString());
    }

    @Test
    void twoGatewaysSharingAVectorStoreAndACacheStoreServeEachOthersPrompts() {
        // what a shared store (Redis's vector search) gives several JVMs: the second gateway never
        // saw the first prompt, and its similar prompt is a hit
        ManualClock clock = ManualClock.start();
        InMemoryVectorStore vectors = new InMemoryVectorStore(clock, 50);
        InMemoryCacheStore answers = new InMemoryCacheStore(clock, 50);
        String config = "{\"cache\":{\"mode\":\"semantic\"},\"provider\":\"openai\",\"api_key\":\"sk-test\","
                + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}";
        Gateway one = Gateway.builder()
                .config(config)
                .clock(clock)
                .embedder(embedder)
                .cacheStore(answers)
                .vectorStore(vectors)
                .build();
        Gateway two = Gateway.builder()
                .config(config)
                .clock(clock)
                .embedder(embedder)
                .cacheStore(answers)
                .vectorStore(vectors)
                .build();
        stub.enqueue(StubResponse.chatCompletion("Paris"));
        assertEquals("SEMANTIC MISS", status(one.execute(ask(null, "What is the capital of France?"))));
        indexed(vectors);
        assertEquals(1, vectors.size(), "the miss indexed its prompt in the given store");
        assertEquals("SEMANTIC HIT", status(two.execute(ask(null, "Tell me France's capital"))));
        assertEquals(1, stub.hits());
    }

    @Test
    void aMissAnswersWhileItsPromptIsStillWaitingToBeIndexed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        try {
            ManualClock clock = ManualClock.start();
            InMemoryVectorStore held = new InMemoryVectorStore(
                    clock,
                    100,
                    InMemoryVectorStore.DEFAULT_EF_SEARCH,
                    r -> writerThread.execute(() -> {
                        try {
                            release.await(); // the insert cannot run until the test says so
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        r.run();
                    }),
                    16);
            Gateway g = Gateway.builder()
                    .config("{\"cache\":\"semantic\",\"provider\":\"openai\",\"api_key\":\"sk-test\","
                            + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")
                    .clock(clock)
                    .embedder(embedder)
                    .vectorStore(held)
                    .build();
            stub.enqueue(StubResponse.chatCompletion("Paris"));
            GatewayResponse first =
                    g.executeAsync(ask(null, "What is the capital of France?")).get(10, TimeUnit.SECONDS);
            assertEquals("SEMANTIC MISS", status(first));
            assertEquals(0, held.size(), "the answer came back before its prompt was indexed");

            release.countDown();
            indexed(held);
            assertEquals(1, held.size());
            assertEquals("SEMANTIC HIT", status(g.execute(ask(null, "Tell me France's capital"))));
            assertEquals(1, stub.hits());
        } finally {
            release.countDown();
            writerThread.shutdownNow();
        }
    }

    @Test
    void aPromptBelowTheThresholdIsASemanticMiss() {
        Gateway g = gateway("{\"mode\":\"semantic\"}");
        g.execute(ask(null, "What is the capital of France?"));
        indexed(vectors);
        assertEquals("SEMANTIC MISS", status(g.execute(ask(null, "What is French cuisine like?"))));
        assertEquals("SEMANTIC MISS", status(g.execute(ask(null, "What is the tallest mountain?"))));
        assertEquals(3, stub.hits());
    }

    @Test
    void theThresholdIsConfigurable() {
        Gateway g = gateway("{\"mode\":\"semantic\",\"similarity_threshold\":0.75}");
        g.execute(ask(null, "What is the capital of France?"));
        indexed(vectors);
        assertEquals("SEMANTIC HIT", status(g.execute(ask(null, "What is French cuisine like?"))));
        assertEquals(1, stub.hits());
    }

    @Test
    void theSameRequestIsAnExactHitWithoutCallingTheEmbedderAgain() {
        Gateway g = gateway("\"semantic\"");
        g.execute(ask(null, "What is the capital of France?"));
        indexed(vectors);
        GatewayResponse again = g.execute(ask(null, "What is the capital of France?"));
        assertEquals("HIT", status(again));
        assertEquals(1, embedder.seen.size());
    }

    @Test
    void theSystemMessageIsNotEmbeddedButMustMatchExactly() {
        Gateway g = gateway("\"semantic\"");
        g.execute(ask("You are terse.", "What is the capital of France?"));
        indexed(vectors);
        assertTrue(embedder.seen.get(0).contains("user: What is the capital of France?"), embedder.seen.toString());
        assertTrue(embedder.seen.stream().noneMatch(t -> t.contains("terse")), embedder.seen.toString());
        assertEquals("SEMANTIC MISS", status(g.execute(ask("You are verbose.", "Tell me France's capital"))));
        assertEquals("SEMANTIC HIT", status(g.execute(ask("You are terse.", "Tell me France's capital"))));
        assertEquals(2, stub.hits());
    }

    @Test
    void otherParametersMustMatchExactly() {
        Gateway g = gateway("\"semantic\"");
        g.execute(ask(null, "What is the capital of France?"));
        indexed(vectors);
        GatewayRequest hotter = GatewayRequest.chat(
                        ask(null, "Tell me France's capital").body().put("temperature", 1.5))
                .build();
        assertEquals("SEMANTIC MISS", status(g.execute(hotter)));
    }

    @Test
    void aFailingEmbedderMakesASemanticMissNotAFailedRequest() {
        Gateway g = Gateway.builder()
                .config("{\"cache\":\"semantic\",\"provider\":\"openai\",\"api_key\":\"sk-test\","
                        + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")
                .embedder(text -> CompletableFuture.failedFuture(new IllegalStateException("embeddings down")))
                .build();
        GatewayResponse r = g.execute(ask(null, "What is the capital of France?"));
        assertEquals(200, r.status());
        assertEquals("SEMANTIC MISS", status(r));
        assertEquals("HIT", status(g.execute(ask(null, "What is the capital of France?"))));
    }

    @Test
    void aSemanticConfigWithoutAnEmbedderFailsAtBuildNamingTheCacheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> Gateway.builder()
                .config(
                        "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[{\"provider\":\"openai\",\"api_key\":\"k\"},"
                                + "{\"cache\":{\"mode\":\"semantic\"},\"provider\":\"openai\",\"api_key\":\"k\"}]}")
                .build());
        assertEquals("/targets/1/cache", e.path());
        assertTrue(e.getMessage().contains("embedder"), e.getMessage());
    }

    @Test
    void theGatewayEmbedderAsksAnEmbeddingsTargetOfAGateway() {
        Gateway embeddings = Gateway.fromConfig(
                "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}");
        float[] v = new GatewayEmbedder(embeddings, "text-embedding-3-small")
                .embed("hello")
                .toCompletableFuture()
                .join();
        assertEquals(8, v.length);
        assertEquals(
                "text-embedding-3-small",
                stub.lastRequest().json().path("model").asText());
        assertEquals("hello", stub.lastRequest().json().path("input").asText());
    }
}
