package dev.switchboard.internal.stream;

import dev.switchboard.api.ServerSentEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed answer on its way back up a leaf's stages: the caller's end of the events, and the
 * end of the stream as the stages below have handled it. A stage that needs the end (after-hooks,
 * admission, recording, the cache, the trace) wraps the stream it returns with {@link #mapEnd} —
 * OkHttp's {@code cacheWritingResponse} idea — so the end work runs in chain order, innermost
 * first, with no callback list. {@link #deliver} is the outermost wrap: only after every stage's
 * end work does the caller see the error event (if any) and {@code [DONE]}.
 *
 * <pre>{@code
 * return r.withStream(r.stream().mapEnd(end -> { settle(end.usage()); return end; }));
 * }</pre>
 *
 * Immutable; each wrap returns a new view over the same events.
 */
public final class AnswerStream {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerStream.class);

    private final GatewayEventStream events;
    private final CompletableFuture<StreamEnd> end;
    /** Rewrites what the caller reads (a translated Responses stream), or null. */
    private final java.util.function.Supplier<EventMapper> mapper;

    private AnswerStream(GatewayEventStream events, CompletableFuture<StreamEnd> end) {
        this(events, end, null);
    }

    private AnswerStream(
            GatewayEventStream events,
            CompletableFuture<StreamEnd> end,
            java.util.function.Supplier<EventMapper> mapper) {
        this.events = events;
        this.end = end;
        this.mapper = mapper;
    }

    /**
     * This stream, its events (and the end events the gateway adds) rewritten by a mapper as the
     * caller reads them. The mapper is made when the stream is delivered; a second call replaces the first.
     */
    public AnswerStream mapEvents(java.util.function.Supplier<EventMapper> m) {
        return new AnswerStream(events, end, m);
    }

    /** A stream whose events the pump writes into {@code events} and whose end it reports to {@code end}. */
    public static AnswerStream of(GatewayEventStream events, CompletableFuture<StreamEnd> end) {
        return new AnswerStream(events, end);
    }

    /**
     * A finished stream of the given events (a cached answer replayed as SSE), ended cleanly; a
     * trailing {@link ServerSentEvent#DONE} in {@code replayed} is left to {@link #deliver}.
     */
    public static AnswerStream replay(List<ServerSentEvent> replayed) {
        GatewayEventStream s = new GatewayEventStream();
        for (ServerSentEvent e : replayed) {
            if (!"[DONE]".equals(e.data())) {
                s.push(e);
            }
        }
        return new AnswerStream(
                s, CompletableFuture.completedFuture(new StreamEnd(null, null, 0, null, null, 0, null, null)));
    }

    /**
     * Wraps this stream: {@code step} runs once the stages below handled the end, and what it
     * returns is the end the stages above see. A step that throws is logged and passes the end on
     * unchanged, so the stages above (and the caller's {@code [DONE]}) still come.
     */
    public AnswerStream mapEnd(UnaryOperator<StreamEnd> step) {
        return new AnswerStream(
                events,
                end.thenApply(e -> {
                    try {
                        StreamEnd next = step.apply(e);
                        return next == null ? e : next;
                    } catch (RuntimeException x) {
                        LOG.warn("end-of-stream step failed: {}", x.toString());
                        return e;
                    }
                }),
                mapper);
    }

    /** As {@link #mapEnd}, for a step that completes later (after-request hooks). */
    public AnswerStream composeEnd(Function<StreamEnd, CompletionStage<StreamEnd>> step) {
        return new AnswerStream(
                events,
                end.thenCompose(e -> {
                    CompletionStage<StreamEnd> s;
                    try {
                        s = step.apply(e);
                    } catch (RuntimeException x) {
                        LOG.warn("end-of-stream step failed: {}", x.toString());
                        return CompletableFuture.completedFuture(e);
                    }
                    return s.toCompletableFuture().handle((next, x) -> {
                        if (x != null) {
                            LOG.warn("end-of-stream step failed: {}", x.toString());
                        }
                        return next == null ? e : next;
                    });
                }),
                mapper);
    }

    /**
     * The outermost wrap: once every stage handled the end, the caller gets the error event (if
     * any), then {@code [DONE]}, then the end of its stream.
     *
     * @return the caller's stream
     */
    public GatewayEventStream deliver() {
        end.whenComplete((e, x) -> {
            if (e != null && e.errorEvent() != null) {
                events.push(e.errorEvent());
            }
            events.push(ServerSentEvent.DONE);
            events.end();
        });
        return events;
    }

    /**
     * As {@link #deliver}, seen through this stream's event mapper when it has one ({@link #mapEvents}).
     *
     * @return the caller's stream
     */
    public dev.switchboard.api.EventStream deliverMapped() {
        GatewayEventStream delivered = deliver();
        return mapper == null ? delivered : new MappedEventStream(delivered, mapper.get());
    }
}
