package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recall@1 of {@link InMemoryVectorStore} against the exact scan on data shaped like text
 * embeddings: random unit topics, each stored prompt a topic plus Gaussian noise (cos ≈ 0.8 to its
 * topic, ≈ 0.64 to another prompt of it), queried with fresh prompts of the same topics and with
 * near duplicates of stored prompts. Seeded, so deterministic; no timing.
 */
class ClusteredRecallTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static float[] noisy(SplittableRandom r, float[] base, int dims, double noise) {
        float[] v = new float[dims];
        double sigma = noise / Math.sqrt(dims);
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (base == null ? r.nextGaussian() : base[i] + r.nextGaussian() * sigma);
            norm += (double) v[i] * v[i];
        }
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private static int exactNearest(float[][] data, float[] q) {
        int best = -1;
        double bestSim = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < data.length; i++) {
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += (double) data[i][j] * q[j];
            }
            if (s > bestSim) {
                bestSim = s;
                best = i;
            }
        }
        return best;
    }

    // 128 dimensions: the whole beam is re-ranked exactly; 768: only the estimates' best half
    @ParameterizedTest(name = "{0} x {1}, seed {2}")
    @CsvSource({"5000, 128, 1", "5000, 128, 2", "3000, 768, 3"})
    void recallOfTheNearestIsAtLeast95PercentOnClusteredData(int entries, int dims, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] topics = new float[entries / 50][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = noisy(r, null, dims, 0);
        }
        float[][] data = new float[entries][];
        for (int i = 0; i < entries; i++) {
            data[i] = noisy(r, topics[r.nextInt(topics.length)], dims, 0.75);
        }
        InMemoryVectorStore store = new InMemoryVectorStore(
                Clock.fixed(NOW, ZoneOffset.UTC),
                entries,
                InMemoryVectorStore.DEFAULT_EF_SEARCH,
                Runnable::run,
                Integer.MAX_VALUE);
        for (int i = 0; i < entries; i++) {
            store.add("p", "k" + i, data[i], NOW.plusSeconds(60));
        }
        int n = 200;
        int fresh = 0;
        int duplicates = 0;
        for (int k = 0; k < n; k++) {
            float[] q = noisy(r, topics[r.nextInt(topics.length)], dims, 0.75);
            Optional<VectorStore.Match> m = store.nearest("p", q, -1, NOW);
            if (m.isPresent() && m.get().key().equals("k" + exactNearest(data, q))) {
                fresh++;
            }
            float[] d = noisy(r, data[r.nextInt(entries)], dims, 0.2);
            Optional<VectorStore.Match> md = store.nearest("p", d, 0.9, NOW);
            if (md.isPresent() && md.get().key().equals("k" + exactNearest(data, d))) {
                duplicates++;
            }
        }
        System.out.printf(
                "recall@1 %d x %d clustered (seed %d): fresh %.3f, near duplicates %.3f%n",
                entries, dims, seed, fresh / (double) n, duplicates / (double) n);
        assertTrue(fresh >= 0.95 * n, "fresh prompts: " + fresh + " of " + n + " found their exact nearest");
        assertTrue(duplicates >= 0.95 * n, "near duplicates: " + duplicates + " of " + n + " found their prompt");
    }
}
