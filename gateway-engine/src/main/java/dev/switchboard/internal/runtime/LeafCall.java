package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.HookResult;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.internal.stream.StreamPump;
import dev.switchboard.spi.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * One leaf call travelling through the stages: the request context, the target, its provider and
 * options (virtual key merged in), and the body as the stages rewrite it. Immutable apart from the
 * hook results the hook stages collect for the answer's {@code hook_results}.
 */
final class LeafCall {
    final RequestContext request;
    final TargetNode target;
    final Provider provider;
    final ObjectNode options;
    final ObjectNode body;
    final int retryNumber;
    final HookLog hooks;
    /**
     * What the stages above want from the answer, declared on the way out: the after-hooks want a
     * stream's text, the cache wants the provider's own answer (a JSON answer kept before the
     * after-hooks rewrote it, a stream assembled).
     */
    final StreamPump.Needs needs;
    /** A cache hit the provider-call stage answers with instead of calling; null normally. */
    final LeafResult served;
    /** Whether a stage replaced the body (a before-hook's transformation): its prompt may differ from the request's. */
    final boolean bodyRewritten;
    /** Watches a stream's chunks for the cost cap ({@link CostCapStage}); null when uncapped. */
    final StreamPump.Meter meter;

    LeafCall(
            RequestContext request,
            TargetNode target,
            Provider provider,
            ObjectNode options,
            ObjectNode body,
            int retryNumber,
            HookLog hooks) {
        this(request, target, provider, options, body, retryNumber, hooks, StreamPump.Needs.NONE, null, false, null);
    }

    private LeafCall(
            RequestContext request,
            TargetNode target,
            Provider provider,
            ObjectNode options,
            ObjectNode body,
            int retryNumber,
            HookLog hooks,
            StreamPump.Needs needs,
            LeafResult served,
            boolean bodyRewritten,
            StreamPump.Meter meter) {
        this.bodyRewritten = bodyRewritten;
        this.meter = meter;
        this.needs = needs;
        this.served = served;
        this.request = request;
        this.target = target;
        this.provider = provider;
        this.options = options;
        this.body = body;
        this.retryNumber = retryNumber;
        this.hooks = hooks;
    }

    LeafCall withBody(ObjectNode newBody) {
        return new LeafCall(
                request, target, provider, options, newBody, retryNumber, hooks, needs, served, true, meter);
    }

    /** This call, with what the stage proceeding wants from the answer. */
    LeafCall needing(StreamPump.Needs n) {
        return new LeafCall(
                request, target, provider, options, body, retryNumber, hooks, n, served, bodyRewritten, meter);
    }

    /** This call answered by a cache hit: the stages inside pass it along instead of calling the provider. */
    LeafCall serving(LeafResult hit) {
        return new LeafCall(
                request, target, provider, options, body, retryNumber, hooks, needs, hit, bodyRewritten, meter);
    }

    /** This call, its stream watched by {@code m} (the cost cap). */
    LeafCall metered(StreamPump.Meter m) {
        return new LeafCall(
                request, target, provider, options, body, retryNumber, hooks, needs, served, bodyRewritten, m);
    }

    LeafCall withRetry(int k) {
        return new LeafCall(
                request, target, provider, options, body, k, hooks.forRetry(), needs, served, bodyRewritten, meter);
    }

    String model() {
        return body == null ? null : body.path("model").asText(null);
    }

    /** Hook results of this leaf pass; after-hook results are reset on each retry (as Portkey does). */
    static final class HookLog {
        final List<HookResult> before;
        final List<HookResult> after = new ArrayList<>();
        boolean beforeFailed;

        HookLog(List<HookResult> before) {
            this.before = before;
        }

        HookLog forRetry() {
            HookLog h = new HookLog(before);
            h.beforeFailed = beforeFailed;
            return h;
        }

        boolean any() {
            return !before.isEmpty() || !after.isEmpty();
        }
    }
}
