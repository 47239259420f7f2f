package dev.switchboard.internal.http;

import dev.switchboard.spi.AnswerTooLargeException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A whole answer read into a byte array, counting bytes as they arrive: past {@code maxBytes} it
 * cancels the subscription (the JDK client closes the connection) and fails with
 * {@link AnswerTooLargeException}, keeping nothing. {@link #cancel()} does the same for a caller that
 * gave up (an interrupted {@code send}), so the connection never outlives the attempt.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long maxBytes;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> received = new ArrayList<>();
    private long size;
    private Flow.Subscription subscription;
    private boolean cancelled;

    CappedBodySubscriber(long maxBytes) {
        this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 8); // a Java array's bound
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancel;
        synchronized (this) {
            subscription = s;
            cancel = cancelled;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        Flow.Subscription stop = null;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                size += b.remaining();
                received.add(b);
            }
            if (size > maxBytes) {
                received.clear();
                stop = subscription;
            }
        }
        if (stop != null) {
            stop.cancel();
            result.completeExceptionally(new AnswerTooLargeException(maxBytes));
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            received.clear();
        }
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        byte[] bytes;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            bytes = new byte[(int) size];
            int at = 0;
            for (ByteBuffer b : received) {
                int n = b.remaining();
                b.get(bytes, at, n);
                at += n;
            }
            received.clear();
        }
        result.complete(bytes);
    }

    /** Stops reading: cancels the subscription (now, or as soon as there is one) and drops the bytes. */
    void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            cancelled = true;
            s = subscription;
            received.clear();
        }
        if (s != null) {
            s.cancel();
        }
        result.completeExceptionally(new CancellationException("the caller stopped reading the answer"));
    }

    /**
     * The body handler of one send: makes its {@link CappedBodySubscriber}, and cancels it — the one
     * made, or the one made later, when the headers come after the caller gave up.
     */
    static final class Handler implements HttpResponse.BodyHandler<byte[]> {
        private final long maxBytes;
        private CappedBodySubscriber made;
        private boolean cancelled;

        Handler(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
            CappedBodySubscriber s = new CappedBodySubscriber(maxBytes);
            boolean cancel;
            synchronized (this) {
                made = s;
                cancel = cancelled;
            }
            if (cancel) {
                s.cancel();
            }
            return s;
        }

        /**
         * Cancels the body: the one under way, or the next one made.
         *
         * @return whether a body was under way (the answer's headers had come)
         */
        boolean cancel() {
            CappedBodySubscriber s;
            synchronized (this) {
                cancelled = true;
                s = made;
            }
            if (s != null) {
                s.cancel();
            }
            return s != null;
        }
    }
}
