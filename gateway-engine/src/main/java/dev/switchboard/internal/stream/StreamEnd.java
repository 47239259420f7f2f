package dev.switchboard.internal.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.failure.Failure;
import java.util.function.IntFunction;

/**
 * How a streamed answer ended, as it travels back up a leaf's stages ({@link AnswerStream#mapEnd}):
 * each stage that cares reads it and may pass on a changed one (the after-hooks turn a clean end
 * into a denied one). Immutable.
 *
 * <pre>{@code
 * answer.mapEnd(end -> { if (end.clean()) store(end.answer()); return end; });
 * }</pre>
 *
 * @param usage      the tokens the provider reported; for a failed stream without them, an estimate
 * @param failure    why the stream failed, or null for a clean end
 * @param nanos      from the attempt's start to the end (set by the provider-call stage)
 * @param text       the assembled answer text of a clean end, when a stage asked for it; else null
 * @param answer     the assembled answer ({@code chat.completion}) of a clean end, when a stage asked for it
 * @param textChars  characters of answer text seen so far when text was collected, else 0 (for estimates)
 * @param errorEvent the event the caller gets before {@code [DONE]}, or null
 * @param estimator  estimates usage from {@code textChars} for a failure without usage, or null
 */
public record StreamEnd(
        Usage usage,
        Failure failure,
        long nanos,
        String text,
        ObjectNode answer,
        int textChars,
        ServerSentEvent errorEvent,
        IntFunction<Usage> estimator) {

    /** Whether the stream ended cleanly (no failure). */
    public boolean clean() {
        return failure == null;
    }

    /** This end, timed. */
    public StreamEnd withNanos(long n) {
        return new StreamEnd(usage, failure, n, text, answer, textChars, errorEvent, estimator);
    }

    /**
     * This end with how to estimate usage: a failed end without usage gets the estimate now, and any
     * later {@link #failedWith} too.
     */
    public StreamEnd withEstimator(IntFunction<Usage> e) {
        Usage u = usage == null && failure != null && e != null ? e.apply(textChars) : usage;
        return new StreamEnd(u, failure, nanos, text, answer, textChars, errorEvent, e);
    }

    /** This end with another event for the caller before {@code [DONE]} (e.g. the redacted one). */
    public StreamEnd withErrorEvent(ServerSentEvent event) {
        return new StreamEnd(usage, failure, nanos, text, answer, textChars, event, estimator);
    }

    /** This end turned into a failure with the event the caller gets before {@code [DONE]}. */
    public StreamEnd failedWith(Failure f, ServerSentEvent event) {
        Usage u = usage == null && estimator != null ? estimator.apply(textChars) : usage;
        return new StreamEnd(u, f, nanos, text, answer, textChars, event, estimator);
    }
}
