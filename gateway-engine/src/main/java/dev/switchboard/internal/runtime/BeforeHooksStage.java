package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the before-request hooks once per leaf (mutators rewrite the body before the provider
 * transform); a failing {@code deny} hook answers 446 and the provider is never called. On the way
 * back it adds {@code hook_results} to a JSON answer whenever a hook ran, and turns a 200 into 246
 * when a non-deny hook failed.
 */
final class BeforeHooksStage implements LeafStage {
    private final EngineHooks hooks;
    private final AttemptRecorder recorder;

    BeforeHooksStage(EngineHooks hooks, AttemptRecorder recorder) {
        this.hooks = hooks;
        this.recorder = recorder;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        if (call.target.settings().beforeHooks().isEmpty() || !EngineHooks.hooksApply(call.request.endpoint)) {
            return chain.proceed(call).thenApply(r -> decorate(call, r));
        }
        return hooks.before(call).thenCompose(outcome -> {
            call.hooks.before.addAll(outcome.results());
            call.request.trace.addHookResults(outcome.results());
            if (outcome.denied()) {
                ObjectNode body = ErrorBody.of(
                        "The guardrail checks defined in the config failed. You can find more "
                                + "information in the `hook_results` object.",
                        "hooks_failed",
                        null,
                        null);
                body.set("hook_results", EngineHooks.resultsJson(call, call.hooks.after));
                String msg = "a before-request hook denied the request";
                LeafResult r = LeafResult.failed(
                        446, body, Failure.of(FailureKind.GUARDRAIL_DENY, msg), call.target.provider(), call.model());
                recorder.recordSkipped(call, r);
                return CompletableFuture.completedFuture(r);
            }
            call.hooks.beforeFailed = outcome.failed();
            LeafCall next = outcome.transformedRequest() != null ? call.withBody(outcome.transformedRequest()) : call;
            return chain.proceed(next).thenApply(r -> decorate(call, r));
        });
    }

    private static LeafResult decorate(LeafCall call, LeafResult r) {
        if (!call.hooks.any() || r.body() == null || r.stream() != null) {
            return r;
        }
        int s = r.status();
        if (!(s >= 200 && s < 300) && s != 446) {
            return r;
        }
        ObjectNode body = r.body(); // this request's own tree (parsed per answer, copied for the cache)
        body.set("hook_results", EngineHooks.resultsJson(call, call.hooks.after));
        int status = s == 200 && call.hooks.beforeFailed ? 246 : s;
        return r.toBuilder().status(status).body(body).build();
    }
}
