package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.HookResult;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.spi.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * One leaf call travelling through the stages: the request context, the target, its provider and
 * options (virtual key merged in), and the body as the stages rewrite it. Immutable apart from the
 * hook results the hook stages collect for the answer's {@code hook_results}.
 */
public final class LeafCall {
    final RequestContext request;
    final TargetNode target;
    final Provider provider;
    final ObjectNode options;
    final ObjectNode body;
    final int retryNumber;
    final HookLog hooks;
    /** Set by the cache stage on a miss; null when the cache is off. */
    final CacheCapture cache;

    LeafCall(RequestContext request, TargetNode target, Provider provider, ObjectNode options, ObjectNode body,
             int retryNumber, HookLog hooks) {
        this(request, target, provider, options, body, retryNumber, hooks, null);
    }

    private LeafCall(RequestContext request, TargetNode target, Provider provider, ObjectNode options, ObjectNode body,
                     int retryNumber, HookLog hooks, CacheCapture cache) {
        this.cache = cache;
        this.request = request;
        this.target = target;
        this.provider = provider;
        this.options = options;
        this.body = body;
        this.retryNumber = retryNumber;
        this.hooks = hooks;
    }

    LeafCall withBody(ObjectNode newBody) {
        return new LeafCall(request, target, provider, options, newBody, retryNumber, hooks, cache);
    }

    LeafCall withCache(CacheCapture capture) {
        return new LeafCall(request, target, provider, options, body, retryNumber, hooks, capture);
    }

    LeafCall withRetry(int k) {
        return new LeafCall(request, target, provider, options, body, k, hooks.forRetry(), cache);
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
