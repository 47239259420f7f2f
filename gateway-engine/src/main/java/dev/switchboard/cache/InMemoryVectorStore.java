package dev.switchboard.cache;

import dev.switchboard.internal.cache.SemanticIndex;
import dev.switchboard.internal.cache.SerialWriter;
import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The default {@link VectorStore}: one JVM's memory, an HNSW graph (approximate nearest
 * neighbours) per partition, searched without a lock; the candidate's similarity is computed
 * exactly before it is compared with the threshold.
 *
 * <p>Bounded by a number of vectors: past it the oldest is forgotten (its answer may still be an
 * exact hit), and expired vectors at the head of the insertion order go on the next add. Memory is
 * about {@code 4.1 × dimensions + 800} bytes per vector: the floats, a 1-bit code the graph is
 * walked with, the links (a 1,536-dimension embedding: ~7.1 KB measured, so 100,000 of them
 * ~710 MB).
 *
 * <p>Writes are asynchronous: {@link #add} and {@link #remove} copy their arguments and return;
 * one background writer per store (a daemon thread, started on the first write and ended after
 * 10 s without one) inserts into the graphs in order, and rebuilds a graph there when its
 * tombstones outnumber its live vectors. A vector is visible to lookups once its insert has run,
 * usually well under a second later; {@link #awaitIdle} waits for that. At most 1,024
 * writes wait by default; past that a write is dropped (a DEBUG log,
 * counted by {@link #droppedWrites()}): a prompt may go unindexed, an answer is never lost.
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

    /** Writes that may wait for the writer when no bound is given: 1,024; more are dropped. */
    public static final int DEFAULT_MAX_PENDING_WRITES = SemanticIndex.DEFAULT_MAX_PENDING_WRITES;

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
        this(
                clock,
                maxEntries,
                efSearch,
                SerialWriter.daemonThread("switchboard-vector-writer"),
                DEFAULT_MAX_PENDING_WRITES);
    }

    /**
     * A store whose writes run on a given executor.
     *
     * @param clock            the clock expired vectors are swept by
     * @param maxEntries       the most vectors kept; the oldest goes first
     * @param efSearch         candidates kept per lookup
     * @param writer           runs the writes; the store submits one task at a time, so any executor
     *     is serial enough; {@code Runnable::run} writes on the caller's thread (synchronous)
     * @param maxPendingWrites the most writes waiting for the writer; more are dropped
     * @throws IllegalArgumentException when a bound is below 1
     */
    public InMemoryVectorStore(Clock clock, int maxEntries, int efSearch, Executor writer, int maxPendingWrites) {
        this.index = new SemanticIndex(
                Objects.requireNonNull(clock, "clock"),
                maxEntries,
                efSearch,
                new SerialWriter(Objects.requireNonNull(writer, "writer"), maxPendingWrites));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the vector is copied; the insert runs on the store's writer.
     */
    @Override
    public void add(String partition, String key, float[] vector, Instant expiresAt) {
        index.add(
                Objects.requireNonNull(partition, "partition"), Objects.requireNonNull(key, "key"), vector, expiresAt);
    }

    @Override
    public Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now) {
        return index.nearest(partition, vector, threshold, Objects.requireNonNull(now, "now"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs on the store's writer, after the writes submitted before it.
     */
    @Override
    public void remove(String key) {
        index.remove(key);
    }

    /**
     * Waits until every write submitted so far is visible to lookups (tests, warm-up, shutdown).
     *
     * @param timeout the longest wait
     * @return true when they are, false when the timeout passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return index.awaitIdle(Objects.requireNonNull(timeout, "timeout"));
    }

    /** {@return the writes dropped so far because too many were waiting for the writer} */
    public long droppedWrites() {
        return index.droppedWrites();
    }

    /** {@return the number of vectors held (writes still queued not counted), expired ones included until they are swept} */
    public int size() {
        return index.size();
    }

    @Override
    public String toString() {
        return "InMemoryVectorStore[" + index.size() + "/" + index.maxEntries() + " vectors]";
    }
}
