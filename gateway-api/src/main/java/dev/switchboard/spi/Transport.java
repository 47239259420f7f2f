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
     *
     * @param request the request to send
     * @return the response, its body still arriving
     */
    CompletableFuture<UpstreamResponse> send(UpstreamRequest request);

    /**
     * Sends a request whose answer the gateway will read whole ({@code expectStream == false}) or
     * consume as it arrives. Transports can pick a cheaper body handling for whole answers (the JDK
     * client reads a byte array several times faster than it publishes chunks); the default ignores
     * the hint.
     *
     * @param request      the request to send
     * @param expectStream true when the body will be consumed as it arrives
     * @return the response, its body still arriving
     */
    default CompletableFuture<UpstreamResponse> send(UpstreamRequest request, boolean expectStream) {
        return send(request);
    }
}
