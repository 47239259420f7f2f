package dev.switchboard.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the semantic cache keeps the embeddings of cached prompts and finds the nearest one: in
 * memory by default (an HNSW graph per partition, {@code dev.switchboard.cache.InMemoryVectorStore}),
 * Redis's own vector search for several JVMs ({@code dev.switchboard.redis.RedisVectorStore}).
 *
 * <p>Vectors are compared by cosine similarity. A partition groups the prompts whose every other
 * request parameter matches; vectors of different partitions, or of different lengths (another
 * embedder), are never compared. An implementation may search approximately, but must compute the
 * similarity it reports exactly on the candidate it returns, and return nothing below the
 * threshold. Thread-safe.
 */
public interface VectorStore {
    /**
     * The candidate found for a query.
     *
     * @param key        the exact cache key of the cached answer whose prompt is this close
     * @param similarity the cosine similarity of the two prompts, at most 1
     */
    record Match(String key, double similarity) {}

    /**
     * Indexes (or re-indexes) the prompt of a cached answer. A zero or non-finite vector cannot be
     * compared and is ignored.
     *
     * <p>May be asynchronous: the gateway calls it on the thread that completes a miss, so an
     * implementation should return quickly and may index the vector shortly after (the default
     * store does, on a background writer); a lookup right after may not see it yet, and an
     * implementation under pressure may drop it. It must copy what it keeps before returning.
     *
     * @param partition the partition of the request (every parameter but the prompt)
     * @param key       the exact cache key of the answer
     * @param vector    the prompt's embedding; not kept by reference
     * @param expiresAt when the answer expires; null for never
     */
    void add(String partition, String key, float[] vector, Instant expiresAt);

    /**
     * The most similar live prompt of the partition, if its similarity reaches the threshold.
     *
     * @param partition the partition of the request
     * @param vector    the query's embedding
     * @param threshold the least cosine similarity served ({@code cache.similarity_threshold})
     * @param now       the time expiry is judged by
     * @return the match, or empty when none reaches the threshold
     */
    Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now);

    /**
     * Forgets the vector of a key (its answer expired or was evicted); nothing happens when there is none.
     * May be asynchronous like {@link #add}, but must not overtake an earlier add of the same key.
     *
     * @param key the exact cache key
     */
    void remove(String key);
}
