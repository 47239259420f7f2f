package dev.switchboard.spi;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sends provider requests: the only way the gateway reaches a provider over the network. The
 * default is Switchboard's own HTTP/1.1 client (a JDK {@code HttpClient} given to
 * {@code Gateway.Builder.httpClient} selects one on that client); tests use the testkit's in-memory
 * fake. {@link #send} must not block the calling thread; {@link #sendBlocking} may (and by default
 * waits for {@link #send}).
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

    /**
     * Sends a request on the calling thread and returns once the response headers arrived. The
     * gateway calls it only from a thread that waits for the answer anyway ({@code Gateway.execute}'s
     * caller, for a whole answer), so a transport with a synchronous path can skip the hand-offs of an
     * asynchronous send; the JDK transport reads the whole body here, several times faster on loopback.
     *
     * <p>Interruption: to abandon the call (the attempt timed out) the gateway interrupts the calling
     * thread. The transport must then abort the exchange and throw {@link InterruptedException} (or an
     * {@link IOException}); the gateway clears its own interrupt afterwards and keeps one it did not
     * cause. The default sends with {@link #send(UpstreamRequest, boolean)} and waits for the future;
     * interrupted, it cancels the future (which aborts the call) and throws.
     *
     * @param request      the request to send
     * @param expectStream true when the body will be consumed as it arrives
     * @return the response, its body still arriving or already in memory
     * @throws IOException          the network error that failed the call
     * @throws InterruptedException the thread was interrupted; the call is aborted
     * @throws CompletionException  wrapping any other failure of {@link #send}'s future
     */
    default UpstreamResponse sendBlocking(UpstreamRequest request, boolean expectStream)
            throws IOException, InterruptedException {
        CompletableFuture<UpstreamResponse> f = send(request, expectStream);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw cause instanceof CompletionException ce ? ce : new CompletionException(cause);
        }
    }
}
