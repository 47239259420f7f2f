package dev.switchboard.internal.runtime;

import dev.switchboard.api.ErrorBody;
import dev.switchboard.internal.config.CircuitBreakerSettings;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import java.util.concurrent.CompletableFuture;

/**
 * First stage: a target whose circuit is open is not called; the leaf fails at once with 503 and a
 * fallback moves on. Each finished leaf call is counted for its breaker.
 */
final class CircuitBreakerStage implements LeafStage {
    private final CircuitBreakers breakers;
    private final AttemptRecorder recorder;

    CircuitBreakerStage(CircuitBreakers breakers, AttemptRecorder recorder) {
        this.breakers = breakers;
        this.recorder = recorder;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        CircuitBreakerSettings cb = call.target.settings().circuitBreaker();
        if (cb == null) {
            return chain.proceed(call);
        }
        String key = call.target.path();
        long wait = breakers.openFor(key, cb);
        if (wait > 0) {
            String msg = "circuit open for " + key + " (" + call.target.provider() + "): it failed repeatedly; "
                    + "it will be tried again in " + Math.max(1, wait / 1000) + " s";
            LeafResult r = LeafResult.failed(
                    503,
                    ErrorBody.of(msg, "circuit_open", null, null),
                    Failure.of(FailureKind.CIRCUIT_OPEN, msg),
                    call.target.provider(),
                    call.model());
            recorder.recordSkipped(call, r);
            return CompletableFuture.completedFuture(r);
        }
        return chain.proceed(call).thenApply(r -> {
            breakers.record(key, cb, r.errorClass() != null && r.status() == 0 ? 0 : r.status());
            return r;
        });
    }
}
