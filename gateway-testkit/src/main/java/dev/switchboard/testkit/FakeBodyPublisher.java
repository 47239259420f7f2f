package dev.switchboard.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A one-shot body publisher for {@link FakeTransport}: emits one chunk per unit of demand on the
 * caller's thread, honours {@code cancel()}, and can end with a "connection reset" error after a
 * number of chunks. A second subscriber gets {@link IllegalStateException}, like the JDK client's body.
 */
final class FakeBodyPublisher implements Flow.Publisher<List<ByteBuffer>> {
    private final List<byte[]> chunks;
    private final int cutAfter;
    private final Runnable onCancel;
    private boolean subscribed;

    FakeBodyPublisher(List<byte[]> chunks, int cutAfter, Runnable onCancel) {
        this.chunks = chunks;
        this.cutAfter = cutAfter;
        this.onCancel = onCancel;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> subscriber) {
        boolean second;
        synchronized (this) {
            second = subscribed;
            subscribed = true;
        }
        if (second) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("a fake response body can be subscribed to only once"));
            return;
        }
        BodySubscription s = new BodySubscription(subscriber);
        subscriber.onSubscribe(s);
        s.drain(); // an empty (or cut at 0) body terminates without demand
    }

    private final class BodySubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super List<ByteBuffer>> subscriber;
        // Guarded by "this".
        private long demand;
        private int index;
        private boolean draining;
        private boolean done;

        BodySubscription(Flow.Subscriber<? super List<ByteBuffer>> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                synchronized (this) {
                    if (done) {
                        return;
                    }
                    done = true;
                }
                // Reactive Streams rule 3.9.
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            synchronized (this) {
                if (done) {
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
            drain();
        }

        @Override
        public void cancel() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            onCancel.run();
        }

        /** Emits while there is demand; a re-entrant call from onNext only adds demand to the running loop. */
        void drain() {
            synchronized (this) {
                if (draining) {
                    return;
                }
                draining = true;
            }
            while (true) {
                byte[] next = null;
                boolean cut = false;
                synchronized (this) {
                    if (done) {
                        draining = false;
                        return;
                    }
                    if (cutAfter >= 0 && index >= cutAfter) {
                        done = true;
                        cut = true;
                    } else if (index >= chunks.size()) {
                        done = true;
                    } else if (demand == 0) {
                        draining = false;
                        return;
                    } else {
                        next = chunks.get(index++);
                        demand--;
                    }
                }
                if (next != null) {
                    subscriber.onNext(List.of(ByteBuffer.wrap(next)));
                } else if (cut) {
                    subscriber.onError(new IOException("connection reset"));
                    return;
                } else {
                    subscriber.onComplete();
                    return;
                }
            }
        }
    }
}
