package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A tree parsed from bytes that remembers them while nobody changes it, so an answer the gateway
 * passes on untouched is written as the provider's own bytes rather than serialised again. Every
 * object and array of the tree keeps its children in a collection that notes any change (a put, a
 * remove, an iterator's remove, an entry's {@code setValue}, …) on the document's {@link Tracker};
 * value nodes are immutable. Only the root the bytes were parsed into gives them back, and only
 * while nothing in the tree changed ({@link Json#sourceOf}).
 *
 * <p>Nodes are tracked only while the parse builds them (a thread-local marks the parse): nodes made
 * later through the same factory ({@code putObject}, a copy) are plain, and adding them is itself a
 * change.
 */
final class SourcedJson {
    private SourcedJson() {}

    /** One parsed document: its bytes, its root, and whether anything in it changed since the parse. */
    static final class Tracker {
        final byte[] source;
        JsonNode root;
        private volatile boolean changed;

        Tracker(byte[] source) {
            this.source = source;
        }

        void changed() {
            if (root != null) { // the parse itself fills the tree before the root is set
                changed = true;
            }
        }

        boolean unchanged(JsonNode node) {
            return node == root && !changed;
        }
    }

    private static final ThreadLocal<Tracker> PARSING = new ThreadLocal<>();

    /** The factory the tracking reader builds trees with. */
    static final JsonNodeFactory FACTORY = new Factory();

    /** Runs {@code parse} with new nodes tracked for {@code tracker}, then makes the tree's root the tracked one. */
    static JsonNode parse(Tracker tracker, java.util.concurrent.Callable<JsonNode> parse) throws Exception {
        PARSING.set(tracker);
        JsonNode root;
        try {
            root = parse.call();
        } finally {
            PARSING.remove();
        }
        tracker.root = root;
        return root;
    }

    /** The bytes {@code node} was parsed from, when it is a tracked root nobody changed. */
    static byte @Nullable [] sourceOf(JsonNode node) {
        if (node instanceof TrackedObject o) {
            return o.tracker.unchanged(node) ? o.tracker.source : null;
        }
        if (node instanceof TrackedArray a) {
            return a.tracker.unchanged(node) ? a.tracker.source : null;
        }
        return null;
    }

    private static final class Factory extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        Factory() {
            super(false);
        }

        @Override
        public ObjectNode objectNode() {
            Tracker t = PARSING.get();
            return t == null ? new ObjectNode(this) : new TrackedObject(this, t);
        }

        @Override
        public ArrayNode arrayNode() {
            Tracker t = PARSING.get();
            return t == null ? new ArrayNode(this) : new TrackedArray(this, t);
        }

        @Override
        public ArrayNode arrayNode(int capacity) {
            return arrayNode();
        }
    }

    @SuppressWarnings("unchecked") // Jackson's own deepCopy() override, inherited
    private static final class TrackedObject extends ObjectNode {
        private static final long serialVersionUID = 1L;
        final transient Tracker tracker;

        TrackedObject(JsonNodeFactory f, Tracker tracker) {
            super(f, new TrackingMap(tracker));
            this.tracker = tracker;
        }
    }

    @SuppressWarnings("unchecked") // Jackson's own deepCopy() override, inherited
    private static final class TrackedArray extends ArrayNode {
        private static final long serialVersionUID = 1L;
        final transient Tracker tracker;

        TrackedArray(JsonNodeFactory f, Tracker tracker) {
            super(f, new TrackingList(tracker));
            this.tracker = tracker;
        }
    }

    /** An object's children: every change is noted. */
    private static final class TrackingMap extends LinkedHashMap<String, JsonNode> {
        private static final long serialVersionUID = 1L;
        private final transient Tracker t;

        TrackingMap(Tracker t) {
            this.t = t;
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            t.changed();
            return super.put(key, value);
        }

        @Override
        public void putAll(Map<? extends String, ? extends JsonNode> m) {
            t.changed();
            super.putAll(m);
        }

        @Override
        public JsonNode putIfAbsent(String key, JsonNode value) {
            t.changed();
            return super.putIfAbsent(key, value);
        }

        @Override
        public JsonNode remove(Object key) {
            t.changed();
            return super.remove(key);
        }

        @Override
        public boolean remove(Object key, Object value) {
            t.changed();
            return super.remove(key, value);
        }

        @Override
        public void clear() {
            t.changed();
            super.clear();
        }

        @Override
        public JsonNode replace(String key, JsonNode value) {
            t.changed();
            return super.replace(key, value);
        }

        @Override
        public boolean replace(String key, JsonNode oldValue, JsonNode newValue) {
            t.changed();
            return super.replace(key, oldValue, newValue);
        }

        @Override
        public void replaceAll(BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            t.changed();
            super.replaceAll(f);
        }

        @Override
        public JsonNode compute(String key, BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            t.changed();
            return super.compute(key, f);
        }

        @Override
        public JsonNode computeIfAbsent(String key, Function<? super String, ? extends JsonNode> f) {
            t.changed();
            return super.computeIfAbsent(key, f);
        }

        @Override
        public JsonNode computeIfPresent(
                String key, BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            t.changed();
            return super.computeIfPresent(key, f);
        }

        @Override
        public JsonNode merge(
                String key, JsonNode value, BiFunction<? super JsonNode, ? super JsonNode, ? extends JsonNode> f) {
            t.changed();
            return super.merge(key, value, f);
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> entrySet() {
            return new TrackedSet<>(super.entrySet(), t, e -> new TrackingEntry(e, t));
        }

        @Override
        public Set<String> keySet() {
            return new TrackedSet<>(super.keySet(), t, UnaryOperator.identity());
        }

        @Override
        public Collection<JsonNode> values() {
            return new TrackedView<>(super.values(), t, UnaryOperator.identity());
        }
    }

    /**
     * A view of an object's children (keys, values or entries) whose changes are noted: removing
     * through it or its iterator, clearing it; {@code wrap} wraps each element handed out (an entry,
     * so that its {@code setValue} is noted too).
     */
    private static class TrackedView<E> extends AbstractCollection<E> {
        final Collection<E> inner;
        private final Tracker t;
        private final UnaryOperator<E> wrap;

        TrackedView(Collection<E> inner, Tracker t, UnaryOperator<E> wrap) {
            this.inner = inner;
            this.t = t;
            this.wrap = wrap;
        }

        @Override
        public Iterator<E> iterator() {
            Iterator<E> it = inner.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public E next() {
                    return wrap.apply(it.next());
                }

                @Override
                public void remove() {
                    t.changed();
                    it.remove();
                }
            };
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public boolean contains(Object o) {
            return inner.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            t.changed();
            return inner.remove(o);
        }

        @Override
        public void clear() {
            t.changed();
            inner.clear();
        }
    }

    /** A {@link TrackedView} of a set (the keys, the entries), equal to any set of the same elements. */
    private static final class TrackedSet<E> extends TrackedView<E> implements Set<E> {
        TrackedSet(Set<E> inner, Tracker t, UnaryOperator<E> wrap) {
            super(inner, t, wrap);
        }

        @Override
        public boolean equals(Object o) {
            return inner.equals(o);
        }

        @Override
        public int hashCode() {
            return inner.hashCode();
        }
    }

    private static <E> Iterator<E> tracked(Iterator<E> it, Tracker t) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                return it.next();
            }

            @Override
            public void remove() {
                t.changed();
                it.remove();
            }
        };
    }

    /** An entry of a tracked object: {@code setValue} is a change. */
    private record TrackingEntry(Map.Entry<String, JsonNode> e, Tracker t) implements Map.Entry<String, JsonNode> {
        @Override
        public String getKey() {
            return e.getKey();
        }

        @Override
        public JsonNode getValue() {
            return e.getValue();
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            t.changed();
            return e.setValue(value);
        }

        @Override
        public boolean equals(Object o) {
            return e.equals(o);
        }

        @Override
        public int hashCode() {
            return e.hashCode();
        }
    }

    /** An array's elements: every change is noted, views included. */
    private static final class TrackingList extends ArrayList<JsonNode> {
        private static final long serialVersionUID = 1L;
        private final transient Tracker t;

        TrackingList(Tracker t) {
            this.t = t;
        }

        @Override
        public boolean add(JsonNode e) {
            t.changed();
            return super.add(e);
        }

        @Override
        public void add(int index, JsonNode e) {
            t.changed();
            super.add(index, e);
        }

        @Override
        public boolean addAll(Collection<? extends JsonNode> c) {
            t.changed();
            return super.addAll(c);
        }

        @Override
        public boolean addAll(int index, Collection<? extends JsonNode> c) {
            t.changed();
            return super.addAll(index, c);
        }

        @Override
        public JsonNode set(int index, JsonNode e) {
            t.changed();
            return super.set(index, e);
        }

        @Override
        public JsonNode remove(int index) {
            t.changed();
            return super.remove(index);
        }

        @Override
        public boolean remove(Object o) {
            t.changed();
            return super.remove(o);
        }

        @Override
        public boolean removeAll(Collection<?> c) {
            t.changed();
            return super.removeAll(c);
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            t.changed();
            return super.retainAll(c);
        }

        @Override
        public boolean removeIf(Predicate<? super JsonNode> filter) {
            t.changed();
            return super.removeIf(filter);
        }

        @Override
        protected void removeRange(int fromIndex, int toIndex) {
            t.changed();
            super.removeRange(fromIndex, toIndex);
        }

        @Override
        public void clear() {
            t.changed();
            super.clear();
        }

        @Override
        public void replaceAll(UnaryOperator<JsonNode> operator) {
            t.changed();
            super.replaceAll(operator);
        }

        @Override
        public void sort(Comparator<? super JsonNode> c) {
            t.changed();
            super.sort(c);
        }

        @Override
        public Iterator<JsonNode> iterator() {
            return tracked(super.iterator(), t);
        }

        @Override
        public ListIterator<JsonNode> listIterator() {
            return listIterator(0);
        }

        @Override
        public ListIterator<JsonNode> listIterator(int index) {
            ListIterator<JsonNode> it = super.listIterator(index);
            return new ListIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public JsonNode next() {
                    return it.next();
                }

                @Override
                public boolean hasPrevious() {
                    return it.hasPrevious();
                }

                @Override
                public JsonNode previous() {
                    return it.previous();
                }

                @Override
                public int nextIndex() {
                    return it.nextIndex();
                }

                @Override
                public int previousIndex() {
                    return it.previousIndex();
                }

                @Override
                public void remove() {
                    t.changed();
                    it.remove();
                }

                @Override
                public void set(JsonNode e) {
                    t.changed();
                    it.set(e);
                }

                @Override
                public void add(JsonNode e) {
                    t.changed();
                    it.add(e);
                }
            };
        }

        @Override
        public List<JsonNode> subList(int fromIndex, int toIndex) {
            t.changed(); // a view that can change the list: counted as a change
            return super.subList(fromIndex, toIndex);
        }
    }
}
