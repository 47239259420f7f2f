package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.internal.stream.AnswerStream;
import java.util.concurrent.CompletableFuture;

/**
 * The one place after-request hooks run, inside the retry loop (so a 446 or 246 can be retried when
 * the config lists it), on every answer that comes back through it: a provider's 2xx JSON answer,
 * a cache hit (the cache stage sends hits through the chain), and a stream — whose hooks run on the
 * assembled text when it ends cleanly, before the caller gets {@code [DONE]}. Deny → 446 (a stream
 * ends with an error event instead) and the provider body is discarded; a non-deny failure → 246;
 * mutators rewrite the answer. When the cache asked for the provider's own answer, it is kept
 * ({@link LeafResult#providerBody()}) before the hooks rewrite it.
 */
final class AfterHooksStage implements LeafStage {
    private static final String DENIED_STREAM = "after-request hooks denied the streamed answer";

    private final EngineHooks hooks;

    AfterHooksStage(EngineHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        call.hooks.after.clear();
        if (!applies(call)) {
            return chain.proceed(call);
        }
        LeafCall next = call.request.stream ? call.needing(call.needs.andText()) : call;
        return chain.proceed(next)
                .thenCompose(r -> r.stream() != null
                        ? CompletableFuture.completedFuture(r.withStream(onStreamEnd(call, r.stream())))
                        : apply(call, r));
    }

    /** True when the leaf has after-request hooks for its endpoint. */
    private static boolean applies(LeafCall call) {
        return !call.target.settings().afterHooks().isEmpty() && EngineHooks.afterHooksApply(call.request.endpoint);
    }

    /** Wraps a stream: hooks on the assembled text of a clean end; a deny ends it with an error event. */
    private AnswerStream onStreamEnd(LeafCall call, AnswerStream stream) {
        return stream.composeEnd(end -> !end.clean()
                ? CompletableFuture.completedFuture(end)
                : hooks.afterStream(call, end.text())
                        .thenApply(errorEvent -> errorEvent == null
                                ? end
                                : end.failedWith(Failure.of(FailureKind.GUARDRAIL_DENY, DENIED_STREAM), errorEvent)));
    }

    /** Runs the hooks on a 200 JSON answer; other results pass unchanged. */
    private CompletableFuture<LeafResult> apply(LeafCall call, LeafResult r) {
        if (r.status() != 200 || r.body() == null) {
            return CompletableFuture.completedFuture(r);
        }
        // the cache keeps the answer as the provider gave it: a hit runs these hooks again
        ObjectNode providerBody =
                call.needs.answer() && call.served == null ? r.body().deepCopy() : null;
        return hooks.after(call, r.body(), r.status()).thenApply(outcome -> {
            call.hooks.after.addAll(outcome.results());
            call.request.trace.addHookResults(outcome.results());
            if (outcome.denied()) {
                ObjectNode body = ErrorBody.of(
                        "The guardrail checks defined in the config failed. You can find "
                                + "more information in the `hook_results` object.",
                        "hooks_failed",
                        null,
                        null);
                return r.toBuilder()
                        .status(446)
                        .body(body)
                        .providerBody(providerBody)
                        .failure(Failure.of(FailureKind.GUARDRAIL_DENY, "an after-request hook denied the answer"))
                        .build();
            }
            ObjectNode body = outcome.transformedResponse() != null ? outcome.transformedResponse() : r.body();
            return r.toBuilder()
                    .status(outcome.failed() ? 246 : r.status())
                    .body(body)
                    .providerBody(providerBody)
                    .failure(null)
                    .build();
        });
    }
}
