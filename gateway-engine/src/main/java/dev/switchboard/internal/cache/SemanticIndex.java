package dev.switchboard.internal.cache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The semantic cache's vectors, in memory: per partition (see {@link CacheKey#partition()}) the
 * unit-length embedding of each cached prompt and the exact key of its answer. Bounded: past
 * {@code maxEntries} the oldest vector is forgotten (its answer may still be an exact hit). A
 * nearest-neighbour search is a linear scan of one partition — partitions are small, because every
 * parameter other than the prompt text must already match. Thread-safe.
 */
public final class SemanticIndex {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** The closest cached prompt and its cosine similarity to the query. */
    public record Match(String key, double similarity) {}

    private record Entry(String partition, String key, float[] unit, Instant expiresAt) {}

    private final int maxEntries;
    private final LinkedHashMap<String, Entry> byKey = new LinkedHashMap<>();
    private final Map<String, List<Entry>> byPartition = new HashMap<>();

    public SemanticIndex(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("semantic index size must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** Indexes (or re-indexes) the prompt of {@code key}; a zero vector cannot be compared and is ignored. */
    public synchronized void add(String partition, String key, float[] vector, Instant expiresAt) {
        float[] unit = normalise(vector);
        if (unit == null) {
            return;
        }
        remove(key);
        Entry e = new Entry(partition, key, unit, expiresAt);
        byKey.put(key, e);
        byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(e);
        while (byKey.size() > maxEntries) {
            Iterator<Entry> oldest = byKey.values().iterator();
            Entry o = oldest.next();
            oldest.remove();
            unlink(o);
        }
    }

    /**
     * The most similar live prompt of the partition whose similarity is at least {@code threshold};
     * expired vectors met on the way are dropped.
     */
    public synchronized Optional<Match> nearest(String partition, float[] vector, double threshold, Instant now) {
        List<Entry> entries = byPartition.get(partition);
        float[] q = normalise(vector);
        if (entries == null || q == null) {
            return Optional.empty();
        }
        Entry best = null;
        double bestSim = -2;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.expiresAt() != null && !now.isBefore(e.expiresAt())) {
                it.remove();
                byKey.remove(e.key());
                continue;
            }
            if (e.unit().length != q.length) {
                continue; // written by another embedder: not comparable
            }
            double sim = dot(e.unit(), q);
            if (sim > bestSim) {
                bestSim = sim;
                best = e;
            }
        }
        if (entries.isEmpty()) {
            byPartition.remove(partition);
        }
        // a float rounding slack, so an identical prompt still matches a threshold of 1
        if (best == null || bestSim + 1e-6 < threshold) {
            return Optional.empty();
        }
        return Optional.of(new Match(best.key(), Math.min(1, bestSim)));
    }

    public synchronized void remove(String key) {
        Entry e = byKey.remove(key);
        if (e != null) {
            unlink(e);
        }
    }

    public synchronized int size() {
        return byKey.size();
    }

    private void unlink(Entry e) {
        List<Entry> list = byPartition.get(e.partition());
        if (list != null) {
            list.remove(e);
            if (list.isEmpty()) {
                byPartition.remove(e.partition());
            }
        }
    }

    private static double dot(float[] a, float[] b) {
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
