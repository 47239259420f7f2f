package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.internal.stream.GatewayEventStream;
import dev.switchboard.internal.stream.StreamPump;
import dev.switchboard.spi.InProcessProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * The provider-call step for an {@link InProcessProvider}: the provider's answer replaces the
 * transport, and everything around it is the HTTP path's — the timeout set up by
 * {@link ProviderCallStage}, its translation of a reply to a {@link LeafResult}, its
 * {@link StreamPump} and {@link dev.switchboard.internal.stream.AnswerStream} for streams (usage,
 * what the stages above asked to assemble, the end they wrap).
 *
 * <p>Where the provider runs: a whole answer with no timeout, asked by {@code Gateway.execute},
 * runs on the caller's thread (nothing could abandon it, so no hand-off); everything else runs on
 * the scheduler's {@link Scheduler#blocking() blocking} pool, never on the timer thread. A timeout
 * or a caller closing the stream interrupts the provider's pool thread and drops its late result.
 * A provider's exception is the attempt's failure, never the caller's.
 */
final class InProcessCall {
    /** In-process streams carry no bytes: the provider emits chunks straight into the pump. */
    private static final StreamTranslator NO_BYTES = new StreamTranslator() {
        @Override
        public void onBytes(ByteBuffer bytes, StreamSink sink) {
            // never called: nothing is subscribed to an upstream body
        }

        @Override
        public void onEnd(StreamSink sink) {
            // the provider has emitted everything itself
        }
    };

    private final Scheduler scheduler;
    private final ProviderCallStage stage;

    InProcessCall(Scheduler scheduler, ProviderCallStage stage) {
        this.scheduler = scheduler;
        this.stage = stage;
    }

    /** Calls the provider; completes {@code result} unless the timeout did first. */
    void start(
            InProcessProvider provider,
            LeafCall call,
            ProviderCall pc,
            boolean stream,
            boolean stripUsage,
            String model,
            long started,
            long timeoutMs,
            AttemptOutcome outcome) {
        if (stream) {
            stream(provider, call, pc, stripUsage, model, started, outcome);
            return;
        }
        boolean onCaller = call.request.blockingCaller == Thread.currentThread() && timeoutMs <= 0;
        Runner runner = new Runner(onCaller ? null : scheduler.blocking());
        outcome.onCancel(runner::cancel);
        if (outcome.isDone()) {
            return; // timed out already
        }
        CompletionStage<ProviderReply> answer;
        try {
            answer = provider.answerAsync(pc, runner);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer == null) {
            answer = CompletableFuture.failedFuture(new IllegalStateException("answerAsync returned null"));
        }
        ProviderCallStage.onExecutor(answer.toCompletableFuture(), call.request.executor)
                .whenComplete((reply, e) -> {
                    if (outcome.isDone()) {
                        return; // timed out: the late answer is dropped
                    }
                    if (e != null) {
                        outcome.complete(failure(pc, model, ProviderCallStage.unwrap(e), started));
                    } else if (reply == null || (reply.body() == null && reply.binary() == null)) {
                        outcome.complete(crash(pc, model, "it returned no answer (null)", started));
                    } else {
                        outcome.complete(
                                ProviderCallStage.fromReply(pc, reply, Map.of(), model, System.nanoTime() - started));
                    }
                });
    }

