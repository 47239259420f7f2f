package dev.switchboard.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streamed answer's body: a single-subscriber publisher whose reads run on a pooled thread while
 * there is demand, one {@code onNext} per socket read (after chunked decoding), so a server-sent
 * event is delivered as soon as it arrived. {@code request} only records demand and, when no read is
 * under way, hands one to the executor: it never blocks or recurses, also when called from
 * {@code onNext}. With no demand no thread is held; a body nobody subscribes to or requests keeps
 * its connection open until it is cancelled (the gateway always reads or cancels).
 *
 * <p>At the end of the body per its framing the connection goes back to the pool (when the answer
 * allows keep-alive), then {@code onComplete}. A read error closes it and signals
 * {@code onError(IOException)}. {@code cancel} closes it, ending a blocked read, and nothing is
 * signalled after.
 */
final class Http1BodyPublisher implements Flow.Publisher<List<ByteBuffer>>, Flow.Subscription {
    private static final int OPEN = 0;
    private static final int ENDED = 1;

    private final Http1Connection c;
    private final Http1Body body;
    private final boolean persistent;
    private final Http1Pool pool;
    private final Executor executor;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private volatile Flow.Subscriber<? super List<ByteBuffer>> subscriber;
    private byte[] scratch;

    Http1BodyPublisher(Http1Connection c, Http1Body body, boolean persistent, Http1Pool pool, Executor executor) {
        this.c = c;
        this.body = body;
        this.persistent = persistent;
        this.pool = pool;
        this.executor = executor;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> s) {
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            s.onError(new IllegalStateException("the answer's body has a subscriber already (one only)"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            if (end()) {
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
            }
            return;
        }
        long d;
        long next;
        do {
            d = demand.get();
            next = d + n < 0 ? Long.MAX_VALUE : d + n;
        } while (!demand.compareAndSet(d, next));
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) { // a rejected read: nothing will come
                if (end()) {
                    subscriber.onError(new IOException("the answer's body could not be read: " + e, e));
                }
            }
        }
    }

    @Override
    public void cancel() {
        if (state.compareAndSet(OPEN, ENDED)) {
            c.close();
        }
    }

    /** Ends the body (closing the connection) unless it ended; {@return whether this call ended it} */
    private boolean end() {
        if (state.compareAndSet(OPEN, ENDED)) {
            c.close();
            return true;
        }
        return false;
    }

    /** Reads and delivers while there is demand; one drain at a time (the {@code wip} counter). */
    private void drain() {
        int missed = 1;
        for (; ; ) {
            while (demand.get() > 0 && state.get() == OPEN) {
                readOne();
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void readOne() {
        Flow.Subscriber<? super List<ByteBuffer>> s = subscriber;
        byte[] b = scratch;
        if (b == null) {
            b = scratch = new byte[Http1Connection.BUFFER_SIZE];
        }
        int n;
        boolean ended = false;
        try {
            n = body.read(b, 0, b.length, true);
            if (n > 0) { // what else is decodable without waiting goes along
                int m;
                while (n < b.length && (m = body.read(b, n, b.length - n, false)) != 0) {
                    if (m < 0) {
                        ended = true;
                        break;
                    }
                    n += m;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (end()) {
                s.onError(e instanceof IOException ? e : new IOException("reading the answer's body failed", e));
            }
            return;
        }
        if (n < 0) {
            complete(s);
            return;
        }
        if (state.get() != OPEN) {
            return;
        }
        demand.decrementAndGet();
        try {
            s.onNext(List.of(ByteBuffer.wrap(Arrays.copyOf(b, n))));
        } catch (RuntimeException e) { // a subscriber that throws has cancelled (Reactive Streams 2.13)
            cancel();
            return;
        }
        if (ended) {
            complete(s);
        }
    }

    private void complete(Flow.Subscriber<? super List<ByteBuffer>> s) {
        if (state.compareAndSet(OPEN, ENDED)) {
            scratch = null;
            if (persistent && body.selfDelimited() && c.pos == c.lim) {
                pool.release(c);
            } else {
                c.close();
            }
            s.onComplete();
        }
    }

    @Override
    public String toString() {
        return "Http1BodyPublisher{" + c + "}";
    }
}
