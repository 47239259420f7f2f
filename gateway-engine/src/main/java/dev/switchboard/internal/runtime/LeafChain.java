package dev.switchboard.internal.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An immutable, index-based chain over the leaf stages. {@link #proceed} runs the next stage; only
 * the retry stage calls it more than once (once per attempt). A stage that throws instead of
 * returning a failed future breaks the contract: the chain turns it into a failed future.
 */
final class LeafChain {
    private final List<LeafStage> stages;
    private final int index;
    private final LeafCall call;

    LeafChain(List<LeafStage> stages, int index, LeafCall call) {
        this.stages = stages;
        this.index = index;
        this.call = call;
    }

    LeafCall call() {
        return call;
    }

    CompletableFuture<LeafResult> proceed(LeafCall next) {
        if (index >= stages.size()) {
            throw new IllegalStateException("the last stage must not proceed");
        }
        LeafChain chain = new LeafChain(stages, index + 1, next);
        try {
            CompletableFuture<LeafResult> f = stages.get(index).intercept(chain);
            if (f == null) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException(stages.get(index).getClass().getName() + " returned null"));
            }
            return f;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
