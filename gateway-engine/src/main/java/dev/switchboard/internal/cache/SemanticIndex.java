package dev.switchboard.internal.cache;

import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The semantic cache's vectors, in memory: per partition (see {@link CacheKey#partition()}) and
 * vector length, an {@link HnswGraph} of the unit-length embeddings of the cached prompts, each
 * with the exact key of its answer.
 *
 * <p>Lookups take no lock: they search the graph of their partition (approximately above {@link
 * HnswGraph#EXACT_SCAN_BELOW} vectors, exactly below) and compute the similarity of the candidate
 * exactly, in double precision, before comparing it with the threshold. Writes (add, remove, the
 * removal of expired vectors a lookup met, rebuilds) go through a {@link SerialWriter}: one at a
 * time, in order, on its executor, so the caller of {@link #add} or {@link #remove} does not wait
 * for the graph (synchronous when the executor is {@code Runnable::run}, as in the constructors
 * without one).
 *
 * <p>Bounded: past {@code maxEntries} the oldest vector is forgotten (its answer may still be an
 * exact hit). Expired vectors are never served; they are dropped when a lookup meets them, or when
 * they reach the head of the insertion order during an add. A removed vector leaves a tombstone in
 * its graph; a graph whose tombstones outnumber its live vectors is rebuilt from them by the write
 * that tipped it over, on the writer (amortised: one extra insert per removal). Thread-safe.
 */
public final class SemanticIndex implements VectorStore {
    /** The bound when none is given. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** Writes that may wait for the writer when no bound is given; more are dropped. */
    public static final int DEFAULT_MAX_PENDING_WRITES = 1_024;

    private final int maxEntries;
    private final int efSearch;
    private final Clock clock;
    private final SerialWriter writer;
    private final ConcurrentHashMap<String, HnswGraph> graphs = new ConcurrentHashMap<>();
    /** Insertion order of every key and the graph it is in; guarded by this. */
    private final LinkedHashMap<String, Slot> byKey = new LinkedHashMap<>();

    private long seed = 42;

    private record Slot(String graph, long expiresAtMillis) {}

    /**
     * An index of at most {@code maxEntries} vectors.
     *
     * @throws IllegalArgumentException when {@code maxEntries} is below 1
     */
    public SemanticIndex(int maxEntries) {
        this(null, maxEntries, HnswGraph.EF_SEARCH);
    }

    /**
     * An index of at most {@code maxEntries} vectors searching {@code efSearch} candidates per lookup.
     *
     * @param clock judges the expiry of the oldest vectors during an add; null to leave them to lookups
     * @throws IllegalArgumentException when a bound is below 1
     */
    public SemanticIndex(Clock clock, int maxEntries, int efSearch) {
        this(clock, maxEntries, efSearch, new SerialWriter(Runnable::run, Integer.MAX_VALUE));
    }

    /**
     * An index whose writes run on {@code writer}.
     *
     * @param clock      judges the expiry of the oldest vectors during an add; null to leave them to lookups
     * @param maxEntries the most vectors kept
     * @param efSearch   candidates kept per lookup
     * @param writer     runs the writes one at a time
     * @throws IllegalArgumentException when a bound is below 1
     */
    public SemanticIndex(Clock clock, int maxEntries, int efSearch, SerialWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("semantic index size must be at least 1, got " + maxEntries);
        }
        if (efSearch < 1) {
            throw new IllegalArgumentException("semantic index efSearch must be at least 1, got " + efSearch);
        }
        this.maxEntries = maxEntries;
        this.efSearch = efSearch;
        this.clock = clock;
    }

    /**
     * Indexes (or re-indexes) the prompt of {@code key} on the writer; a zero vector cannot be
     * compared and is ignored. The vector is copied (normalised) before this returns.
     */
    @Override
    public void add(String partition, String key, float[] vector, Instant expiresAt) {
        float[] unit = normalise(vector);
        if (unit == null) {
            return;
        }
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(key, "key");
        writer.submit("add", () -> addNow(partition, key, unit, expiresAt));
    }

    private synchronized void addNow(String partition, String key, float[] unit, Instant expiresAt) {
        removeNow(key);
        long expires = expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli();
        String graphKey = partition + '\u0000' + unit.length;
        HnswGraph g = graphs.computeIfAbsent(graphKey, k -> new HnswGraph(unit.length, seed++, efSearch));
        g.insert(key, unit, expires);
        byKey.put(key, new Slot(graphKey, expires));
        // the oldest go first: past the bound, and expired ones at the head (same ttl: expiry order)
        long now = clock == null ? Long.MIN_VALUE : clock.millis();
        Iterator<Map.Entry<String, Slot>> it = byKey.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Slot> oldest = it.next();
            if (byKey.size() <= maxEntries && oldest.getValue().expiresAtMillis() > now) {
                break;
            }
            it.remove();
            unlink(oldest.getKey(), oldest.getValue());
        }
    }

    /**
     * The most similar live prompt of the partition whose similarity is at least {@code threshold};
     * expired vectors met on the way are dropped. Lock-free.
     */
    @Override
    public Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now) {
        float[] q = normalise(vector);
        if (q == null) {
            return Optional.empty();
        }
        HnswGraph g = graphs.get(partition + '\u0000' + q.length);
        if (g == null) {
            return Optional.empty();
        }
        List<HnswGraph.Node> expired = new ArrayList<>(0);
        List<HnswGraph.Node> best = g.search(q, 1, now.toEpochMilli(), expired);
        for (HnswGraph.Node e : expired) {
            writer.submit("expired removal", () -> removeIfSame(e));
        }
        if (best.isEmpty()) {
            return Optional.empty();
        }
        HnswGraph.Node candidate = best.get(0);
        double sim = exactDot(candidate.unit, q);
        // a float rounding slack, so an identical prompt still matches a threshold of 1
        if (sim + 1e-6 < threshold) {
            return Optional.empty();
        }
        return Optional.of(new Match(candidate.key, Math.min(1, sim)));
    }

    /** Forgets the vector of {@code key} on the writer (a graph rebuild it tips over runs there too). */
    @Override
    public void remove(String key) {
        Objects.requireNonNull(key, "key");
        writer.submit("remove", () -> removeNow(key));
    }

    private synchronized void removeNow(String key) {
        Slot s = byKey.remove(key);
        if (s != null) {
            unlink(key, s);
        }
    }

    /** {@return the number of vectors held, expired ones included until they are met} */
    public synchronized int size() {
        return byKey.size();
    }

    /**
     * Waits until every write submitted so far has run.
     *
     * @param timeout the longest wait
     * @return true when they have, false when the timeout passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return writer.awaitIdle(timeout);
    }

    /** {@return the writes dropped because the writer's queue was full} */
    public long droppedWrites() {
        return writer.dropped();
    }

    /** {@return the most vectors held} */
    public int maxEntries() {
        return maxEntries;
    }

    private synchronized void removeIfSame(HnswGraph.Node node) {
        Slot s = byKey.get(node.key);
        if (s != null && s.expiresAtMillis() == node.expiresAtMillis) {
            removeNow(node.key);
        }
    }

    private void unlink(String key, Slot slot) {
        HnswGraph g = graphs.get(slot.graph());
        if (g == null || !g.delete(key)) {
            return;
        }
        if (g.live() == 0) {
            graphs.remove(slot.graph());
        } else if (g.needsRebuild()) {
            graphs.put(slot.graph(), g.rebuilt(seed++));
        }
    }

    private static double exactDot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float[] normalise(float[] v) {
        if (v == null || v.length == 0) {
            return null;
        }
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        if (n == 0 || Double.isNaN(n) || Double.isInfinite(n)) {
            return null;
        }
        double inv = 1 / Math.sqrt(n);
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] * inv);
        }
        return u;
    }
}
