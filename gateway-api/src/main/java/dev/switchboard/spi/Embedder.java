package dev.switchboard.spi;

import java.util.concurrent.CompletionStage;

/**
 * Turns text into a vector for the semantic cache. Asynchronous so the engine never blocks a pool
 * thread on a remote embeddings call; a failed stage makes the lookup a semantic miss, never a
 * failed request. Thread-safe.
 *
 * <pre>{@code
 * Embedder embedder = text -> CompletableFuture.completedFuture(myModel.embed(text));
 * Gateway gateway = Gateway.builder().config(json).embedder(embedder).build();
 * }</pre>
 */
@FunctionalInterface
public interface Embedder {
    /**
     * Embeds a text.
     *
     * @param text the request text the semantic cache compares
     * @return its vector; every vector of one embedder must have the same length
     */
    CompletionStage<float[]> embed(String text);
}
