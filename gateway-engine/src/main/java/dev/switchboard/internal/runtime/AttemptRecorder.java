package dev.switchboard.internal.runtime;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes a leaf's attempts into the request's trace, priced: one entry per provider attempt (the
 * retry stage), one for a leaf that never reached the provider (an open circuit, a denying
 * before-hook, a target that cannot be tried). A streamed attempt is recorded when its first event
 * arrived and completed when the stream ends.
 */
final class AttemptRecorder {
    private final Clock clock;
    private final CostFunction costs;

    AttemptRecorder(Clock clock, CostFunction costs) {
        this.clock = clock;
        this.costs = costs;
    }

    /** Records an attempt for a leaf that never reached the provider. */
    void recordSkipped(LeafCall call, LeafResult r) {
        Attempt a = new Attempt(
                call.target.path(),
                call.target.provider(),
                call.model(),
                r.status(),
                Duration.ZERO,
                call.retryNumber,
                r.errorClass(),
                r.errorMessage(),
                null,
                Cost.ZERO,
                null,
                clock.instant(),
                r.cacheStatus(),
                notes(call, r),
                call.target.virtualKey());
        int index = call.request.trace.addAttempt(a);
        call.request.recorded(index);
        call.request.listener.attemptEnd(call.request.trace.attempt(index)); // as recorded: redacted
    }

    /** The result's notes, then those of the context it ran under (a hedge's decisions). */
    private static java.util.List<String> notes(LeafCall call, LeafResult r) {
        java.util.List<String> context = call.request.notes();
        if (context.isEmpty()) {
            return r.notes();
        }
        java.util.List<String> all = new java.util.ArrayList<>(r.notes());
        all.addAll(context);
        return all;
    }

    /** {@code a} with one more note. */
    static Attempt withNote(Attempt a, String note) {
        if (a.notes().contains(note)) {
            return a;
        }
        java.util.List<String> notes = new java.util.ArrayList<>(a.notes());
        notes.add(note);
        return new Attempt(
                a.targetPath(),
                a.provider(),
                a.model(),
                a.status(),
                a.latency(),
                a.retryNumber(),
                a.errorClass(),
                a.errorMessage(),
                a.usage(),
                a.cost(),
                a.saved(),
                a.startedAt(),
                a.cacheStatus(),
                notes,
                a.virtualKey());
    }

    /**
     * Records one attempt's result. A stream's entry is completed when it ends: the returned result
     * carries the stream wrapped to do that on its way back.
     */
    LeafResult record(LeafCall call, LeafResult r) {
        Instant started = clock.instant().minusNanos(r.upstreamNanos());
        Cost cost = r.units() != null && r.isSuccess()
                ? costs.cost(call.target.provider(), call.model(), r.usage(), r.units())
                : costOf(call, r.usage(), r.isSuccess());
        Attempt a = new Attempt(
                call.target.path(),
                call.target.provider(),
                r.model(),
                r.status(),
                Duration.ofNanos(r.upstreamNanos()),
                call.retryNumber,
                r.errorClass(),
                r.errorMessage(),
                r.usage(),
                r.saved() != null ? Cost.ZERO : cost,
                r.saved(),
                started,
                r.cacheStatus(),
                notes(call, r),
                call.target.virtualKey());
        int index = call.request.trace.addAttempt(a);
        call.request.recorded(index);
        if (r.stream() == null) {
            call.request.listener.attemptEnd(call.request.trace.attempt(index)); // as recorded: redacted
            return r;
        }
        return r.withStream(r.stream().mapEnd(end -> {
            Cost c = costOf(call, end.usage(), end.clean());
            Attempt ended = call.request.trace.updateAttempt(
                    index,
                    old -> new Attempt(
                            old.targetPath(),
                            old.provider(),
                            old.model(),
                            old.status(),
                            Duration.ofNanos(end.nanos()),
                            old.retryNumber(),
                            end.failure() == null ? null : end.failure().errorClass(),
                            end.failure() == null ? null : end.failure().message(),
                            end.usage(),
                            c,
                            old.saved(),
                            old.startedAt(),
                            old.cacheStatus(),
                            old.notes(),
                            old.virtualKey()));
            call.request.listener.attemptEnd(ended);
            return end;
        }));
    }

    /** The leaf's retry count for the {@code x-portkey-retry-attempt-count} header (-1: retries exhausted). */
    void retryOutcome(LeafCall call, int count) {
        call.request.trace.retryAttemptCount(count);
    }

    private Cost costOf(LeafCall call, Usage usage, boolean success) {
        if (usage == null) {
            return success ? Cost.unknown("the provider reported no usage") : Cost.ZERO;
        }
        return costs.cost(call.target.provider(), call.model(), usage);
    }
}
