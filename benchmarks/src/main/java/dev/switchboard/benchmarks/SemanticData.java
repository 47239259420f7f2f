package dev.switchboard.benchmarks;

import java.util.SplittableRandom;

/**
 * Seeded vectors for the semantic-cache measurements: clustered unit vectors that look more like
 * text embeddings (topics, each prompt a topic plus noise) and uniformly random ones (HNSW's worst
 * case), with the exact scan the index is measured against.
 */
final class SemanticData {
    /** Noise norm relative to the topic's: cos(prompt, topic) ≈ 0.8, two prompts of a topic ≈ 0.64. */
    static final double TOPIC_NOISE = 0.75;

    /** Noise norm of a near duplicate (a paraphrase): cos ≈ 0.98 with the prompt it copies. */
    static final double DUPLICATE_NOISE = 0.2;

    private final int dimensions;
    private final float[][] topics;
    private final SplittableRandom random;

    private SemanticData(int dimensions, int topics, long seed) {
        this.dimensions = dimensions;
        this.random = new SplittableRandom(seed);
        this.topics = new float[topics][];
        for (int t = 0; t < topics; t++) {
            this.topics[t] = uniform();
        }
    }

    /** Clustered data: {@code topics} random unit topics (none for uniform data). */
    static SemanticData clustered(int dimensions, int topics, long seed) {
        return new SemanticData(dimensions, topics, seed);
    }

    /** Uniformly random directions. */
    static SemanticData uniform(int dimensions, long seed) {
        return new SemanticData(dimensions, 0, seed);
    }

    /** The topics for {@code entries} prompts: about 50 prompts a topic, 20 to 2,000 topics. */
    static int topicsFor(int entries) {
        return Math.max(20, Math.min(2_000, entries / 50));
    }

    /** A fresh unit vector: a random topic plus noise, or uniformly random when there are no topics. */
    float[] next() {
        if (topics.length == 0) {
            return uniform();
        }
        return noisy(topics[random.nextInt(topics.length)], TOPIC_NOISE);
    }

    /** {@code n} fresh vectors. */
    float[][] next(int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = next();
        }
        return out;
    }

    /** A near duplicate of one of {@code stored}, chosen at random. */
    float[] nearDuplicate(float[][] stored) {
        return noisy(stored[random.nextInt(stored.length)], DUPLICATE_NOISE);
    }

    private float[] uniform() {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalised(v);
    }

    /** {@code base} plus Gaussian noise of norm about {@code noise}, normalised. */
    private float[] noisy(float[] base, double noise) {
        double sigma = noise / Math.sqrt(dimensions);
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) (base[i] + random.nextGaussian() * sigma);
        }
        return normalised(v);
    }

    private static float[] normalised(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * inv);
        }
        return v;
    }

    /** The index of the stored unit vector most similar to {@code q}: a double-precision scan of all. */
    static int exactNearest(float[][] stored, float[] q) {
        int best = -1;
        double bestSim = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < stored.length; i++) {
            float[] u = stored[i];
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += (double) u[j] * q[j];
            }
            if (s > bestSim) {
                bestSim = s;
                best = i;
            }
        }
        return best;
    }
}
