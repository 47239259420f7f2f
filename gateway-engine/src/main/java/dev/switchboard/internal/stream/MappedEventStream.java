package dev.switchboard.internal.stream;

import dev.switchboard.api.EventStream;
import dev.switchboard.api.ServerSentEvent;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;

/**
 * A view of an {@link EventStream} whose events pass through an {@link EventMapper} as they are
 * read (a translated Responses stream, whose events are made from chat chunks). Both views are
 * demand-driven: the pull view maps on the caller's thread, the push view asks the inner stream for
 * one event at a time while the subscriber wants more than the mapper has already made.
 */
public final class MappedEventStream implements EventStream {
    private final EventStream inner;
    private final EventMapper mapper;

    /**
     * A mapped view.
     *
     * @param inner  the events as the stages deliver them
     * @param mapper the mapper of this stream
     */
    public MappedEventStream(EventStream inner, EventMapper mapper) {
        this.inner = inner;
        this.mapper = mapper;
    }

    @Override
    public Iterator<ServerSentEvent> iterator() {
        Iterator<ServerSentEvent> source = inner.iterator();
        return new Iterator<>() {
            private final ArrayDeque<ServerSentEvent> pending = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (pending.isEmpty()) {
                    if (!source.hasNext()) {
                        return false;
                    }
                    pending.addAll(mapper.map(source.next()));
                }
                return true;
            }

            @Override
            public ServerSentEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.poll();
            }
        };
    }

    @Override
    public Flow.Publisher<ServerSentEvent> publisher() {
        return subscriber -> inner.publisher().subscribe(new Flow.Subscriber<>() {
            private final ArrayDeque<ServerSentEvent> pending = new ArrayDeque<>();
            private Flow.Subscription upstream;
            private long requested;
            private boolean upstreamAsked;
            private boolean completed;
            private boolean done;
            private boolean draining;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                upstream = s;
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        synchronized (pending) {
                            if (n <= 0) {
                                upstream.request(n); // the inner stream reports the violation
                                return;
                            }
                            requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
                        }
                        drain();
                    }

                    @Override
                    public void cancel() {
                        upstream.cancel();
                    }
                });
            }

            @Override
            public void onNext(ServerSentEvent item) {
                synchronized (pending) {
                    upstreamAsked = false;
                    pending.addAll(mapper.map(item));
                }
                drain();
            }

            @Override
            public void onError(Throwable t) {
                synchronized (pending) {
                    if (done) {
                        return;
                    }
                    done = true;
                }
                subscriber.onError(t);
            }

            @Override
            public void onComplete() {
                synchronized (pending) {
                    completed = true;
                }
                drain();
            }

            private void drain() {
                synchronized (pending) {
                    if (draining) {
                        return;
                    }
                    draining = true;
                }
                while (true) {
                    ServerSentEvent next = null;
                    boolean finish = false;
                    boolean ask = false;
                    synchronized (pending) {
                        if (done) {
                            draining = false;
                            return;
                        }
                        if (requested > 0 && !pending.isEmpty()) {
                            next = pending.poll();
                            requested--;
                        } else if (pending.isEmpty() && completed) {
                            done = true;
                            finish = true;
                        } else if (requested > 0 && !upstreamAsked && !completed) {
                            upstreamAsked = true;
                            ask = true;
                        }
                        if (next == null && !finish && !ask) {
                            draining = false;
                            return;
                        }
                    }
                    if (next != null) {
                        subscriber.onNext(next);
                    } else if (finish) {
                        subscriber.onComplete();
                        return;
                    } else {
                        upstream.request(1);
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        inner.close();
    }
}
