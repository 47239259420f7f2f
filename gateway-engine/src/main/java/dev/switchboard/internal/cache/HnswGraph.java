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
 * <p>Concurrency: one writer at a time ({@link #insert} and {@link #delete} are synchronized), any
 * number of lock-free readers ({@link #search}). Readers see a consistent enough graph: nodes are
 * immutable but for their neighbour lists, each list is replaced as a whole (copy on write) in an
 * {@link AtomicReferenceArray}, and the node table is republished through a volatile field when it
 * grows. A reader that runs while a node is being linked may miss that node, never crash.
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

    /** A vector of the graph. Immutable but for its neighbour lists and its tombstone. */
    static final class Node {
        final int id;
        final String key;
        final float[] unit;
        final long expiresAtMillis;
        final int level;
        final AtomicReferenceArray<int[]> links;
        volatile boolean deleted;

        Node(int id, String key, float[] unit, long expiresAtMillis, int level) {
            this.id = id;
            this.key = key;
            this.unit = unit;
            this.expiresAtMillis = expiresAtMillis;
            this.level = level;
            this.links = new AtomicReferenceArray<>(level + 1);
            for (int l = 0; l <= level; l++) {
                links.set(l, EMPTY);
            }
        }

        boolean liveAt(long nowMillis) {
            return !deleted && nowMillis < expiresAtMillis;
        }
    }

    private static final int[] EMPTY = new int[0];
    private static final ThreadLocal<Visited> VISITED = ThreadLocal.withInitial(Visited::new);

    final int dimensions;
    private final double levelFactor = 1 / Math.log(M);
    private final SplittableRandom random;
    private final int efSearch;

    private volatile Node[] nodes = new Node[16];
    private volatile int count;
    private volatile Node entry;

    // writer state, guarded by this
    private final Map<String, Integer> idByKey = new HashMap<>();
    private int live;
    private int tombstones;

    HnswGraph(int dimensions, long seed, int efSearch) {
        this.dimensions = dimensions;
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
        nodes = table;
        idByKey.put(key, id);
        live++;
        Node ep = entry;
        if (ep == null) {
            count = id + 1;
            entry = node;
            return;
        }
        Candidates found = null;
        Node cur = ep;
        for (int l = ep.level; l > level; l--) {
            cur = greedy(unit, cur, l);
        }
        int[] starts = {cur.id};
        for (int l = Math.min(level, ep.level); l >= 0; l--) {
            found = searchLayer(unit, starts, EF_CONSTRUCTION, l);
            int max = l == 0 ? M0 : M;
            int[] chosen = selectNeighbours(unit, found.sortedIds(), max, true);
            node.links.set(l, chosen);
            starts = found.sortedIds();
        }
        count = id + 1; // readers may reach the node from here on
        for (int l = Math.min(level, ep.level); l >= 0; l--) {
            for (int nb : node.links.get(l)) {
                link(node(nb), id, l);
            }
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

    private void link(Node from, int to, int level) {
        int[] old = from.links.get(level);
        int max = level == 0 ? M0 : M;
        int[] grown;
        if (old.length < max) {
            grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = to;
        } else {
            // full: the least similar link makes way if the new node is closer. O(max); the paper's
            // O(max^2) diversity heuristic here made a 10k x 128 build 20x slower for +0.01 recall
            float toNew = dot(from.unit, node(to).unit);
            int worst = -1;
            float worstSim = toNew;
            for (int k = 0; k < old.length; k++) {
                float s = dot(from.unit, node(old[k]).unit);
                if (s < worstSim) {
                    worstSim = s;
                    worst = k;
                }
            }
            if (worst < 0) {
                return;
            }
            grown = old.clone();
            grown[worst] = to;
        }
        from.links.set(level, grown);
    }

    /**
     * The neighbour-selection heuristic of the paper: a candidate is kept when it is closer to the
     * base than to any neighbour kept so far, so links point in diverse directions; the pruned fill
     * up the rest.
     */
    private int[] selectNeighbours(float[] base, int[] bestFirst, int max, boolean skipDeleted) {
        int[] out = new int[Math.min(max, bestFirst.length)];
        int n = 0;
        int[] pruned = new int[bestFirst.length];
        int p = 0;
        for (int id : bestFirst) {
            if (n == out.length) {
                break;
            }
            Node c = node(id);
            if (skipDeleted && c.deleted) {
                continue;
            }
            float toBase = dot(base, c.unit);
            boolean diverse = true;
            for (int k = 0; k < n && diverse; k++) {
                diverse = dot(c.unit, node(out[k]).unit) <= toBase;
            }
            if (diverse) {
                out[n++] = id;
            } else {
                pruned[p++] = id;
            }
        }
        for (int k = 0; k < p && n < out.length; k++) {
            out[n++] = pruned[k];
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    // ---------------------------------------------------------------- readers

    /** The number of nodes ever added, tombstones included. */
    int size() {
        return count;
    }

    /**
     * The best live candidates for a unit query, best first, at most {@code k}: exact below
     * {@link #EXACT_SCAN_BELOW} nodes, approximate above. Lock-free.
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
            Node cur = entry;
            for (int l = cur.level; l > 0; l--) {
                cur = greedy(q, cur, l);
            }
            best = searchLayer(q, new int[] {cur.id}, Math.max(efSearch, k), 0);
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

    private Node greedy(float[] q, Node start, int level) {
        Node cur = start;
        float curSim = dot(q, cur.unit);
        for (boolean moved = true; moved; ) {
            moved = false;
            for (int id : cur.links.get(level)) {
                Node c = node(id);
                float s = dot(q, c.unit);
                if (s > curSim) {
                    curSim = s;
                    cur = c;
                    moved = true;
                }
            }
        }
        return cur;
    }

    /** Best-first search of one layer, keeping the {@code ef} most similar nodes met. */
    private Candidates searchLayer(float[] q, int[] starts, int ef, int level) {
        Visited visited = VISITED.get().reset(nodes.length);
        Candidates results = new Candidates(ef);
        Frontier frontier = new Frontier();
        for (int id : starts) {
            if (visited.mark(id)) {
                float s = dot(q, node(id).unit);
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
            for (int nb : cur.links.get(level)) {
                if (!visited.mark(nb)) {
                    continue;
                }
                float ns = dot(q, node(nb).unit);
                if (!results.full() || ns > results.worst()) {
                    results.offer(nb, ns);
                    frontier.push(nb, ns);
                }
            }
        }
        return results;
    }

    /** Inner product with four accumulators (the JIT does not vectorise a float reduction). */
    static float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
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
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && sims[child + 1] < sims[child]) {
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
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Float.compare(sims[y], sims[x]));
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = ids[order[i]];
            }
            return out;
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
