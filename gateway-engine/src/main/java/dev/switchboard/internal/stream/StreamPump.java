package dev.switchboard.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Moves one upstream stream to the caller: subscribes to the upstream body, feeds each chunk to the
 * provider's {@link StreamTranslator}, and forwards every event the moment it is translated. It
 * watches the events for usage (kept for accounting, stripped when the caller did not ask for it),
 * assembles the answer text when after-hooks need it, and ends the caller's stream with
 * {@code [DONE]} — or with an OpenAI error event when the upstream broke (never a silent clean end).
 *
 * <p>{@link #firstEvent()} completes when the first event is ready; a failure before it fails that
 * future instead, and nothing reaches the caller, so retries and fallbacks still apply.
 */
public final class StreamPump implements Flow.Subscriber<List<ByteBuffer>>, StreamSink {

    /** What the leaf wants to know about the stream's life. */
    public interface Listener {
        /**
         * Runs before {@code [DONE]} once the upstream ended cleanly: after-request hooks on the
         * assembled text. Completes with an error event to send instead of a clean end, or null.
         */
        CompletionStage<ServerSentEvent> beforeDone(String assembledText, Usage usage);

        /** The stream is over (ended, failed: {@code failure} not null, or closed by the caller); called once. */
        void finished(Usage usage, Failure failure, String assembledText);
    }

    /** A failure before the first event. */
    public static final class EarlyStreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Failure failure;

        public EarlyStreamFailure(Failure failure, Throwable cause) {
            super(failure.message(), cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final StreamTranslator translator;
    private final GatewayEventStream out;
    private final boolean stripUsage;
    private final boolean collectText;
    private final Listener listener;
    private final Consumer<ObjectNode> observer;
    private final CompletableFuture<Void> first = new CompletableFuture<>();
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicBoolean over = new AtomicBoolean();
    private final StringBuilder text;
    private volatile Flow.Subscription subscription;
    private Usage usage;
    private boolean failed;
    private boolean started;

    public StreamPump(StreamTranslator translator, GatewayEventStream out, boolean stripUsage, boolean collectText,
                      Listener listener) {
        this(translator, out, stripUsage, collectText, listener, null);
    }

    /**
     * With an {@code observer} that sees every OpenAI chunk before it is forwarded (usage included,
     * even when it is then stripped): the response cache assembles the answer with it. Without one,
     * raw pass-through events are parsed only when usage or after-hooks need it.
     */
    public StreamPump(StreamTranslator translator, GatewayEventStream out, boolean stripUsage, boolean collectText,
                      Listener listener, Consumer<ObjectNode> observer) {
        this.observer = observer;
        this.translator = translator;
        this.out = out;
        this.stripUsage = stripUsage;
        this.collectText = collectText;
        this.listener = listener;
        this.text = collectText ? new StringBuilder() : null;
        out.onDemand(this::resume);
        out.onClose(this::callerClosed);
    }

    public CompletableFuture<Void> firstEvent() {
        return first;
    }

    /** Cancels the upstream (e.g. a first-event timeout). */
    public void cancel(Failure failure) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        if (!first.isDone()) {
            first.completeExceptionally(new EarlyStreamFailure(failure, null));
        }
        finish(failure);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (over.get()) {
            return;
        }
        try {
            for (ByteBuffer b : items) {
                translator.onBytes(b, this);
                if (failed) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            fail("stream_error", "could not translate the provider's stream: " + e.getMessage());
        }
        if (failed) {
            subscription.cancel();
            return;
        }
        if (out.hasRoom()) {
            subscription.request(1);
        } else {
            stalled.set(true);
            if (out.hasRoom() && stalled.compareAndSet(true, false)) {
                subscription.request(1);
            }
        }
    }

    private void resume() {
        if (stalled.compareAndSet(true, false) && !over.get()) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (over.get() || failed) {
            return;
        }
        String msg = "the provider's stream broke: " + describe(t);
        if (!started) {
            failed = true;
            Failure f = Failure.of(FailureKind.NETWORK, msg);
            first.completeExceptionally(new EarlyStreamFailure(f, t));
            finish(f);
            return;
        }
        terminate(errorEvent("stream_error", msg), Failure.of(FailureKind.STREAM_CUT, msg));
    }

    @Override
    public void onComplete() {
        if (over.get() || failed) {
            return;
        }
        try {
            translator.onEnd(this);
        } catch (RuntimeException e) {
            fail("stream_error", "could not translate the provider's stream end: " + e.getMessage());
        }
        if (failed) {
            return;
        }
        if (!started) {
            failed = true;
            Failure f = Failure.of(FailureKind.STREAM_BROKEN, "the provider's stream ended without any event");
            first.completeExceptionally(new EarlyStreamFailure(f, null));
            finish(f);
            return;
        }
        String assembled = text == null ? null : text.toString();
        listener.beforeDone(assembled, usage).whenComplete((errorEvent, e) -> {
            if (errorEvent != null) {
                terminate(errorEvent, Failure.of(FailureKind.GUARDRAIL_DENY,
                        "after-request hooks denied the streamed answer"));
            } else {
                terminate(null, null);
            }
        });
    }

    // --- StreamSink: called by the translator on the upstream thread

    @Override
    public void emit(ObjectNode chunk) {
        if (failed || over.get()) {
            return;
        }
        if (observer != null) {
            observer.accept(chunk);
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = Usage.fromOpenAi(u);
            if (stripUsage) {
                JsonNode choices = chunk.get("choices");
                if (choices == null || (choices.isArray() && choices.isEmpty())) {
                    return;
                }
                chunk.remove("usage");
            }
        } else if (u != null && stripUsage) {
            chunk.remove("usage");
        }
        if (collectText) {
            appendText(chunk);
        }
        deliver(ServerSentEvent.data(Json.text(chunk)));
    }

    @Override
    public void emitRaw(ServerSentEvent event) {
        if (failed || over.get()) {
            return;
        }
        String data = event.data();
        // parse only when something needs the chunk: usage arrives as an object in one chunk (the
        // others carry "usage":null, harmless to pass on), text assembly, or the cache capture
        if (data != null && (collectText || observer != null || hasUsageObject(data))) {
            JsonNode parsed;
            try {
                parsed = Json.parse(data);
            } catch (IllegalArgumentException e) {
                deliver(event);
                return;
            }
            if (parsed.isObject()) {
                ObjectNode chunk = (ObjectNode) parsed;
                JsonNode u = chunk.get("usage");
                if (u != null && u.isObject()) {
                    emit(chunk);
                    return;
                }
                if (observer != null) {
                    observer.accept(chunk);
                }
                if (collectText) {
                    appendText(chunk);
                }
            }
        }
        deliver(event);
    }

    /** True when the JSON text has a {@code "usage"} key whose value is an object (a cheap scan, no parse). */
    static boolean hasUsageObject(String data) {
        int from = 0;
        while (true) {
            int i = data.indexOf("\"usage\"", from);
            if (i < 0) {
                return false;
            }
            int j = i + 7;
            while (j < data.length() && Character.isWhitespace(data.charAt(j))) {
                j++;
            }
            if (j < data.length() && data.charAt(j) == ':') {
                j++;
                while (j < data.length() && Character.isWhitespace(data.charAt(j))) {
                    j++;
                }
                if (j < data.length() && data.charAt(j) == '{') {
                    return true;
                }
            }
            from = i + 7;
        }
    }

    @Override
    public void fail(String type, String message) {
        if (failed || over.get()) {
            return;
        }
        failed = true;
        Failure f = Failure.stream(type, message, started);
        if (!started) {
            first.completeExceptionally(new EarlyStreamFailure(f, null));
            finish(f);
            return;
        }
        terminate(errorEvent(type, message), f);
    }

    private void deliver(ServerSentEvent e) {
        out.push(e);
        if (!started) {
            started = true;
            first.complete(null);
        }
    }

    private void appendText(JsonNode chunk) {
        JsonNode c = chunk.path("choices").path(0);
        JsonNode content = c.path("delta").path("content");
        if (content.isTextual()) {
            text.append(content.asText());
        } else if (c.path("text").isTextual()) {
            text.append(c.path("text").asText());
        }
    }

    private static ServerSentEvent errorEvent(String type, String message) {
        return ServerSentEvent.data(Json.text(ErrorBody.of(message, type, null, null)));
    }

    /**
     * Ends the caller's stream: the error event (if any), the accounting, then {@code [DONE]} and the
     * end marker — so a caller that saw the end also sees a complete trace.
     */
    private void terminate(ServerSentEvent errorEvent, Failure failure) {
        if (errorEvent != null) {
            out.push(errorEvent);
        }
        // record the outcome before [DONE] is visible: a caller that closes the stream right after
        // reading [DONE] must not turn a finished attempt into a cancelled one
        finish(failure);
        out.push(ServerSentEvent.DONE);
        out.end();
    }

    private void callerClosed() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        finish(Failure.of(FailureKind.CANCELLED, "the caller closed the stream"));
    }

    private void finish(Failure failure) {
        if (over.compareAndSet(false, true)) {
            listener.finished(usage, failure, text == null ? null : text.toString());
        }
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
