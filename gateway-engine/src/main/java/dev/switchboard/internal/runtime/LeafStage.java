package dev.switchboard.internal.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * One step of a leaf's pipeline (OkHttp's interceptor): do something, hand the call to the next
 * stage with {@link LeafChain#proceed}, look at what came back. The order is fixed in
 * {@link LeafPipeline}.
 */
@FunctionalInterface
interface LeafStage {
    CompletableFuture<LeafResult> intercept(LeafChain chain);
}
