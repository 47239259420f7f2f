package dev.switchboard.internal.runtime;

import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the after-request hooks on each attempt's 2xx JSON answer (inside the retry loop, so a 446
 * or 246 can be retried when the config lists it). Deny → 446 and the provider body is discarded;
 * a non-deny failure → 246; mutators rewrite the answer. Streams run their after-hooks when they
 * end (see {@link ProviderCallStage}). The cache stage runs the same hooks on a cache hit through
 * {@link #apply}.
 */
final class AfterHooksStage implements LeafStage {
    private final EngineHooks hooks;

    AfterHooksStage(EngineHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        call.hooks.after.clear();
        CompletableFuture<LeafResult> inner = chain.proceed(call);
        if (!applies(call)) {
            return inner;
        }
        return inner.thenCompose(r -> {
            if (call.cache != null && r.stream() == null && r.status() == 200 && r.body() != null) {
                // the cache keeps the answer as the provider gave it: a hit runs these hooks again
                call.cache.rawAnswer = r.body().deepCopy();
            }
            return apply(call, r);
        });
    }

    /** True when the leaf has after-request hooks for its endpoint. */
    static boolean applies(LeafCall call) {
        return !call.target.settings().afterHooks().isEmpty() && EngineHooks.afterHooksApply(call.request.endpoint);
    }

    /** Runs the after-request hooks on a 200 JSON answer; other results pass unchanged. */
    CompletableFuture<LeafResult> apply(LeafCall call, LeafResult r) {
        if (r.stream() != null || r.status() != 200 || r.body() == null) {
            return CompletableFuture.completedFuture(r);
        }
        return hooks.after(call, r.body(), r.status()).thenApply(outcome -> {
            call.hooks.after.addAll(outcome.results());
            call.request.trace.addHookResults(outcome.results());
            if (outcome.denied()) {
                ObjectNode body = ErrorBody.of("The guardrail checks defined in the config failed. You can find "
                        + "more information in the `hook_results` object.", "hooks_failed", null, null);
                return r.toBuilder().status(446).body(body)
                        .failure(Failure.of(FailureKind.GUARDRAIL_DENY, "an after-request hook denied the answer"))
                        .build();
            }
            ObjectNode body = outcome.transformedResponse() != null ? outcome.transformedResponse() : r.body();
            return r.toBuilder().status(outcome.failed() ? 246 : r.status()).body(body).failure(null).build();
        });
    }
}