    private void stream(
            InProcessProvider provider,
            LeafCall call,
            ProviderCall pc,
            boolean stripUsage,
            String model,
            long started,
            AttemptOutcome outcome) {
        Runner runner = new Runner(scheduler.blocking());
        GatewayEventStream out = new GatewayEventStream();
        StreamPump pump = new StreamPump(NO_BYTES, out, stripUsage, call.needs, stage.maxEventBytes(), call.meter);
        Feed feed = new Feed(pc.providerId(), pump, runner);
        pump.onSubscribe(feed);
        outcome.onCancel(() -> pump.cancel(
                outcome.cancelledByCaller() ? call.request.cancellation.reason() : ProviderCallStage.STREAM_TIMEOUT));
        if (outcome.isDone()) {
            pump.cancel(
                    outcome.cancelledByCaller()
                            ? call.request.cancellation.reason()
                            : ProviderCallStage.STREAM_TIMEOUT);
            return;
        }
        ProviderCallStage.onExecutor(pump.firstEvent(), call.request.executor).handle((v, e) -> {
            if (outcome.isDone()) {
                return null;
            }
            if (e == null) {
                call.request.listener.firstEvent(call.target.path());
                outcome.complete(ProviderCallStage.streaming(
                        200, Map.of(), stage.answerStream(call, pump, out, model, started), pc, model, started));
                return null;
            }
            Throwable cause = feed.error;
            if (cause != null) {
                outcome.complete(failure(pc, model, cause, started));
            } else {
                Throwable t = ProviderCallStage.unwrap(e);
                Failure f = t instanceof StreamPump.EarlyStreamFailure early
                        ? early.failure()
                        : Failure.of(FailureKind.STREAM_BROKEN, t.getMessage());
                outcome.complete(ProviderCallStage.earlyStreamFailure(Map.of(), f, pc, model, started));
            }
            return null;
        });
        CompletionStage<Void> done;
        try {
            done = provider.streamAsync(pc, feed, runner);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        if (done == null) {
            done = CompletableFuture.failedFuture(new IllegalStateException("streamAsync returned null"));
        }
        done.whenComplete((v, e) -> feed.end(e == null ? null : ProviderCallStage.unwrap(e)));
    }

    /**
     * A thrown {@link ProviderException} is the reply it describes (its status and type, retried and
     * moved on like an HTTP status); anything else is a crash.
     */
    private static LeafResult failure(ProviderCall pc, String model, Throwable t, long started) {
        if (t instanceof ProviderException pe) {
            ObjectNode body = ErrorBody.provider(pc.providerId(), pe.getMessage(), pe.type(), null, null);
            return ProviderCallStage.fromReply(
                    pc, ProviderReply.of(pe.status(), body), Map.of(), model, System.nanoTime() - started);
        }
        return crash(pc, model, "it threw " + ProviderCallStage.describe(t), started);
    }

    /** 500, not retried, and a fallback moves on whatever its status list says. */
    private static LeafResult crash(ProviderCall pc, String model, String what, long started) {
        String message = "the in-process provider failed: " + what;
        ObjectNode body = ErrorBody.provider(pc.providerId(), message, "api_error", null, "provider_error");
        return LeafResult.builder(500)
                .body(body)
                .failure(Failure.of(FailureKind.PROVIDER_CRASH, message))
                .provider(pc.providerId())
                .model(model)
                .upstreamNanos(System.nanoTime() - started)
                .notes(pc.notes())
                .build();
    }

    /**
     * Runs the provider on the pool (or, with no pool, on the calling thread) and lets a timeout or
     * a closed stream interrupt it: the thread is known only while the provider's task runs, and its
     * interrupt flag is cleared before the pool thread is reused.
     */
    static final class Runner implements Executor {
        private final Executor pool;
        private Thread thread;
        private boolean cancelled;

        Runner(Executor pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            if (pool == null) {
                task.run();
                return;
            }
            pool.execute(() -> {
                synchronized (this) {
                    if (cancelled) {
                        return;
                    }
                    thread = Thread.currentThread();
                }
                try {
                    task.run();
                } finally {
                    synchronized (this) {
                        thread = null;
                    }
                    Thread.interrupted();
                }
            });
        }

        synchronized void cancel() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }

        synchronized boolean runsOn(Thread t) {
            return thread == t;
        }
    }

    /**
     * The provider's {@link StreamSink}, feeding the pump as a translator would, and the pump's
     * upstream subscription. Backpressure follows the pump's own rule (it asks for more only while
     * the caller's queue has room): each chunk takes one permit, and the pump grants the next at
     * once or when the caller has read; a provider on the gateway's pool waits for it, an
     * asynchronous provider's thread is never held.
     */
    static final class Feed implements StreamSink, Flow.Subscription {
        private final String providerId;
        private final StreamPump pump;
        private final Runner runner;
        private long permits;
        private boolean cancelled;
        /** The provider's failure, when it threw before the first event. */
        volatile Throwable error;

        Feed(String providerId, StreamPump pump, Runner runner) {
            this.providerId = providerId;
            this.pump = pump;
            this.runner = runner;
        }

        @Override
        public void emit(ObjectNode chunk) {
            if (permit()) {
                pump.emit(chunk);
                pump.onNext(List.of());
            }
        }

        @Override
        public void emitRaw(ServerSentEvent event) {
            if (permit()) {
                pump.emitRaw(event);
                pump.onNext(List.of());
            }
        }

        @Override
        public void fail(String type, String message) {
            pump.fail(type, message);
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        @Override
        public synchronized void request(long n) {
            permits += n;
            notifyAll();
        }

        @Override
        public void cancel() {
            synchronized (this) {
                cancelled = true;
                notifyAll();
            }
            runner.cancel();
        }

        private synchronized boolean permit() {
            boolean mayWait = runner.runsOn(Thread.currentThread());
            while (permits <= 0 && !cancelled && mayWait) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (cancelled) {
                return false;
            }
            permits--;
            return true;
        }

        /** The provider's stage completed: a clean end, or its failure. */
        void end(Throwable t) {
            if (isCancelled()) {
                return; // whoever cancelled (timeout, closed stream) ends the pump with its own reason
            }
            if (t == null) {
                pump.onComplete();
                return;
            }
            error = t;
            if (t instanceof ProviderException pe) {
                pump.fail(pe.type(), providerId + " error: " + pe.getMessage());
            } else {
                pump.fail(
                        "provider_error",
                        providerId + " error: the in-process provider failed: it threw "
                                + ProviderCallStage.describe(t));
            }
        }
    }
}
