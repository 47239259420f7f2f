package dev.switchboard.internal.stream;

import dev.switchboard.api.EventStream;
import dev.switchboard.api.ServerSentEvent;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The caller's end of a stream: a queue the {@link StreamPump} fills as upstream bytes are
 * translated, read either by iteration (blocking pull on the caller's thread) or by a
 * {@link Flow.Subscriber} (push, demand-driven). Backpressure: the pump asks the upstream for more
 * bytes only while fewer than {@link #HIGH_WATER} events wait, so memory stays bounded.
 */
public final class GatewayEventStream implements EventStream {
    static final int HIGH_WATER = 32;
    private static final Object END = new Object();

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean viewTaken = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Runnable demandListener = () -> {};
    private volatile Runnable closeListener = () -> {};
    private volatile Thread waiter;

    // push view
    private volatile Flow.Subscriber<? super ServerSentEvent> subscriber;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();

    /** Called by the pump when the queue has room again (the caller consumed events). */
    void onDemand(Runnable listener) {
        this.demandListener = listener;
    }

    /** Called once when the caller closes the stream early. */
    void onClose(Runnable listener) {
        this.closeListener = listener;
    }

    boolean hasRoom() {
        return size.get() < HIGH_WATER;
    }

    boolean isClosed() {
        return closed.get();
    }

    void push(ServerSentEvent e) {
        if (closed.get()) {
            return;
        }
        queue.add(e);
        size.incrementAndGet();
        signal();
    }

    /** Ends the stream (once; a closed stream already ended). */
    void end() {
        if (ended.compareAndSet(false, true) && !closed.get()) {
            queue.add(END);
            signal();
        }
    }

    private void signal() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        if (subscriber != null) {
            drain();
        }
    }

    private Object take() {
        while (true) {
            Object o = queue.poll();
            if (o != null) {
                if (o != END) {
                    if (size.decrementAndGet() == HIGH_WATER - 1) {
                        demandListener.run();
                    }
                }
                return o;
            }
            waiter = Thread.currentThread();
            try {
                if (queue.isEmpty()) {
                    LockSupport.park(this);
                }
            } finally {
                waiter = null;
            }
            if (Thread.interrupted()) {
                close();
                Thread.currentThread().interrupt();
                return END;
            }
        }
    }

    @Override
    public Iterator<ServerSentEvent> iterator() {
        if (!viewTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("a stream can be consumed once (iterator or publisher)");
        }
        return new Iterator<>() {
            private Object next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (done) {
                    return false;
                }
                if (next == null) {
                    next = take();
                }
                if (next == END) {
                    done = true;
                    return false;
                }
                return true;
            }

            @Override
            public ServerSentEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ServerSentEvent e = (ServerSentEvent) next;
                next = null;
                return e;
            }
        };
    }

    @Override
    public Flow.Publisher<ServerSentEvent> publisher() {
        return s -> {
            if (!viewTaken.compareAndSet(false, true)) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                s.onError(new IllegalStateException("a stream can be consumed once (iterator or publisher)"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    if (n <= 0) {
                        close();
                        s.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                        return;
                    }
                    requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                    drain();
                }

                @Override
                public void cancel() {
                    close();
                }
            });
            drain();
        };
    }

    private void drain() {
        Flow.Subscriber<? super ServerSentEvent> s = subscriber;
        if (s == null || wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            while (requested.get() > 0) {
                Object o = queue.peek();
                if (o == null) {
                    break;
                }
                if (o == END) {
                    queue.poll();
                    s.onComplete();
                    return;
                }
                queue.poll();
                requested.decrementAndGet();
                if (size.decrementAndGet() == HIGH_WATER - 1) {
                    demandListener.run();
                }
                s.onNext((ServerSentEvent) o);
            }
            if (queue.peek() == END) {
                queue.poll();
                s.onComplete();
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeListener.run();
            queue.clear();
            size.set(0);
            queue.add(END);
            signal();
        }
    }
}
