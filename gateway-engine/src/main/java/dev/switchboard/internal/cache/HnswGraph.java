package dev.switchboard.internal.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A hierarchical navigable small-world graph (Malkov and Yashunin, 2016) over unit vectors of one
 * length, searched by inner product (the cosine of unit vectors).
 *
 * <p>Two copies of each vector: the exact floats, and a 1-bit code (the signs, packed in longs, in
 * one slab per block of nodes) with a correction factor. The graph is walked with an estimate of
 * the inner product computed from the code and a 4-bit copy of the query (popcounts, ~30x cheaper
 * than a float inner product at 1,536 dimensions and 32x less memory traffic); the best {@code ef}
 * met are then re-ranked with the exact floats. Inserts find their neighbours the same way and
 * choose among them with the exact floats (the paper's diversity heuristic).
 *
 * <p>Concurrency: one writer at a time ({@link #insert} and {@link #delete} are synchronized), any
 * number of lock-free readers ({@link #search}). Readers see a consistent enough graph: nodes are
 * immutable but for their neighbour lists, each list is replaced as a whole (copy on write) in an
 * {@link AtomicReferenceArray}, a node's code is written before any list names it, and the node
 * table and code slabs are republished through volatile fields when they grow. A reader that runs
 * while a node is being linked may miss that node, never crash.
 *
 * <p>Deletion marks a node (a tombstone): it still routes searches, is never returned, and is not
 * chosen as a new neighbour. The owner rebuilds the graph from its live nodes when tombstones
 * outnumber them ({@link #needsRebuild()}).
 */
final class HnswGraph {
    /** A partition this small is scanned exactly: as fast as the graph, and exact. */
    static final int EXACT_SCAN_BELOW = 512;

    static final int M = 16;
    static final int M0 = 2 * M;
    static final int EF_CONSTRUCTION = 100;
    static final int EF_SEARCH = 128;

    /** Vectors this short are re-ranked exactly in full after a search; longer ones, the best half. */
    static final int RERANK_ALL_UP_TO = 512;

    /** Nodes per code slab. */
    private static final int BLOCK_BITS = 10;

    private static final int BLOCK = 1 << BLOCK_BITS;

    /** A vector of the graph. Immutable but for its neighbour lists and its tombstone. */
    static final class Node {
        final int id;
        final String key;
        final float[] unit;
        final long expiresAtMillis;
        final int level;
        final AtomicReferenceArray<int[]> links;
        /** The similarity of each link, parallel to {@link #links}; the writer's alone. */
        final float[][] linkSims;

        volatile boolean deleted;

        Node(int id, String key, float[] unit, long expiresAtMillis, int level) {
            this.id = id;
            this.key = key;
            this.unit = unit;
            this.expiresAtMillis = expiresAtMillis;
            this.level = level;
            this.links = new AtomicReferenceArray<>(level + 1);
            this.linkSims = new float[level + 1][];
            for (int l = 0; l <= level; l++) {
                links.set(l, EMPTY);
                linkSims[l] = EMPTY_SIMS;
            }
        }

        boolean liveAt(long nowMillis) {
            return !deleted && nowMillis < expiresAtMillis;
        }
    }

    private static final int[] EMPTY = new int[0];
    private static final float[] EMPTY_SIMS = new float[0];
    private static final ThreadLocal<Visited> VISITED = ThreadLocal.withInitial(Visited::new);

    final int dimensions;
    /** Longs of sign bits per code. */
    private final int words;
    /** Longs per node in a code slab: the sign bits, then the count of set bits and the factor. */
    private final int stride;

    private final double levelFactor = 1 / Math.log(M);
    private final SplittableRandom random;
    private final int efSearch;

    private volatile Node[] nodes = new Node[16];
    private volatile long[][] codes = new long[1][];
    private volatile int count;
    private volatile Node entry;

    // writer state, guarded by this
    private final Map<String, Integer> idByKey = new HashMap<>();
    private int live;
    private int tombstones;
    /** Links into each node at layer 0: a full list never drops a node's last one. */
    private int[] inDegree = new int[16];

    HnswGraph(int dimensions, long seed, int efSearch) {
        this.dimensions = dimensions;
        this.words = (dimensions + 63) >>> 6;
        this.stride = words + 1;
        this.random = new SplittableRandom(seed);
        this.efSearch = efSearch;
    }

    // ---------------------------------------------------------------- writers

    /** Adds a unit vector under a key that is not in the graph. */
    synchronized void insert(String key, float[] unit, long expiresAtMillis) {
        int level = Math.min(16, (int) (-Math.log(1 - random.nextDouble()) * levelFactor));
        int id = count;
        Node node = new Node(id, key, unit, expiresAtMillis, level);
        Node[] table = nodes;
        if (id == table.length) {
            table = Arrays.copyOf(table, table.length * 2);
        }
        table[id] = node;
        writeCode(id, unit);
        nodes = table;
        idByKey.put(key, id);
        live++;
        Node ep = entry;
        if (ep == null) {
            count = id + 1;
            entry = node;
            return;
        }
        Query q = new Query(unit, words);
        Node cur = ep;
        for (int l = ep.level; l > Math.max(level, 1); l--) {
            cur = greedy(q, cur, l);
        }
        int[] starts = {cur.id};
        if (level == 0 && ep.level >= 1) {
            // as a search does: a beam on layer 1 finds the node's cluster where a greedy step may not
            starts = searchLayer(q, starts, EF_CONSTRUCTION / 2, 1).sortedIds();
        }
        for (int l = Math.min(level, ep.level); l >= 0; l--) {
            Candidates found = searchLayer(q, starts, EF_CONSTRUCTION, l);
            starts = found.sortedIds();
            // the estimates found them; the exact similarities choose among them
            Candidates exact = rerank(unit, starts, starts.length);
            int max = l == 0 ? M0 : M;
            int[] byExact = exact.sortedIds();
            float[] sims = exact.sortedSims();
            int n = selectNeighbours(byExact, sims, max);
            node.linkSims[l] = Arrays.copyOf(sims, n);
            node.links.set(l, Arrays.copyOf(byExact, n));
        }
        if (id >= inDegree.length) {
            inDegree = Arrays.copyOf(inDegree, inDegree.length * 2);
        }
        for (int nb : node.links.get(0)) {
            inDegree[nb]++;
        }
        count = id + 1; // readers may reach the node from here on
        for (int l = Math.min(level, ep.level); l >= 0; l--) {
            int[] nbs = node.links.get(l);
            float[] sims = node.linkSims[l];
            for (int k = 0; k < nbs.length; k++) {
                link(node(nbs[k]), id, sims[k], l, false);
            }
        }
        int[] nbs0 = node.links.get(0);
        if (inDegree[id] == 0 && nbs0.length > 0) {
            // no neighbour took it (their lists were full of closer nodes): unreachable at layer 0
            // unless the nearest makes room
            link(node(nbs0[0]), id, node.linkSims[0][0], 0, true);
        }
        if (level > ep.level) {
            entry = node;
        }
    }

    /** Marks the node of a key deleted; false when the key is not here. */
    synchronized boolean delete(String key) {
        Integer id = idByKey.remove(key);
        if (id == null) {
            return false;
        }
        node(id).deleted = true;
        live--;
        tombstones++;
        return true;
    }

    synchronized int live() {
        return live;
    }

    /** Tombstones outnumber live nodes (and are more than a few): time to rebuild. */
    synchronized boolean needsRebuild() {
        return tombstones > 64 && tombstones > live;
    }

    /** A new graph holding this one's live nodes (the expired too: their owner removes them). */
    synchronized HnswGraph rebuilt(long seed) {
        HnswGraph g = new HnswGraph(dimensions, seed, efSearch);
        Node[] table = nodes;
        for (int i = 0; i < count; i++) {
            Node n = table[i];
            if (!n.deleted) {
                g.insert(n.key, n.unit, n.expiresAtMillis);
            }
        }
        return g;
    }

    /** Writes the sign code of node {@code id}, growing the slabs first when needed. */
    private void writeCode(int id, float[] unit) {
        long[][] slabs = codes;
        int b = id >>> BLOCK_BITS;
        if (b == slabs.length) {
            slabs = Arrays.copyOf(slabs, slabs.length * 2);
        }
        if (slabs[b] == null) {
            slabs[b] = new long[BLOCK * stride];
        }
        long[] slab = slabs[b];
        int at = (id & (BLOCK - 1)) * stride;
        double l1 = 0;
        int ones = 0;
        for (int i = 0; i < dimensions; i++) {
            float x = unit[i];
            l1 += Math.abs(x);
            if (x > 0) {
                slab[at + (i >>> 6)] |= 1L << i;
                ones++;
            }
        }
        // the estimate of <x, q> is sum(sign(x_i) q_i) / sum|x_i| (the 1-bit estimator of RaBitQ)
        float factor = l1 == 0 ? 0 : (float) (1 / l1);
        slab[at + words] = ((long) Float.floatToRawIntBits(factor) << 32) | ones;
        codes = slabs;
    }

    /**
     * Adds the link {@code from -> to}. A full list keeps its most similar links: the least
     * similar makes way if the new one is closer (similarities are kept, so no inner product),
     * except at layer 0 a link that is the last one into its node (links to tombstones go first).
     *
     * @param force at layer 0, make way even for a less similar link (so {@code to} is reachable)
     */
    private void link(Node from, int to, float sim, int level, boolean force) {
        int[] old = from.links.get(level);
        float[] oldSims = from.linkSims[level];
        int max = level == 0 ? M0 : M;
        int[] grown;
        float[] grownSims;
        if (old.length < max) {
            grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = to;
            grownSims = Arrays.copyOf(oldSims, old.length + 1);
            grownSims[old.length] = sim;
        } else {
            int worst = -1;
            float worstSim = force ? Float.POSITIVE_INFINITY : sim;
            for (int k = 0; k < old.length; k++) {
                if (level == 0 && node(old[k]).deleted) {
                    worst = k;
                    break;
                }
                if (oldSims[k] < worstSim && (level > 0 || inDegree[old[k]] > 1)) {
                    worstSim = oldSims[k];
                    worst = k;
                }
            }
            if (worst < 0) {
                return;
            }
            if (level == 0) {
                inDegree[old[worst]]--;
            }
            grown = old.clone();
            grown[worst] = to;
            grownSims = oldSims.clone();
            grownSims[worst] = sim;
        }
        if (level == 0) {
            inDegree[to]++;
        }
        from.linkSims[level] = grownSims;
        from.links.set(level, grown);
    }

    /**
     * The neighbour-selection heuristic of the paper: a candidate is kept when it is closer to the
     * base than to any neighbour kept so far, so links point in diverse directions; the pruned fill
     * up the rest. Reorders {@code ids} and {@code sims} (best first, exact) so that the chosen come
     * first, and returns how many were chosen. Tombstones are never chosen.
     */
    private int selectNeighbours(int[] ids, float[] sims, int max) {
        int[] out = new int[Math.min(max, ids.length)];
        float[] outSims = new float[out.length];
        int n = 0;
        int[] pruned = new int[ids.length];
        float[] prunedSims = new float[ids.length];
        int p = 0;
        for (int k = 0; k < ids.length && n < out.length; k++) {
            Node c = node(ids[k]);
            if (c.deleted) {
                continue;
            }
            float toBase = sims[k];
            boolean diverse = true;
            for (int j = 0; j < n && diverse; j++) {
                diverse = dot(c.unit, node(out[j]).unit) <= toBase;
            }
            if (diverse) {
                outSims[n] = toBase;
                out[n++] = ids[k];
            } else {
                prunedSims[p] = toBase;
                pruned[p++] = ids[k];
            }
        }
        for (int k = 0; k < p && n < out.length; k++) {
            outSims[n] = prunedSims[k];
            out[n++] = pruned[k];
        }
        System.arraycopy(out, 0, ids, 0, n);
        System.arraycopy(outSims, 0, sims, 0, n);
        return n;
    }

    // ---------------------------------------------------------------- readers

    /** The number of nodes ever added, tombstones included. */
    int size() {
        return count;
    }

    /**
     * The best live candidates for a unit query, best first by exact similarity, at most {@code
     * k}: exact below {@link #EXACT_SCAN_BELOW} nodes, approximate above. Lock-free.
     *
     * @param expired receives live-but-expired nodes met among the best, for the owner to remove
     */
    List<Node> search(float[] q, int k, long nowMillis, List<Node> expired) {
        int n = count;
        Candidates best;
        if (n < EXACT_SCAN_BELOW) {
            Node[] table = nodes;
            best = new Candidates(n);
            for (int i = 0; i < n; i++) {
                best.offer(i, dot(q, table[i].unit));
            }
        } else {
            Query query = new Query(q, words);
            Node cur = entry;
            for (int l = cur.level; l > 1; l--) {
                cur = greedy(query, cur, l);
            }
            int[] starts = {cur.id};
            if (cur.level >= 1) {
                // layer 1 with a beam, not greedily: its links cross clusters, and a query whose
                // cluster is unrelated to the others has no gradient to follow there
                starts =
                        searchLayer(query, starts, Math.max(k, efSearch / 2), 1).sortedIds();
            }
            int[] found = searchLayer(query, starts, Math.max(efSearch, k), 0).sortedIds();
            // long vectors: the estimates rank well enough that the exact best is among their best
            // half, and an exact inner product costs ~1 us; short ones: cheap, and noisier estimates
            int exact = dimensions > RERANK_ALL_UP_TO ? Math.max(k, efSearch / 2) : found.length;
            best = rerank(q, found, Math.min(found.length, exact));
        }
        List<Node> out = new ArrayList<>(k);
        for (int id : best.sortedIds()) {
            Node c = node(id);
            if (c.deleted) {
                continue;
            }
            if (nowMillis >= c.expiresAtMillis) {
                expired.add(c);
                continue;
            }
            out.add(c);
            if (out.size() == k) {
                break;
            }
        }
        return out;
    }

    private Node node(int id) {
        return nodes[id];
    }

    /** The exact similarities of {@code ids} to {@code q}, four vectors at a time (memory-level parallelism). */
    private Candidates rerank(float[] q, int[] ids, int n) {
        Candidates out = new Candidates(n);
        float[] sims = new float[4];
        int i = 0;
        for (; i + 3 < n; i += 4) {
            dot4(q, node(ids[i]).unit, node(ids[i + 1]).unit, node(ids[i + 2]).unit, node(ids[i + 3]).unit, sims);
            for (int j = 0; j < 4; j++) {
                out.offer(ids[i + j], sims[j]);
            }
        }
        for (; i < n; i++) {
            out.offer(ids[i], dot(q, node(ids[i]).unit));
        }
        return out;
    }

    private Node greedy(Query q, Node start, int level) {
        long[][] slabs = codes;
        Node cur = start;
        float curSim = q.estimate(slabs, cur.id, stride);
        for (boolean moved = true; moved; ) {
            moved = false;
            for (int id : cur.links.get(level)) {
                float s = q.estimate(codes, id, stride);
                if (s > curSim) {
                    curSim = s;
                    cur = node(id);
                    moved = true;
                }
            }
        }
        return cur;
    }

    /** Best-first search of one layer on the estimates, keeping the {@code ef} best met. */
    private Candidates searchLayer(Query q, int[] starts, int ef, int level) {
        Visited visited = VISITED.get().reset(nodes.length);
        Candidates results = new Candidates(ef);
        Frontier frontier = new Frontier();
        int[] batch = new int[M0];
        float[] sims = new float[4];
        long[][] slabs = codes;
        for (int id : starts) {
            if (visited.mark(id)) {
                float s = q.estimate(slabs, id, stride);
                results.offer(id, s);
                frontier.push(id, s);
            }
        }
        while (frontier.size > 0) {
            float s = frontier.topSim();
            if (results.full() && s < results.worst()) {
                break;
            }
            int id = frontier.pop();
            Node cur = node(id);
            if (cur.level < level) {
                continue;
            }
            int[] nbs = cur.links.get(level);
            slabs = codes; // the lists may name nodes of a slab published after the last read
            int fresh = 0;
            for (int nb : nbs) {
                if (visited.mark(nb)) {
                    batch[fresh++] = nb;
                }
            }
            int b = 0;
            for (; b + 3 < fresh; b += 4) {
                q.estimate4(slabs, batch[b], batch[b + 1], batch[b + 2], batch[b + 3], stride, sims);
                for (int j = 0; j < 4; j++) {
                    float ns = sims[j];
                    if (!results.full() || ns > results.worst()) {
                        results.offer(batch[b + j], ns);
                        frontier.push(batch[b + j], ns);
                    }
                }
            }
            for (; b < fresh; b++) {
                float ns = q.estimate(slabs, batch[b], stride);
                if (!results.full() || ns > results.worst()) {
                    results.offer(batch[b], ns);
                    frontier.push(batch[b], ns);
                }
            }
        }
        return results;
    }

    /**
     * A query quantised for the codes: 4 bits per dimension, as bit planes, so that the sum of the
     * query over a code's set bits is four ANDs and popcounts per word.
     */
    static final class Query {
        private final long[] planes; // plane p of word w at 4 * w + p
        private final int words;
        private final float low;
        private final float step;
        private final long sumU;
        private final int dims;

        Query(float[] q, int words) {
            this.words = words;
            this.dims = q.length;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float x : q) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            this.low = lo;
            this.step = hi > lo ? (hi - lo) / 15 : 0;
            this.planes = new long[4 * words];
            long su = 0;
            for (int i = 0; i < q.length; i++) {
                int u = step == 0 ? 0 : Math.min(15, Math.round((q[i] - lo) / step));
                su += u;
                int w = i >>> 6;
                for (int p = 0; p < 4; p++) {
                    if ((u & (1 << p)) != 0) {
                        planes[4 * w + p] |= 1L << i;
                    }
                }
            }
            this.sumU = su;
        }

        /** The estimated inner product of this query with the vector of node {@code id}. */
        float estimate(long[][] slabs, int id, int stride) {
            long[] slab = slabs[id >>> BLOCK_BITS];
            int at = (id & (BLOCK - 1)) * stride;
            long[] pl = planes;
            long acc = 0;
            for (int w = 0, j = 0; w < words; w++, j += 4) {
                long bits = slab[at + w];
                acc += weighted(bits, pl, j);
            }
            return finish(acc, slab[at + words]);
        }

        /**
         * The estimates for four nodes in one pass: four independent streams of memory for the CPU
         * to fetch at once (the codes of a node's neighbours are scattered over the slabs).
         */
        void estimate4(long[][] slabs, int a, int b, int c, int d, int stride, float[] out) {
            long[] sa = slabs[a >>> BLOCK_BITS];
            long[] sb = slabs[b >>> BLOCK_BITS];
            long[] sc = slabs[c >>> BLOCK_BITS];
            long[] sd = slabs[d >>> BLOCK_BITS];
            int aa = (a & (BLOCK - 1)) * stride;
            int ab = (b & (BLOCK - 1)) * stride;
            int ac = (c & (BLOCK - 1)) * stride;
            int ad = (d & (BLOCK - 1)) * stride;
            long[] pl = planes;
            long xa = 0, xb = 0, xc = 0, xd = 0;
            for (int w = 0, j = 0; w < words; w++, j += 4) {
                xa += weighted(sa[aa + w], pl, j);
                xb += weighted(sb[ab + w], pl, j);
                xc += weighted(sc[ac + w], pl, j);
                xd += weighted(sd[ad + w], pl, j);
            }
            out[0] = finish(xa, sa[aa + words]);
            out[1] = finish(xb, sb[ab + words]);
            out[2] = finish(xc, sc[ac + words]);
            out[3] = finish(xd, sd[ad + words]);
        }

        /** The sum of the 4-bit query over the set bits of one word of a code. */
        private static long weighted(long bits, long[] pl, int j) {
            return Long.bitCount(bits & pl[j])
                    + ((long) Long.bitCount(bits & pl[j + 1]) << 1)
                    + ((long) Long.bitCount(bits & pl[j + 2]) << 2)
                    + ((long) Long.bitCount(bits & pl[j + 3]) << 3);
        }

        private float finish(long uOverOnes, long meta) {
            int ones = (int) meta;
            float factor = Float.intBitsToFloat((int) (meta >>> 32));
            // sum(sign_i * q_i) with q_i = low + step * u_i: set bits count +, clear bits -
            float signed = low * (2 * ones - dims) + step * (2 * uOverOnes - sumU);
            return signed * factor;
        }
    }

    /** Inner product with eight accumulators (the JIT does not vectorise a float reduction). */
    static float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * The inner products of {@code q} with four vectors in one pass: four independent streams of
     * memory for the CPU to fetch at once, twice as fast as four calls of {@link #dot} on vectors
     * not in cache.
     */
    static void dot4(float[] q, float[] a, float[] b, float[] c, float[] d, float[] out) {
        float sa0 = 0, sb0 = 0, sc0 = 0, sd0 = 0, sa1 = 0, sb1 = 0, sc1 = 0, sd1 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float x = q[i];
            float y = q[i + 1];
            sa0 += x * a[i];
            sb0 += x * b[i];
            sc0 += x * c[i];
            sd0 += x * d[i];
            sa1 += y * a[i + 1];
            sb1 += y * b[i + 1];
            sc1 += y * c[i + 1];
            sd1 += y * d[i + 1];
        }
        if (i < n) {
            float x = q[i];
            sa0 += x * a[i];
            sb0 += x * b[i];
            sc0 += x * c[i];
            sd0 += x * d[i];
        }
        out[0] = sa0 + sa1;
        out[1] = sb0 + sb1;
        out[2] = sc0 + sc1;
        out[3] = sd0 + sd1;
    }

    // ---------------------------------------------------------------- small primitive collections

    /** The {@code capacity} most similar ids offered: a min-heap on similarity. */
    static final class Candidates {
        private final int capacity;
        private int[] ids;
        private float[] sims;
        private int size;

        Candidates(int capacity) {
            this.capacity = Math.max(1, capacity);
            this.ids = new int[Math.min(this.capacity, 64)];
            this.sims = new float[ids.length];
        }

        boolean full() {
            return size == capacity;
        }

        float worst() {
            return sims[0];
        }

        void offer(int id, float sim) {
            if (size < capacity) {
                if (size == ids.length) {
                    ids = Arrays.copyOf(ids, Math.min(capacity, size * 2));
                    sims = Arrays.copyOf(sims, ids.length);
                }
                int i = size++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (sims[parent] <= sim) {
                        break;
                    }
                    ids[i] = ids[parent];
                    sims[i] = sims[parent];
                    i = parent;
                }
                ids[i] = id;
                sims[i] = sim;
            } else if (sim > sims[0]) {
                siftDown(id, sim);
            }
        }

        private void siftDown(int id, float sim) {
            siftDown(ids, sims, size, id, sim);
        }

        /** Puts {@code id} at the root of the min-heap {@code ids}/{@code sims} of {@code n} and sifts it down. */
        private static void siftDown(int[] ids, float[] sims, int n, int id, float sim) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= n) {
                    break;
                }
                if (child + 1 < n && sims[child + 1] < sims[child]) {
                    child++;
                }
                if (sims[child] >= sim) {
                    break;
                }
                ids[i] = ids[child];
                sims[i] = sims[child];
                i = child;
            }
            ids[i] = id;
            sims[i] = sim;
        }

        /** The ids, most similar first. */
        int[] sortedIds() {
            int[] out = new int[size];
            sorted(out, null);
            return out;
        }

        /** The similarities, best first: parallel to {@link #sortedIds()}. */
        float[] sortedSims() {
            float[] out = new float[size];
            sorted(null, out);
            return out;
        }

        /** Heap-sorts a copy of the heap, best first (no boxing, O(n log n)). */
        private void sorted(int[] outIds, float[] outSims) {
            int[] hi = Arrays.copyOf(ids, size);
            float[] hs = Arrays.copyOf(sims, size);
            for (int n = size; n > 0; n--) {
                // the root is the worst left: it goes last
                if (outIds != null) {
                    outIds[n - 1] = hi[0];
                }
                if (outSims != null) {
                    outSims[n - 1] = hs[0];
                }
                siftDown(hi, hs, n - 1, hi[n - 1], hs[n - 1]); // the last one takes the root's place
            }
        }
    }

    /** The nodes still to expand: a max-heap on similarity. */
    private static final class Frontier {
        int[] ids = new int[64];
        float[] sims = new float[64];
        int size;

        float topSim() {
            return sims[0];
        }

        void push(int id, float sim) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                sims = Arrays.copyOf(sims, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (sims[parent] >= sim) {
                    break;
                }
                ids[i] = ids[parent];
                sims[i] = sims[parent];
                i = parent;
            }
            ids[i] = id;
            sims[i] = sim;
        }

        int pop() {
            int top = ids[0];
            size--;
            if (size > 0) {
                int id = ids[size];
                float sim = sims[size];
                int i = 0;
                while (true) {
                    int child = 2 * i + 1;
                    if (child >= size) {
                        break;
                    }
                    if (child + 1 < size && sims[child + 1] > sims[child]) {
                        child++;
                    }
                    if (sims[child] <= sim) {
                        break;
                    }
                    ids[i] = ids[child];
                    sims[i] = sims[child];
                    i = child;
                }
                ids[i] = id;
                sims[i] = sim;
            }
            return top;
        }
    }

    /** A per-thread visited set cleared in O(1) by an epoch counter. */
    private static final class Visited {
        int[] marks = new int[0];
        int epoch;

        Visited reset(int capacity) {
            if (marks.length < capacity) {
                marks = new int[capacity];
                epoch = 0;
            }
            if (++epoch == Integer.MAX_VALUE) {
                Arrays.fill(marks, 0);
                epoch = 1;
            }
            return this;
        }

        boolean mark(int id) {
            if (id >= marks.length) {
                marks = Arrays.copyOf(marks, Math.max(id + 1, marks.length * 2));
            }
            if (marks[id] == epoch) {
                return false;
            }
            marks[id] = epoch;
            return true;
        }
    }
}
