package dev.switchboard.cache;

import dev.switchboard.internal.cache.SemanticIndex;
import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link VectorStore}: one JVM's memory, an HNSW graph (approximate nearest
 * neighbours) per partition, searched without a lock; the candidate's similarity is computed
 * exactly before it is compared with the threshold.
 *
 * <p>Bounded by a number of vectors: past it the oldest is forgotten (its answer may still be an
 * exact hit), and expired vectors at the head of the insertion order go on the next add. Memory is
 * about {@code 4 × dimensions + 200} bytes per vector (a 1,536-dimension embedding: ~6 KB, so
 * 100,000 of them ~620 MB).
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder().config(json).embedder(embedder)
 *         .vectorStore(new InMemoryVectorStore(Clock.systemUTC(), 100_000))
 *         .build();
 * }</pre>
 */
public final class InMemoryVectorStore implements VectorStore {
    /** The bound when none is given: 10,000 vectors. */
    public static final int DEFAULT_MAX_ENTRIES = SemanticIndex.DEFAULT_MAX_ENTRIES;

    /** Candidates kept per lookup when none is given: 128. */
    public static final int DEFAULT_EF_SEARCH = 128;

    private final SemanticIndex index;

    /** The system clock and {@link #DEFAULT_MAX_ENTRIES}. */
    public InMemoryVectorStore() {
        this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
    }

    /**
     * A store with its own clock and bound.
     *
     * @param clock      the clock expired vectors are swept by; the gateway's own, so tests can move it
     * @param maxEntries the most vectors kept; the oldest goes first
     * @throws IllegalArgumentException when {@code maxEntries} is below 1
     */
    public InMemoryVectorStore(Clock clock, int maxEntries) {
        this(clock, maxEntries, DEFAULT_EF_SEARCH);
    }

    /**
     * A store with its own clock, bound and search breadth.
     *
     * @param clock      the clock expired vectors are swept by
     * @param maxEntries the most vectors kept; the oldest goes first
     * @param efSearch   candidates kept per lookup: higher finds the true nearest more often, slower
     * @throws IllegalArgumentException when {@code maxEntries} or {@code efSearch} is below 1
     */
    public InMemoryVectorStore(Clock clock, int maxEntries, int efSearch) {
        this.index = new SemanticIndex(Objects.requireNonNull(clock, "clock"), maxEntries, efSearch);
    }

    @Override
    public void add(String partition, String key, float[] vector, Instant expiresAt) {
        index.add(
                Objects.requireNonNull(partition, "partition"), Objects.requireNonNull(key, "key"), vector, expiresAt);
    }

    @Override
    public Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now) {
        return index.nearest(partition, vector, threshold, Objects.requireNonNull(now, "now"));
    }

    @Override
    public void remove(String key) {
        index.remove(key);
    }

    /** {@return the number of vectors held, expired ones included until they are swept} */
    public int size() {
        return index.size();
    }

    @Override
    public String toString() {
        return "InMemoryVectorStore[" + index.size() + "/" + index.maxEntries() + " vectors]";
    }
}
