package dev.switchboard.benchmarks;

import dev.switchboard.cache.InMemoryVectorStore;
import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The semantic cache's lookup (issue 16): {@link InMemoryVectorStore#nearest} in one partition of
 * {@code entries} clustered vectors of {@code dimensions} ({@link SemanticData}: topics plus noise,
 * like text embeddings), for a fresh prompt of a known topic (a miss at the default threshold 0.95:
 * what every semantic miss pays) and for a near duplicate of a stored prompt (a hit); the exact
 * scan of the partition is the baseline. The setup prints the build time and recall@1 against the
 * exact scan over 50 queries of each kind; {@link SemanticRecall} measures recall and percentiles
 * more thoroughly, uniform data included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class SemanticCacheBenchmark {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** Vectors in the partition. */
    @Param({"1000", "10000", "100000"})
    public int entries;

    /** Their length: 256 (small embedding models) or 1,536 (text-embedding-3-small). */
    @Param({"256", "1536"})
    public int dimensions;

    private InMemoryVectorStore store;
    private float[][] stored;
    private float[][] queries;
    private float[][] nearDuplicates;
    private int next;

    /** Builds the partition (timed, on this thread) and prints its recall against the exact scan. */
    @Setup(Level.Trial)
    public void setUp() {
        SemanticData gen = SemanticData.clustered(dimensions, SemanticData.topicsFor(entries), 16);
        stored = gen.next(entries);
        queries = gen.next(1024);
        nearDuplicates = new float[1024][];
        for (int k = 0; k < nearDuplicates.length; k++) {
            nearDuplicates[k] = gen.nearDuplicate(stored);
        }
        // inserts on this thread (Runnable::run): the build is timed, and none may be dropped
        store = new InMemoryVectorStore(
                Clock.fixed(NOW, ZoneOffset.UTC),
                entries,
                InMemoryVectorStore.DEFAULT_EF_SEARCH,
                Runnable::run,
                Integer.MAX_VALUE);
        long t0 = System.nanoTime();
        for (int i = 0; i < entries; i++) {
            store.add("p", "k" + i, stored[i], NOW.plusSeconds(3600));
        }
        long built = System.nanoTime() - t0;
        int n = 50;
        int found = 0;
        int nearFound = 0;
        for (int k = 0; k < n; k++) {
            Optional<VectorStore.Match> m = store.nearest("p", queries[k], -1, NOW);
            if (m.isPresent() && m.get().key().equals("k" + SemanticData.exactNearest(stored, queries[k]))) {
                found++;
            }
            Optional<VectorStore.Match> near = store.nearest("p", nearDuplicates[k], -1, NOW);
            if (near.isPresent()
                    && near.get().key().equals("k" + SemanticData.exactNearest(stored, nearDuplicates[k]))) {
                nearFound++;
            }
        }
        System.out.printf(
                "%n[semantic] %d x %d clustered: built in %.1f s; recall@1 vs the exact scan: fresh prompts %.2f,"
                        + " near duplicates %.2f%n",
                entries, dimensions, built / 1e9, found / (double) n, nearFound / (double) n);
    }

    /** A fresh prompt of a known topic: its nearest is about 0.65 similar, a miss at 0.95. */
    @Benchmark
    public Optional<VectorStore.Match> missFreshPrompt() {
        return store.nearest("p", queries[next++ & 1023], 0.95, NOW);
    }

    /** A paraphrase of a stored prompt (about 0.98 similar): a hit. */
    @Benchmark
    public Optional<VectorStore.Match> hitNearDuplicate() {
        return store.nearest("p", nearDuplicates[next++ & 1023], 0.95, NOW);
    }

    /** The baseline: the exact scan of the partition (what the index did before issue 16). */
    @Benchmark
    public int exactScan() {
        return SemanticData.exactNearest(stored, queries[next++ & 1023]);
    }
}
