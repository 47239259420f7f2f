package dev.switchboard.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Sends provider requests. The default is the JDK {@code HttpClient}; tests use the testkit's
 * in-memory fake. Must not block the calling thread.
 */
@FunctionalInterface
public interface Transport {
    /**
     * Sends the request; the future completes when the response headers arrived, or fails with the
     * network error ({@link java.io.IOException} subclasses). Cancelling it aborts the call.
     */
    CompletableFuture<UpstreamResponse> send(UpstreamRequest request);
}
