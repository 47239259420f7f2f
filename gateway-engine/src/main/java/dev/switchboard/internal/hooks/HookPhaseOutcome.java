package dev.switchboard.internal.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.HookResult;
import java.util.List;

/**
 * What one phase of hooks decided: the results of its synchronous hooks (declaration order),
 * whether a failed hook asked to deny ({@code denied} → 446) or only failed ({@code failed} → 246),
 * and the request/response bodies as rewritten by mutators or transforming checks (null when unchanged).
 */
public record HookPhaseOutcome(
        List<HookResult> results,
        boolean denied,
        boolean failed,
        ObjectNode transformedRequest,
        ObjectNode transformedResponse) {

    public HookPhaseOutcome {
        results = List.copyOf(results);
    }

    static HookPhaseOutcome empty() {
        return new HookPhaseOutcome(List.of(), false, false, null, null);
    }
}
