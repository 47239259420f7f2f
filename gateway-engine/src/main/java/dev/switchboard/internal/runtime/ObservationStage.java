package dev.switchboard.internal.runtime;

import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import java.util.concurrent.CompletableFuture;

/**
 * Just before the provider call: times each provider attempt with the gateway's clock and tells
 * {@link Observations} what happened — the time to the answer (a stream: to its first event, and
 * its total time when it ends), whether it failed on the target's side (408, 429, 5xx, a network
 * error, a broken stream), and the quota headers of any answer. An attempt that was cancelled (by
 * its caller, or as the losing side of a hedge) says nothing about the target and is not counted;
 * neither is a client error (4xx other than 408 and 429).
 */
final class ObservationStage implements LeafStage {
    private final Observations observations;

    ObservationStage(Observations observations) {
        this.observations = observations;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        if (call.served != null) {
            return chain.proceed(call); // a cache hit: no provider was asked
        }
        String path = call.target.path();
        long started = observations.now();
        return chain.proceed(call).thenApply(r -> {
            if (cancelled(r.failure())) {
                return r;
            }
            observations.quota(path, r.headers());
            long elapsed = observations.now() - started;
            if (!r.isSuccess()) {
                if (targetsFault(r)) {
                    observations.outcome(path, -1, true);
                }
                return r;
            }
            observations.firstByte(path, elapsed);
            if (r.stream() == null) {
                observations.outcome(path, elapsed, false);
                return r;
            }
            return r.withStream(r.stream().mapEnd(end -> {
                if (!cancelled(end.failure())) {
                    boolean failed = end.failure() != null
                            && end.failure().kind() != FailureKind.GUARDRAIL_DENY
                            && end.failure().kind() != FailureKind.TOO_LARGE;
                    observations.outcome(path, observations.now() - started, failed);
                }
                return end;
            }));
        });
    }

    private static boolean cancelled(Failure f) {
        return f != null && f.kind() == FailureKind.CANCELLED;
    }

    /** Whether a failed attempt counts against the target: 408, 429, 5xx, or no answer at all. */
    private static boolean targetsFault(LeafResult r) {
        int s = r.status();
        return s == 0 || s == 408 || s == 429 || s >= 500;
    }
}
