package dev.switchboard.internal.runtime;

import dev.switchboard.api.Cost;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.accounting.Admission;
import dev.switchboard.internal.accounting.LimitEnforcer;
import dev.switchboard.internal.failure.Failure;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Budget and rate-limit admission for virtual-key targets, once per attempt: reserves the estimate
 * (the prompt bounded by its UTF-8 bytes, computed once per request and shared by its attempts)
 * before the call (refused → 429/412/401, the provider is never called and a fallback moves on),
 * then reconciles with the real usage and cost — for a stream, when the stream ends — or releases
 * the reservation when no usage is known (failure, cancellation).
 */
final class AdmissionStage implements LeafStage {
    private final LimitEnforcer limits;
    private final Function<String, Optional<ProviderCredentials>> virtualKeys;
    private final CostFunction costs;

    AdmissionStage(
            LimitEnforcer limits, Function<String, Optional<ProviderCredentials>> virtualKeys, CostFunction costs) {
        this.limits = limits;
        this.virtualKeys = virtualKeys;
        this.costs = costs;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        String slug = call.target.virtualKey();
        if (slug == null || call.served != null) {
            // a cache hit calls no provider: nothing to admit or to charge
            return chain.proceed(call);
        }
        Admission a = limits.admit(
                slug,
                virtualKeys.apply(slug).orElseThrow(),
                call.target.provider(),
                call.model(),
                call.body,
                call.request.trace.metadata(),
                promptAsSent(call)
                        ? () -> call.request.promptBound(call.body)
                        : () -> dev.switchboard.internal.accounting.TokenEstimator.promptBound(call.body));
        if (!a.granted()) {
            String msg = a.message().orElse("refused by the limits of " + slug);
            return CompletableFuture.completedFuture(LeafResult.failed(
                    a.status(),
                    a.error(),
                    Failure.refused(a.type().orElse("limit"), msg),
                    call.target.provider(),
                    call.model()));
        }
        return chain.proceed(call).handle((r, e) -> {
            if (e != null) {
                limits.release(a.reservation());
                throw new java.util.concurrent.CompletionException(e);
            }
            if (r.stream() != null) {
                // a stream's usage is known when it ends: settle then, on its way back
                return r.withStream(r.stream().mapEnd(end -> {
                    settle(a, end.usage(), call);
                    return end;
                }));
            }
            if (r.units() != null && r.isSuccess()) {
                // an image, audio or moderation call: billed by its units, with or without tokens
                Usage u = r.usage() != null ? r.usage() : Usage.ZERO;
                limits.reconcile(
                        a.reservation(), u, costs.cost(call.target.provider(), call.model(), r.usage(), r.units()));
                return r;
            }
            settle(a, r.usage(), call);
            return r;
        });
    }

    /** The prompt fields a target's {@code override_params} would change, making its prompt differ from the caller's. */
    private static final java.util.Set<String> PROMPT_FIELDS =
            java.util.Set.of("messages", "instructions", "prompt", "input", "tools");

    /** Whether the call's prompt is the caller's own: the same for every attempt of the request. */
    private static boolean promptAsSent(LeafCall call) {
        if (call.bodyRewritten) {
            return false;
        }
        com.fasterxml.jackson.databind.node.ObjectNode overrides =
                call.target.settings().overrideParams();
        if (overrides.size() == 0) {
            return true;
        }
        for (String f : PROMPT_FIELDS) {
            if (overrides.has(f)) {
                return false;
            }
        }
        return true;
    }

    private void settle(Admission a, dev.switchboard.api.Usage usage, LeafCall call) {
        if (usage == null) {
            limits.release(a.reservation());
        } else {
            Cost cost = costs.cost(call.target.provider(), call.model(), usage);
            limits.reconcile(a.reservation(), usage, cost);
        }
    }
}
