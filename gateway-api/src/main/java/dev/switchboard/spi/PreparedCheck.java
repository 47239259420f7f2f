package dev.switchboard.spi;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A check bound to one validated set of parameters: made once by {@link GuardrailCheck#prepare} when
 * the gateway is built, then run for every request that reaches its hook. It holds what was parsed
 * (a compiled regex, a schema, a URL) so nothing is parsed per request. One instance serves
 * concurrent requests, so it must be thread-safe (immutable state is).
 *
 * <pre>{@code
 * Pattern rule = Pattern.compile(...);                         // in prepare: once
 * return context -> CheckOutcome.of(rule.matcher(context.text()).find(), null);   // per request
 * }</pre>
 */
@FunctionalInterface
public interface PreparedCheck {
    /**
     * Evaluates the check for one request; throwing means "errored" (fail-open unless {@code failOnError}).
     *
     * @param context the request (and, after the call, the response) the check looks at
     * @return the verdict, and a transformed body for mutators
     * @throws Exception when the check cannot decide: "errored", fail-open unless {@code failOnError}
     */
    CheckOutcome check(CheckContext context) throws Exception;

    /**
     * Asynchronous variant for checks that call out; defaults to {@link #check}.
     *
     * @param context the request (and, after the call, the response) the check looks at
     * @return the outcome, or a failed stage meaning "errored"
     */
    default CompletionStage<CheckOutcome> checkAsync(CheckContext context) {
        try {
            return CompletableFuture.completedFuture(check(context));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A prepared check written asynchronously (webhooks, JWKS look-ups): {@link #checkAsync} runs
     * {@code run}, and the blocking {@link #check} waits for it and throws its failure unwrapped.
     *
     * @param run the asynchronous check; a {@code RuntimeException} it throws becomes a failed stage
     * @return the prepared check
     * @throws NullPointerException when {@code run} is null
     */
    static PreparedCheck async(Function<CheckContext, CompletionStage<CheckOutcome>> run) {
        Objects.requireNonNull(run, "run");
        return new PreparedCheck() {
            @Override
            public CheckOutcome check(CheckContext context) throws Exception {
                try {
                    return checkAsync(context).toCompletableFuture().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    while ((cause instanceof java.util.concurrent.CompletionException
                                    || cause instanceof ExecutionException)
                            && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    if (cause instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                }
            }

            @Override
            public CompletionStage<CheckOutcome> checkAsync(CheckContext context) {
                try {
                    return run.apply(context);
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
    }
}
