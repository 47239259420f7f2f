package dev.switchboard.guardrails;

import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
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
    /** The {@code timeout} parameter's default, in milliseconds, for every check that calls out. */
    static final long DEFAULT_TIMEOUT_MS = 3000;

    private HttpCalls() {}

    /** The {@code timeout} parameter in milliseconds ({@link #DEFAULT_TIMEOUT_MS} when absent), a non-negative integer. */
    static long timeoutMs(ParameterReader parameters) {
        return parameters.nonNegative("timeout", DEFAULT_TIMEOUT_MS);
    }

    /** Where a check POSTs the hook context: the URL parameter, the extra {@code headers}, the {@code timeout}. */
    record PostTarget(URI uri, Map<String, String> headers, long timeoutMs) {
        /** Reads the required http(s) URL in {@code urlParameter}, {@code headers} and {@code timeout}. */
        static PostTarget read(ParameterReader parameters, String urlParameter) {
            URI uri = parameters.httpUrl(urlParameter);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("content-type", "application/json");
            headers.putAll(parameters.headers("headers"));
            return new PostTarget(uri, java.util.Collections.unmodifiableMap(headers), HttpCalls.timeoutMs(parameters));
        }
    }

    /** The error of a call attempted without a transport; {@code what} names the call. */
    static IllegalStateException noTransport(String what) {
        return new IllegalStateException(what + " call impossible: the check context has no transport");
    }

    /**
     * Blocking {@link dev.switchboard.spi.GuardrailCheck#check} for checks written as
     * {@code checkAsync}: waits for the outcome and throws the failure itself, not its wrapper.
     */
    static <T> T await(CompletionStage<T> outcome) throws Exception {
        try {
            return outcome.toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    /** POSTs the hook context (see {@link ContextJson}) as JSON to {@code target}, waiting up to its timeout. */
    static CompletableFuture<HttpReply> postContext(CheckContext context, PostTarget target, String what) {
        byte[] body = Json.bytes(ContextJson.of(context));
        return send(
                context.transport(),
                UpstreamRequest.post(target.uri(), target.headers(), body),
                target.timeoutMs(),
                what);
    }

    /** {@code what} names the call in error messages ("webhook", "JWKS"); the URL is not repeated (it may hold secrets). */
    public static CompletableFuture<HttpReply> send(
            Transport transport, UpstreamRequest request, long timeoutMs, String what) {
        if (transport == null) {
            return CompletableFuture.failedFuture(noTransport(what));
        }
        CompletableFuture<UpstreamResponse> sent;
        try {
            sent = transport.send(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<byte[]>> reading =
                new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<HttpReply> reply = sent.thenCompose(r -> {
            CompletableFuture<byte[]> body = r.readAll();
            reading.set(body);
            return body.thenApply(b -> new HttpReply(r.status(), r.headers(), b));
        });
        CompletableFuture<HttpReply> result = new CompletableFuture<>();
        reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e == null) {
                result.complete(r);
                return;
            }
            sent.cancel(true);
            if (reading.get() != null) {
                reading.get().cancel(true);
            }
            Throwable cause = unwrap(e);
            result.completeExceptionally(
                    cause instanceof TimeoutException
                            ? new TimeoutException(what + " call timed out after " + timeoutMs + " ms")
                            : cause);
        });
        return result;
    }

    /**
     * The body of an answer as {@code response.json()} reads it: JSON, or an {@link IllegalStateException}
     * naming {@code what} (an empty body is no JSON either).
     */
    static com.fasterxml.jackson.databind.JsonNode json(HttpReply reply, String what) {
        com.fasterxml.jackson.databind.JsonNode n = reply.body().length == 0
                ? null
                : JsonCandidates.parse(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
        if (n == null) {
            throw new IllegalStateException(what + " answer is not JSON");
        }
        return n;
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
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
