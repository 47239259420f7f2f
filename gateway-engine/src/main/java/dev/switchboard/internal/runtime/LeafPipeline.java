package dev.switchboard.internal.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The fixed order of a leaf's stages (DESIGN §4):
 * <ol>
 *   <li>circuit breaker — skip a target whose circuit is open;</li>
 *   <li>before-request hooks — deny (446) or rewrite the request; add {@code hook_results};</li>
 *   <li>stages before the retry loop (the cache lookup);</li>
 *   <li>retry — one pass through the rest per attempt, each attempt recorded;</li>
 *   <li>stages inside the retry loop (budget/rate-limit admission and accounting);</li>
 *   <li>after-request hooks — deny (446), flag (246) or rewrite the answer;</li>
 *   <li>provider call — transform, send with the timeout, translate or stream.</li>
 * </ol>
 */
final class LeafPipeline {
    private final List<LeafStage> stages;

    /** {@code stages}: in the order above, each built with the collaborators it needs (see {@code Engine}). */
    LeafPipeline(List<LeafStage> stages) {
        this.stages = List.copyOf(stages);
    }

    CompletableFuture<LeafResult> run(LeafCall call) {
        return new LeafChain(stages, 0, call).proceed(call);
    }
}
