package dev.switchboard.testkit;

import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory {@link Transport}: no sockets, no threads. Every send completes synchronously (an
 * already-completed future), so a test is deterministic and a benchmark measures the gateway only.
 *
 * <pre>{@code
 * FakeTransport transport = new FakeTransport();
 * transport.enqueue(FakeReply.error(503, "overloaded"));       // first call fails over
 * transport.enqueue(FakeReply.chatCompletion("from target 2"));
 * Gateway gateway = Gateway.builder().config(fallbackConfig).transport(transport).build();
 * gateway.execute(GatewayRequest.chat(body).build());
 * assertEquals(2, transport.calls());
 * assertEquals("Bearer sk-2", transport.lastRequest().headers().get("Authorization"));
 * }</pre>
 *
 * <p>Which reply answers a call: the oldest {@linkplain #enqueue queued} one, else the
 * {@linkplain #respondWith responder}'s (if it returns non-null), else the {@linkplain #setDefault
 * default}. The initial default is an OpenAI chat completion saying "Hello from the fake transport",
 * streamed when the request body has {@code "stream": true}. Each body publisher honours
 * {@code request(n)} (one chunk per unit of demand) and {@code cancel()}, counted by
 * {@link #cancellations()}. Thread-safe.
 */
public final class FakeTransport implements Transport {
    /** Recordings are capped so a benchmark running millions of calls cannot exhaust memory. */
    private static final int MAX_RECORDED = 10_000;

    private final ConcurrentLinkedQueue<FakeReply> queue = new ConcurrentLinkedQueue<>();
    private final Deque<UpstreamRequest> recorded = new ArrayDeque<>(); // guarded by itself
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger cancellations = new AtomicInteger();
    private final Runnable onCancel = cancellations::incrementAndGet;
    private volatile FakeReply defaultReply = FakeReply.openAiDefault();
    private volatile Function<UpstreamRequest, FakeReply> responder;

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
        Objects.requireNonNull(request, "request");
        calls.incrementAndGet();
        synchronized (recorded) {
            if (recorded.size() == MAX_RECORDED) {
                recorded.removeFirst();
            }
            recorded.addLast(request);
        }
        FakeReply reply = queue.poll();
        if (reply == null) {
            Function<UpstreamRequest, FakeReply> r = responder;
            reply = r == null ? null : r.apply(request);
        }
        if (reply == null) {
            reply = defaultReply;
        }
        return reply.respond(request, onCancel);
    }

    /**
     * Queues a reply for the next call (FIFO).
     *
     * @param reply the reply
     */
    public void enqueue(FakeReply reply) {
        queue.add(Objects.requireNonNull(reply, "reply"));
    }

    /**
     * Sets the reply used when the queue is empty and no responder answers.
     *
     * @param reply the reply
     */
    public void setDefault(FakeReply reply) {
        defaultReply = Objects.requireNonNull(reply, "reply");
    }

    /**
     * Computes replies from the request (e.g. by URI host, to fake several providers at once) when
     * the queue is empty; returning null falls through to the default. Null removes the responder.
     *
     * @param responder the reply for a request, or null
     */
    public void respondWith(Function<UpstreamRequest, FakeReply> responder) {
        this.responder = responder;
    }

    /** {@return the requests sent, oldest first (the latest 10 000 at most), as an immutable copy} */
    public List<UpstreamRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(new ArrayList<>(recorded));
        }
    }

    /** {@return the most recent request, or null when none was sent} */
    public UpstreamRequest lastRequest() {
        synchronized (recorded) {
            return recorded.peekLast();
        }
    }

    /** {@return how many times {@link #send} was called} */
    public int calls() {
        return calls.get();
    }

    /** {@return how many response bodies were cancelled by their subscriber before they ended} */
    public int cancellations() {
        return cancellations.get();
    }

    /** Clears the queue, responder, recordings and counters, and restores the initial default. */
    public void reset() {
        queue.clear();
        responder = null;
        defaultReply = FakeReply.openAiDefault();
        synchronized (recorded) {
            recorded.clear();
        }
        calls.set(0);
        cancellations.set(0);
    }

    @Override
    public String toString() {
        return "FakeTransport{calls=" + calls.get() + ", queued=" + queue.size() + "}";
    }
}
