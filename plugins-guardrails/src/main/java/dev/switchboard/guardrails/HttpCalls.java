package dev.switchboard.guardrails;

import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls out through the gateway's {@link Transport} without blocking: sends, reads the whole body,
 * and gives up (cancelling the call) after a timeout.
 *
 * <pre>{@code
 * HttpCalls.send(ctx.transport(), UpstreamRequest.post(uri, headers, body), 3000, "webhook")
 *          .thenApply(HttpReply::bodyText);
 * }</pre>
 */
public final class HttpCalls {
    private HttpCalls() {}

    /** {@code what} names the call in error messages ("webhook", "JWKS"); the URL is not repeated (it may hold secrets). */
    public static CompletableFuture<HttpReply> send(Transport transport, UpstreamRequest request, long timeoutMs, String what) {
        if (transport == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(what + " call impossible: the check context has no transport"));
        }
        CompletableFuture<UpstreamResponse> sent;
        try {
            sent = transport.send(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<byte[]>[] reading = new CompletableFuture[1];
        CompletableFuture<HttpReply> reply = sent.thenCompose(r -> {
            CompletableFuture<byte[]> body = r.readAll();
            reading[0] = body;
            return body.thenApply(b -> new HttpReply(r.status(), r.headers(), b));
        });
        CompletableFuture<HttpReply> result = new CompletableFuture<>();
        reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e == null) {
                result.complete(r);
                return;
            }
            sent.cancel(true);
            if (reading[0] != null) {
                reading[0].cancel(true);
            }
            Throwable cause = unwrap(e);
            result.completeExceptionally(cause instanceof TimeoutException
                    ? new TimeoutException(what + " call timed out after " + timeoutMs + " ms")
                    : cause);
        });
        return result;
    }

    /** Parses an http(s) URL parameter, naming the parameter when it is not one. */
    public static URI httpUri(String value, String parameter) {
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("parameter '" + parameter + "' must be an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("parameter")) {
                throw e;
            }
            throw new IllegalArgumentException("parameter '" + parameter + "' is not a valid URL", e);
        }
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
