package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.cache.InMemoryVectorStore;
import dev.switchboard.spi.Embedder;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The response cache against a local stub: a miss then a hit (with the cost it saved), a streamed
 * request served from the cached answer, a namespace that isolates a tenant, and a semantic hit for
 * a reworded prompt. The example's embedder is a toy bag-of-words vector so it runs offline; use
 * {@code GatewayEmbedder} with a real embeddings model in production.
 */
public final class CachedAnswers {
    private CachedAnswers() {}

    public static void main(String[] args) {
        try (StubUpstream stub = StubUpstream.start()) {
            String host = stub.openAiBaseUrl();
            try (Gateway exact = Gateway.fromConfig(
                    """
                    {"cache": {"mode": "simple", "max_age": 600},
                     "provider": "openai", "api_key": "sk-stub", "custom_host": "%s"}"""
                            .formatted(host))) {
                show("first call", exact.execute(ask("What is the capital of France?", false)));
                show("same request again", exact.execute(ask("What is the capital of France?", false)));
                GatewayResponse streamed = exact.execute(ask("What is the capital of France?", true));
                StringBuilder text = new StringBuilder();
                try (EventStream s = streamed.stream()) {
                    for (ServerSentEvent e : s) {
                        text.append(e.isDone() ? " [DONE]" : ".");
                    }
                }
                System.out.println("streamed request served from the cache: "
                        + streamed.header("x-portkey-cache-status").orElse("?") + ", events " + text);
                show(
                        "another tenant (namespace)",
                        exact.execute(ask("What is the capital of France?", false).toBuilder()
                                .header("x-portkey-cache-namespace", "tenant-b")
                                .build()));
                System.out.println("provider calls: " + stub.hits());
            }

            // the miss indexes its prompt on the store's background writer, off the response path;
            // the example's next request comes within microseconds, so it waits for that insert
            InMemoryVectorStore vectors = new InMemoryVectorStore();
            try (Gateway semantic = Gateway.builder()
                    .config(
                            """
                    {"cache": {"mode": "semantic", "similarity_threshold": 0.8},
                     "provider": "openai", "api_key": "sk-stub", "custom_host": "%s"}"""
                                    .formatted(host))
                    .embedder(new BagOfWords())
                    .vectorStore(vectors)
                    .build()) {
                show("semantic: first phrasing", semantic.execute(ask("Which city is the capital of France?", false)));
                awaitIndexed(vectors);
                show("semantic: reworded", semantic.execute(ask("Which city is France's capital?", false)));
            }
        }
    }

    private static void awaitIndexed(InMemoryVectorStore vectors) {
        try {
            if (!vectors.awaitIdle(Duration.ofSeconds(5))) {
                System.out.println("(the prompt is not indexed yet)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GatewayRequest ask(String question, boolean stream) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\"," + (stream ? "\"stream\":true," : "")
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question.replace("\"", "\\\"") + "\"}]}")
                .build();
    }

    private static void show(String what, GatewayResponse r) {
        Attempt a = r.trace().attempts().get(0);
        System.out.printf(
                Locale.ROOT,
                "%-28s %-14s cost %-12s saved %-12s %s%n",
                what,
                r.header("x-portkey-cache-status").orElse("?"),
                a.cost(),
                a.saved() == null ? "-" : a.saved(),
                a.notes().isEmpty() ? "" : a.notes().get(0));
    }

    /** A toy embedder: word counts over a small vocabulary, so similar wordings land close together. */
    static final class BagOfWords implements Embedder {
        private static final String[] VOCAB = {"capital", "france", "city", "which", "what", "is", "the", "of", "paris"
        };

        @Override
        public CompletableFuture<float[]> embed(String text) {
            String t = text.toLowerCase(Locale.ROOT).replace("'s", "");
            float[] v = new float[VOCAB.length];
            for (String w : t.split("[^a-z]+")) {
                for (int i = 0; i < VOCAB.length; i++) {
                    if (VOCAB[i].equals(w)) {
                        v[i]++;
                    }
                }
            }
            return CompletableFuture.completedFuture(v);
        }
    }
}
