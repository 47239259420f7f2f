package dev.switchboard.internal.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The fixed order of a leaf's stages (DESIGN §4), both ways. Going out, each stage may answer
 * itself or proceed; coming back, each sees the answer of the stages inside it — and a stream's end,
 * which the stages that need it wrap in the same order ({@code AnswerStream.mapEnd}):
 * <pre>
 *  out (request)                                   back (answer; for a stream: at its end)
 *  circuit breaker  open → 503, skip target        count the status for the breaker
 *  before hooks     deny → 446; rewrite request    add hook_results; 246 when a hook failed
 *  cache            hit → served through the chain store the provider's answer (stream: when it ends)
 *  retry            one pass per attempt           record the attempt (stream: complete it at the end)
 *  cost cap         estimate over the cap → 412    (a stream: ended with an error event past the cap)
 *  admission        reserve budget/rate, or refuse reconcile with the real usage and cost
 *  after hooks      (ask a stream for its text)    deny → 446/error event; 246; rewrite the answer
 *  provider call    transform, send, time out      translate; a stream's end timed, usage estimated
 *                   (a cache hit: the entry)
 * </pre>
 * Outside the chain: the router picks the leaf ({@link RouteEvaluator}) and the
 * {@link ResponseAssembler} finishes the trace (for a stream, as the outermost wrap, before the
 * caller gets {@code [DONE]}).
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
