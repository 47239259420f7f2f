package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The HNSW-backed store against the exact scan it replaced: recall, thresholds, writers and readers together. */
class InMemoryVectorStoreTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(3600);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static float[][] randomUnitVectors(int n, int dims, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] out = new float[n][dims];
        for (float[] v : out) {
            double norm = 0;
            for (int i = 0; i < dims; i++) {
                v[i] = (float) (r.nextDouble() * 2 - 1);
                norm += v[i] * v[i];
            }
            for (int i = 0; i < dims; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }

    private static int exactNearest(float[][] data, float[] q) {
        int best = -1;
        double bestSim = -2;
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

    private static double cos(float[] a, float[] b) {
        double s = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return s / Math.sqrt(na * nb);
    }

    /** A store indexing on the caller's thread: these tests are about the graph, not the writer. */
    private static InMemoryVectorStore synchronous(int maxEntries) {
        return new InMemoryVectorStore(
                CLOCK, maxEntries, InMemoryVectorStore.DEFAULT_EF_SEARCH, Runnable::run, Integer.MAX_VALUE);
    }

    private static InMemoryVectorStore filled(float[][] data) {
        InMemoryVectorStore store = synchronous(data.length);
        for (int i = 0; i < data.length; i++) {
            store.add("p", "k" + i, data[i], LATER);
        }
        return store;
    }

    @Test
    void recallOfTheNearestIsAtLeast95PercentOfTheExactScanOnRandomVectors() {
        // uniformly random directions are HNSW's worst case (no structure to navigate); embeddings of
        // text have far fewer intrinsic dimensions. Deterministic: seeded data, seeded levels.
        float[][] data = randomUnitVectors(5_000, 128, 7);
        float[][] queries = randomUnitVectors(200, 128, 8);
        InMemoryVectorStore store = filled(data);
        int found = 0;
        for (float[] q : queries) {
            String expected = "k" + exactNearest(data, q);
            Optional<VectorStore.Match> m = store.nearest("p", q, -1, NOW);
            if (m.isPresent() && m.get().key().equals(expected)) {
                found++;
            }
        }
        double recall = found / (double) queries.length;
        System.out.printf("recall@1 5k x 128 random queries: %.3f%n", recall);
        assertTrue(recall >= 0.95, "recall " + recall + " against the exact scan");
    }

    @Test
    void nearDuplicatePromptsAreFoundAtHighDimensions() {
        // the semantic cache's real case: a paraphrase lands close to a stored prompt
        float[][] data = randomUnitVectors(2_000, 768, 11);
        InMemoryVectorStore store = filled(data);
        SplittableRandom r = new SplittableRandom(12);
        int found = 0;
        int n = 100;
        for (int k = 0; k < n; k++) {
            int target = r.nextInt(data.length);
            float[] q = data[target].clone();
            for (int i = 0; i < q.length; i++) {
                q[i] += (float) ((r.nextDouble() * 2 - 1) * 0.02);
            }
            Optional<VectorStore.Match> m = store.nearest("p", q, 0.9, NOW);
            if (m.isPresent() && m.get().key().equals("k" + exactNearest(data, q))) {
                found++;
            }
        }
        assertTrue(found >= 0.95 * n, found + " of " + n + " paraphrases found their prompt");
    }

    @Test
    void aMatchIsServedOnlyAtOrAboveTheThresholdWithItsExactSimilarity() {
        float[][] data = randomUnitVectors(2_000, 64, 21);
        InMemoryVectorStore store = filled(data);
        float[][] queries = randomUnitVectors(200, 64, 22);
        int served = 0;
        for (float[] q : queries) {
            Optional<VectorStore.Match> m = store.nearest("p", q, 0.45, NOW);
            if (m.isPresent()) {
                served++;
                int i = Integer.parseInt(m.get().key().substring(1));
                assertEquals(cos(data[i], q), m.get().similarity(), 1e-6, "the reported similarity is exact");
                assertTrue(m.get().similarity() + 1e-6 >= 0.45);
            }
            Optional<VectorStore.Match> any = store.nearest("p", q, -1, NOW);
            double best = cos(data[exactNearest(data, q)], q);
            if (best < 0.45) {
                assertTrue(m.isEmpty(), "nothing reaches the threshold, nothing is served");
            }
            assertTrue(any.isPresent());
        }
        assertTrue(served > 0 && served < queries.length, "the threshold split the queries: " + served);
    }

    @Test
    void removedAndExpiredVectorsAreNeverServedAndARebuildKeepsTheLiveOnes() {
        float[][] data = randomUnitVectors(3_000, 32, 31);
        InMemoryVectorStore store = synchronous(10_000);
        for (int i = 0; i < data.length; i++) {
            // i % 5 == 0 expires a minute from now; 1, 2, 3 are removed; 4 stays
            store.add("p", "k" + i, data[i], i % 5 == 0 ? NOW.plusSeconds(60) : LATER);
        }
        for (int i = 0; i < data.length; i++) {
            if (i % 5 >= 1 && i % 5 <= 3) {
                store.remove("k" + i); // tombstones come to outnumber the live: the graph is rebuilt
            }
        }
        assertEquals(1_200, store.size());
        Instant inTwoMinutes = NOW.plusSeconds(120);
        for (int i = 0; i < data.length; i++) {
            Optional<VectorStore.Match> m = store.nearest("p", data[i], 0.999, inTwoMinutes);
            if (i % 5 == 4) {
                assertEquals("k" + i, m.orElseThrow().key(), "live vector " + i);
            } else {
                assertTrue(m.isEmpty(), "vector " + i + " is gone: " + m);
            }
        }
        assertEquals(600, store.size(), "the expired vectors the lookups met were dropped");
    }

    @Test
    void theBoundIsConfigurableAndTheOldestGoesFirst() {
        float[][] data = randomUnitVectors(1_500, 16, 41);
        InMemoryVectorStore store = synchronous(1_000);
        for (int i = 0; i < data.length; i++) {
            store.add("p", "k" + i, data[i], LATER);
        }
        assertEquals(1_000, store.size());
        assertTrue(store.nearest("p", data[0], 0.999, NOW).isEmpty(), "the oldest was forgotten");
        assertEquals(
                "k1499",
                store.nearest("p", data[1499], 0.999, NOW).orElseThrow().key());
    }

    @Test
    void lookupsRunWhileVectorsAreAddedAndFindWhatWasAddedBeforeThem() throws Exception {
        float[][] data = randomUnitVectors(4_000, 64, 51);
        InMemoryVectorStore store = synchronous(100_000);
        for (int i = 0; i < 1_000; i++) {
            store.add("p", "k" + i, data[i], LATER);
        }
        AtomicInteger added = new AtomicInteger(1_000);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger misses = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        int readers = 3;
        CountDownLatch finished = new CountDownLatch(readers);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < readers; t++) {
            long seed = t;
            Thread th = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                try {
                    while (!done.get() || lookups.get() < 3_000) {
                        int i = r.nextInt(added.get()); // added before this lookup started
                        Optional<VectorStore.Match> m = store.nearest("p", data[i], 0.999, NOW);
                        lookups.incrementAndGet();
                        if (m.isEmpty() || !m.get().key().equals("k" + i)) {
                            misses.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    finished.countDown();
                }
            });
            th.start();
            threads.add(th);
        }
        for (int i = 1_000; i < data.length; i++) {
            store.add("p", "k" + i, data[i], LATER);
            added.set(i + 1);
        }
        done.set(true);
        assertTrue(finished.await(60, TimeUnit.SECONDS), "readers finished");
        assertTrue(errors.isEmpty(), "no reader failed: " + errors);
        assertTrue(lookups.get() >= 3_000);
        assertTrue(
                misses.get() <= lookups.get() / 100,
                misses + " of " + lookups + " lookups missed a vector added before them");
        for (int i = 0; i < data.length; i += 7) {
            assertEquals(
                    "k" + i,
                    store.nearest("p", data[i], 0.999, NOW).orElseThrow().key());
        }
    }

    /** A writer thread that starts nothing until {@code release} opens. */
    private static Executor blockedUntil(CountDownLatch release, ExecutorService thread) {
        return r -> thread.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            r.run();
        });
    }

    @Test
    void addsAndRemovesReturnBeforeTheWriterRunsThemAndRunInOrderAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            InMemoryVectorStore store = new InMemoryVectorStore(CLOCK, 100, 16, blockedUntil(release, thread), 100);
            store.add("p", "a", new float[] {1, 0}, LATER);
            float[] b = {0, 1};
            store.add("p", "b", b, LATER);
            b[0] = 1; // the store copied it before add returned
            store.remove("a");
            assertEquals(0, store.size(), "nothing indexed while the writer is held");
            assertTrue(store.nearest("p", new float[] {0, 1}, 0.99, NOW).isEmpty());
            assertFalse(store.awaitIdle(Duration.ZERO), "three writes are waiting");

            release.countDown();
            assertTrue(store.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(1, store.size());
            assertEquals(
                    "b",
                    store.nearest("p", new float[] {0, 1}, 0.99, NOW)
                            .orElseThrow()
                            .key());
            assertTrue(store.nearest("p", new float[] {1, 0}, 0.99, NOW).isEmpty(), "the remove ran after its add");
            assertEquals(0, store.droppedWrites());
        } finally {
            release.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void whenTooManyWritesWaitTheNextAreDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            InMemoryVectorStore store = new InMemoryVectorStore(CLOCK, 100, 16, blockedUntil(release, thread), 2);
            for (int i = 0; i < 5; i++) {
                store.add("p", "k" + i, new float[] {i, 1, 0}, LATER);
            }
            assertEquals(3, store.droppedWrites(), "two wait, three dropped");
            release.countDown();
            assertTrue(store.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(2, store.size());
            assertEquals(
                    "k1",
                    store.nearest("p", new float[] {1, 1, 0}, 0.999, NOW)
                            .orElseThrow()
                            .key());
            store.add("p", "k9", new float[] {0, 0, 1}, LATER);
            assertTrue(store.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(3, store.size(), "the queue takes writes again once drained");
        } finally {
            release.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void theDefaultStoreIndexesOnItsOwnDaemonThread() throws Exception {
        InMemoryVectorStore store = new InMemoryVectorStore(CLOCK, 100);
        AtomicReference<Thread> writer = new AtomicReference<>();
        store.add("p", "a", new float[] {1, 0}, LATER);
        assertTrue(store.awaitIdle(Duration.ofSeconds(10)));
        assertEquals(
                "a",
                store.nearest("p", new float[] {1, 0}, 0.99, NOW).orElseThrow().key());
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("switchboard-vector-writer"))
                .findFirst()
                .ifPresent(writer::set);
        assertTrue(writer.get() != null && writer.get().isDaemon(), "a daemon writer thread: " + writer.get());
    }
}
