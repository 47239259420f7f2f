package dev.switchboard.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.cache.StreamAssembler;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves one upstream stream to the caller: subscribes to the upstream body, feeds each chunk to the
 * provider's {@link StreamTranslator}, and forwards every event the moment it is translated. It
 * watches the events for usage (kept for accounting, stripped when the caller did not ask for it),
 * and — when a stage asked for them ({@link Needs}) — assembles the answer text (after-hooks) and
 * the whole answer (the cache). When the upstream ends, breaks, or is cancelled it completes
 * {@link #end()} once; the stages wrap that end on the way back ({@link AnswerStream}), and only
 * then does the caller get {@code [DONE]}.
 *
 * <p>{@link #firstEvent()} completes when the first event is ready; a failure before it fails that
 * future instead, and nothing reaches the caller, so retries and fallbacks still apply.
 *
 * <p>Threads, safe by construction: the upstream's signals (Flow's serial {@code onNext},
 * {@code onError}, {@code onComplete}, and the translator's {@link StreamSink} calls they cause)
 * come from one thread at a time, the <em>owner</em>, which alone touches the text buffer, the
 * assembler and the started/failed flags. Other threads — a caller closing its stream, a timeout —
 * only claim the end ({@code over}), cancel the subscription and read what the owner handed over in
 * volatile fields (usage, the count of text characters). The one end is claimed by compare-and-set.
 */
public final class StreamPump implements Flow.Subscriber<List<ByteBuffer>>, StreamSink {

    /**
     * What the stages above want assembled from the stream.
     *
     * @param text   the answer text at a clean end (after-request hooks)
     * @param answer the whole answer at a clean end (the response cache)
     */
    public record Needs(boolean text, boolean answer) {
        /** Nothing beyond usage. */
        public static final Needs NONE = new Needs(false, false);

        /** These needs and the answer text. */
        public Needs andText() {
            return text ? this : new Needs(true, answer);
        }

        /** These needs and the whole answer. */
        public Needs andAnswer() {
            return answer ? this : new Needs(text, true);
        }
    }

    /**
     * Watches each chunk on its way to the caller (the cost cap): the owner calls {@link #check} with
     * every chunk before it is delivered; an answer other than null ends the stream right after that
     * chunk, with the answer as the caller's error event.
     */
    public interface Meter {
        /**
         * @param chunk the chunk, with its usage if any (not yet stripped)
         * @return the error envelope ({@code {"error":{...}}}) that ends the stream, or null to go on
         */
        ObjectNode check(ObjectNode chunk);

        /** {@return the characters of answer text seen so far, for the usage estimate of the ended stream} */
        int textChars();
    }

    /** A failure before the first event. */
    public static final class EarlyStreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Failure failure;

        /** A failure before the first event, with its cause (or null). */
        public EarlyStreamFailure(Failure failure, Throwable cause) {
            super(failure.message(), cause);
            this.failure = failure;
        }

        /** What went wrong. */
        public Failure failure() {
            return failure;
        }
    }

    /**
     * The default of the most bytes the upstream may send between two events the caller gets (8 MiB,
     * {@code Gateway.Builder.maxEventBytes}): past it the stream ends with a {@link
     * FailureKind#TOO_LARGE} failure, so no translator or decoder buffers an endless line or event.
     */
    public static final long MAX_EVENT_BYTES = 8L * 1024 * 1024;

    private final long maxEventBytes;

    private final StreamTranslator translator;
    private final GatewayEventStream out;
    private final boolean stripUsage;
    /** The cost cap's watcher, or null. */
    private final Meter meter;

    private final CompletableFuture<Void> first = new CompletableFuture<>();
    private final CompletableFuture<StreamEnd> end = new CompletableFuture<>();
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    /** When the upstream last sent something (System.nanoTime), for the idle timeout. */
    private volatile long lastActivity = System.nanoTime();
    // the owner's alone
    private final StringBuilder text;
    private final StreamAssembler assembler;
    private boolean failed;
    private boolean started;
    private long bytesSinceEvent;
    // handed over by the owner to whoever ends the stream
    private volatile Usage usage;
    private volatile int textChars;

    /** A pump writing into {@code out}, assembling what {@code needs} asks for, with the default event cap. */
    public StreamPump(StreamTranslator translator, GatewayEventStream out, boolean stripUsage, Needs needs) {
        this(translator, out, stripUsage, needs, MAX_EVENT_BYTES, null);
    }

    /**
     * A pump writing into {@code out}, assembling what {@code needs} asks for.
     *
     * @param maxEventBytes the most bytes the upstream may send between two events (at least 1)
     * @param meter         checks each chunk before it is delivered (the cost cap); null for none
     */
    public StreamPump(
            StreamTranslator translator,
            GatewayEventStream out,
            boolean stripUsage,
            Needs needs,
            long maxEventBytes,
            Meter meter) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be at least 1, got " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
        this.meter = meter;
        this.translator = translator;
        this.out = out;
        this.stripUsage = stripUsage;
        this.text = needs.text() ? new StringBuilder() : null;
        this.assembler = needs.answer() ? new StreamAssembler() : null;
        out.onDemand(this::resume);
        out.onClose(this::callerClosed);
    }

    /** Completes when the first event was forwarded; fails with {@link EarlyStreamFailure} before it. */
    public CompletableFuture<Void> firstEvent() {
        return first;
    }

    /** Completes once, when the stream ended, failed or was cancelled (by a timeout or the caller). */
    public CompletableFuture<StreamEnd> end() {
        return end;
    }

    /** Cancels the upstream (e.g. a first-event timeout); any thread. */
    public void cancel(Failure failure) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        if (!first.isDone()) {
            first.completeExceptionally(new EarlyStreamFailure(failure, null));
        }
        finish(failure, null, null, null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(1);
    }

    /**
     * How long the upstream has been silent, in nanoseconds; 0 while the pump waits for the caller
     * to read (a slow reader does not make the upstream idle).
     */
    public long idleNanos() {
        return stalled.get() ? 0 : Math.max(0, System.nanoTime() - lastActivity);
    }

    /**
     * Ends a stream whose upstream went silent (the idle timeout), from any thread: cancels the
     * upstream, and the caller gets an error event of {@code type} before the end. Nothing happens
     * when the stream already ended.
     */
    public void expire(Failure failure, String type) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        if (!first.isDone()) {
            first.completeExceptionally(new EarlyStreamFailure(failure, null));
        }
        finish(failure, errorEvent(type, failure.message()), null, null);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        lastActivity = System.nanoTime();
        if (over.get()) {
            return;
        }
        try {
            // fed in slices no longer than what the cap still allows: a read may hold several events
            // (small ones first, then the start of a large one), and the events must come out before
            // the cap is judged; an event delivered resets the count. The count misses the bytes after
            // an event inside the slice that delivered it, so a stream fails at most one cap late.
            feed:
            for (ByteBuffer b : items) {
                while (b.hasRemaining()) {
                    long room = maxEventBytes - bytesSinceEvent;
                    if (room <= 0) {
                        tooLarge();
                        break feed;
                    }
                    int n = (int) Math.min(b.remaining(), room);
                    ByteBuffer slice = b.slice(b.position(), n);
                    b.position(b.position() + n);
                    bytesSinceEvent += n;
                    translator.onBytes(slice, this);
                    if (failed) {
                        break feed;
                    }
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
        failed = true;
        String msg = "the provider's stream broke: " + describe(t);
        if (!started) {
            Failure f = Failure.of(FailureKind.NETWORK, msg);
            first.completeExceptionally(new EarlyStreamFailure(f, t));
            finish(f, null, null, null);
            return;
        }
        finish(Failure.of(FailureKind.STREAM_CUT, msg), errorEvent("stream_error", msg), null, null);
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
            finish(f, null, null, null);
            return;
        }
        finish(null, null, text == null ? null : text.toString(), assembler == null ? null : assembler.answer());
    }

    // --- StreamSink: called by the translator on the owner's thread

    @Override
    public void emit(ObjectNode chunk) {
        if (failed || over.get()) {
            return;
        }
        ObjectNode stop = meter == null ? null : meter.check(chunk);
        forward(chunk);
        if (stop != null) {
            capped(stop);
        }
    }

    private void forward(ObjectNode chunk) {
        if (assembler != null) {
            assembler.accept(chunk);
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
        if (text != null) {
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
        // others carry "usage":null, harmless to pass on), text assembly, or the cache's assembler
        ObjectNode stop = null;
        if (data != null && (text != null || assembler != null || meter != null || hasUsageObject(data))) {
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
                stop = meter == null ? null : meter.check(chunk);
                JsonNode ru = chunk.path("response").get("usage");
                if (ru != null && ru.isObject()) {
                    usage = Usage.fromOpenAi(ru); // a Responses stream's terminal event carries the usage
                }
                if (assembler != null) {
                    assembler.accept(chunk);
                }
                if (text != null) {
                    appendText(chunk);
                }
            }
        }
        deliver(event);
        if (stop != null) {
            capped(stop);
        }
    }

    /** The cost cap was passed: the chunk just delivered is the caller's last; the upstream is cancelled. */
    private void capped(ObjectNode envelope) {
        if (failed || over.get()) {
            return;
        }
        failed = true;
        textChars = Math.max(textChars, meter.textChars());
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        String message = envelope.path("error").path("message").asText("the stream passed its cost cap");
        finish(
                Failure.stream("cost_cap_exceeded", message, true),
                ServerSentEvent.data(Json.text(envelope)),
                null,
                null);
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
            finish(f, null, null, null);
            return;
        }
        finish(f, errorEvent(type, message), null, null);
    }

    /** The upstream sent more than the event cap without an event: ends the stream. */
    private void tooLarge() {
        failed = true;
        String msg = "the provider's stream sent more than " + maxEventBytes + " bytes" + mib(maxEventBytes)
                + " without completing an event; the gateway's event size cap ends the stream"
                + " (raise it with Gateway.Builder.maxEventBytes)";
        Failure f = Failure.of(FailureKind.TOO_LARGE, msg);
        if (!started) {
            first.completeExceptionally(new EarlyStreamFailure(f, null));
            finish(f, null, null, null);
            return;
        }
        finish(f, errorEvent("answer_too_large", msg), null, null);
    }

    private static String mib(long bytes) {
        return bytes % (1024 * 1024) == 0 ? " (" + bytes / (1024 * 1024) + " MiB)" : "";
    }

    private void deliver(ServerSentEvent e) {
        bytesSinceEvent = 0;
        lastActivity = System.nanoTime();
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
        textChars = text.length();
    }

    private static ServerSentEvent errorEvent(String type, String message) {
        return ServerSentEvent.data(Json.text(ErrorBody.of(message, type, null, null)));
    }

    private void callerClosed() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        finish(Failure.of(FailureKind.CANCELLED, "the caller closed the stream"), null, null, null);
    }

    /** Claims the one end; the stages' end work runs on this thread, then the caller gets [DONE]. */
    private void finish(Failure failure, ServerSentEvent errorEvent, String assembledText, ObjectNode answer) {
        if (over.compareAndSet(false, true)) {
            end.complete(new StreamEnd(usage, failure, 0, assembledText, answer, textChars, errorEvent, null));
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
