package dev.switchboard.internal.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Cancels a JDK exchange whose answer's headers have not come, late enough to be safe on Java 17.
 *
 * <p>On Java 17, cancelling the future of {@code HttpClient.sendAsync} can leave the request counted
 * as pending in the client for ever (later JDKs fixed it): a client with a pending request never
 * stops its selector thread, so its idle keep-alive connections stay open after the gateway is
 * closed and gone. Cancelling an answer's body is clean. So an abort first arranges for the body to
 * be cancelled the moment the headers come (the caller does that); only an upstream still silent
 * {@link #GRACE_MS} ms later gets its exchange cancelled, by then long connected and waiting for the
 * answer, which is when the JDK's cancel closes the connection without leaking it.
 */
final class ExchangeAbort {
    /** How long an aborted exchange may wait for its headers (then dropped) before it is cancelled. */
    static final long GRACE_MS = 10_000;

    private static final Executor LATER = CompletableFuture.delayedExecutor(GRACE_MS, TimeUnit.MILLISECONDS);

    private ExchangeAbort() {}

    /** Cancels {@code exchange} after the grace period unless it has ended by then. */
    static void cancelLater(CompletableFuture<?> exchange) {
        if (exchange.isDone()) {
            return;
        }
        LATER.execute(() -> {
            if (!exchange.isDone()) {
                exchange.cancel(true);
            }
        });
    }
}
