package dev.switchboard.benchmarks;

import dev.switchboard.cache.InMemoryVectorStore;
import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The semantic cache's numbers (issue 16) in one run: per size and kind of data, the time to build
 * an {@link InMemoryVectorStore} partition, lookup latency p50/p99, the exact scan's p50 and the
 * recall@1 of the index against the exact scan, for fresh queries and for near duplicates of stored
 * prompts.
 *
 * <pre>
 * mvn -o -q -pl benchmarks -am package -DskipTests
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.SemanticRecall \
 *     [clustered|uniform|both] [ENTRIESxDIMS ...] [ef=N] [queries=N]
 * </pre>
 *
 * Defaults: both kinds, 1000x256 10000x256 100000x256 1000x1536 10000x1536 100000x1536, the
 * store's default efSearch, 200 queries of each kind. Clustered data: {@link SemanticData}.
 */
public final class SemanticRecall {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private SemanticRecall() {}

    /**
     * Runs the measurements named by the arguments and prints one line per size and kind.
     *
     * @param args {@code clustered}, {@code uniform} or {@code both}; sizes as {@code ENTRIESxDIMS};
     *     {@code ef=N}; {@code queries=N}
     */
    public static void main(String[] args) {
        List<String> kinds = List.of("clustered", "uniform");
        List<int[]> sizes = new ArrayList<>();
        int ef = InMemoryVectorStore.DEFAULT_EF_SEARCH;
        int queries = 200;
        for (String a : args) {
            if (a.equals("clustered") || a.equals("uniform")) {
                kinds = List.of(a);
            } else if (a.equals("both")) {
                kinds = List.of("clustered", "uniform");
            } else if (a.startsWith("ef=")) {
                ef = Integer.parseInt(a.substring(3));
            } else if (a.startsWith("queries=")) {
                queries = Integer.parseInt(a.substring(8));
            } else if (a.matches("\\d+x\\d+")) {
                String[] p = a.split("x");
                sizes.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
            } else {
                throw new IllegalArgumentException("unknown argument " + a
                        + ": expected clustered, uniform, both, ENTRIESxDIMS, ef=N or queries=N");
            }
        }
        if (sizes.isEmpty()) {
            for (int d : new int[] {256, 1536}) {
                for (int n : new int[] {1_000, 10_000, 100_000}) {
                    sizes.add(new int[] {n, d});
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-9s %-13s %8s %9s %9s %9s %9s %11s %11s%n",
                "data",
                "entries×dims",
                "build s",
                "p50 ms",
                "p99 ms",
                "dup p50",
                "exact p50",
                "recall@1",
                "dup recall");
        for (int[] size : sizes) {
            for (String kind : kinds) {
                run(kind, size[0], size[1], ef, queries);
            }
        }
    }

    private static void run(String kind, int entries, int dims, int ef, int queries) {
        SemanticData gen = kind.equals("clustered")
                ? SemanticData.clustered(dims, SemanticData.topicsFor(entries), 16)
                : SemanticData.uniform(dims, 16);
        float[][] stored = gen.next(entries);
        float[][] fresh = gen.next(queries);
        float[][] dups = new float[queries][];
        for (int i = 0; i < queries; i++) {
            dups[i] = gen.nearDuplicate(stored);
        }
        InMemoryVectorStore store = new InMemoryVectorStore(
                Clock.fixed(NOW, ZoneOffset.UTC), entries, ef, Runnable::run, Integer.MAX_VALUE);
        long t0 = System.nanoTime();
        for (int i = 0; i < entries; i++) {
            store.add("p", "k" + i, stored[i], NOW.plusSeconds(3600));
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;

        // recall against the exact scan (timed too: the baseline)
        long[] exactNanos = new long[2 * queries];
        int freshFound = recall(store, stored, fresh, exactNanos, 0);
        int dupFound = recall(store, stored, dups, exactNanos, queries);

        // latency: three rounds, the first one is warm-up
        long[] freshNanos = new long[queries];
        long[] dupNanos = new long[queries];
        for (int round = 0; round < 3; round++) {
            time(store, fresh, freshNanos);
            time(store, dups, dupNanos);
        }
        System.out.printf(
                Locale.ROOT,
                "%-9s %-13s %8.1f %9.3f %9.3f %9.3f %9.3f %11.3f %11.3f%n",
                kind,
                entries + "×" + dims,
                buildSeconds,
                percentile(freshNanos, 0.50),
                percentile(freshNanos, 0.99),
                percentile(dupNanos, 0.50),
                percentile(exactNanos, 0.50),
                freshFound / (double) queries,
                dupFound / (double) queries);
    }

    private static int recall(InMemoryVectorStore store, float[][] stored, float[][] qs, long[] nanos, int at) {
        int found = 0;
        for (int i = 0; i < qs.length; i++) {
            long t = System.nanoTime();
            int exact = SemanticData.exactNearest(stored, qs[i]);
            nanos[at + i] = System.nanoTime() - t;
            Optional<VectorStore.Match> m = store.nearest("p", qs[i], -1, NOW);
            if (m.isPresent() && m.get().key().equals("k" + exact)) {
                found++;
            }
        }
        return found;
    }

    private static void time(InMemoryVectorStore store, float[][] qs, long[] nanos) {
        for (int i = 0; i < qs.length; i++) {
            long t = System.nanoTime();
            Optional<VectorStore.Match> m = store.nearest("p", qs[i], 0.95, NOW);
            nanos[i] = System.nanoTime() - t;
            if (m.isPresent() && m.get().similarity() < 0.95 - 1e-6) {
                throw new AssertionError("a hit below the threshold");
            }
        }
    }

    private static double percentile(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))] / 1e6;
    }
}
