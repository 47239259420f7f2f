package dev.switchboard.internal.runtime;

import dev.switchboard.internal.config.RetrySettings;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.spi.Sleeper;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * Calls the rest of the chain once per attempt and decides whether to try again (reference §2.3 with
 * our decisions): a status in {@code on_status_codes}, a provider overload signal, a network error
 * or a timeout is retried while attempts remain; 400/401/403/404/422 never are. The wait is the
 * backoff, or the provider's {@code Retry-After} when {@code use_retry_after_header} is on; the
 * waits of one leaf never add up to more than 60 s. Waiting is scheduled by the {@code Sleeper}:
 * no thread sleeps, and the next attempt starts on the request's executor, never on the thread
 * that ended the wait (the timer's). Every attempt is recorded in the trace (a stream's when it
 * ends, by wrapping it on the way back); a cache hit sent through the chain is recorded, never retried.
 */
final class RetryStage implements LeafStage {
    static final long MAX_TOTAL_WAIT_MS = 60_000;
    private static final Set<Integer> NEVER_RETRIED = Set.of(400, 401, 403, 404, 422);

    private final Sleeper sleeper;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RandomGenerator random;
    private final AttemptRecorder recorder;

    RetryStage(Sleeper sleeper, Scheduler scheduler, Clock clock, RandomGenerator random, AttemptRecorder recorder) {
        this.sleeper = sleeper;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.recorder = recorder;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        return attempt(chain, chain.call(), 0, 0);
    }

    private CompletableFuture<LeafResult> attempt(LeafChain chain, LeafCall call, int k, long waitedMs) {
        LeafCall thisTry = k == 0 ? call : call.withRetry(k);
        return chain.proceed(thisTry).thenCompose(answer -> {
            LeafResult r = recorder.record(thisTry, answer);
            if (call.served != null) {
                return CompletableFuture.completedFuture(r); // a cache hit is never retried
            }
            RetrySettings retry = call.target.settings().retry();
            if (!shouldRetry(retry, r) || call.request.cancellation.isCancelled()) {
                recorder.retryOutcome(call, k);
                return CompletableFuture.completedFuture(r);
            }
            if (k >= retry.attempts()) {
                recorder.retryOutcome(call, retry.attempts() > 0 ? -1 : 0);
                return CompletableFuture.completedFuture(r);
            }
            long wait = delayMs(retry, r, k + 1);
            if (wait < 0 || waitedMs + wait > MAX_TOTAL_WAIT_MS) {
                // the provider asks for longer than we may wait: give its answer back now
                recorder.retryOutcome(call, -1);
                return CompletableFuture.completedFuture(r);
            }
            // closing the gateway ends the wait at once, and no retry starts after it
            CompletableFuture<Void> waited = scheduler.untilClosed(sleeper.sleep(java.time.Duration.ofMillis(wait)));
            // a cancelled request (or the losing side of a hedge) does not sit out its backoff
            Runnable stopWaiting = () -> waited.complete(null);
            call.request.cancellation.onCancel(stopWaiting);
            waited.whenComplete((v, e) -> call.request.cancellation.clear(stopWaiting));
            java.util.function.BiFunction<Void, Throwable, LeafResult> afterWait = (v, e) -> {
                if (e != null && !(ProviderCallStage.unwrap(e) instanceof GatewayClosedException)) {
                    throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                }
                if (e == null && call.request.cancellation.isCancelled()) {
                    recorder.retryOutcome(call, -1);
                    return r; // cancelled while waiting: no further attempt
                }
                return e == null && !scheduler.isClosed() ? null : closed(call, r);
            };
            // the wait ends on the sleeper's thread (the timer's, by default): the request goes on on its own
            return (waited.isDone() ? waited.handle(afterWait) : waited.handleAsync(afterWait, call.request.executor))
                    .thenCompose(closed -> closed != null
                            ? CompletableFuture.completedFuture(closed)
                            : attempt(chain, call, k + 1, waitedMs + wait));
        });
    }

    /** The answer of a retry the closing gateway prevented; the wait's own failure is not the story. */
    private LeafResult closed(LeafCall call, LeafResult last) {
        recorder.retryOutcome(call, -1);
        return LeafResult.closed(last.provider(), last.model());
    }

    static boolean shouldRetry(RetrySettings retry, LeafResult r) {
        if (retry.attempts() <= 0
                || r.moveOn()
                || (r.failure() != null && r.failure().kind() == FailureKind.CANCELLED)) {
            return false;
        }
        return retryableOutcome(retry, r);
    }

    private static boolean retryableOutcome(RetrySettings retry, LeafResult r) {
        if (r.isSuccess() && !retry.onStatusCodes().contains(r.status())) {
            return false;
        }
        if (NEVER_RETRIED.contains(r.status())) {
            return false;
        }
        Failure f = r.failure();
        if (f != null && f.kind().retryable()) {
            return true;
        }
        if (f != null
                && f.kind() == FailureKind.OVERLOADED
                && (retry.onStatusCodes().contains(429) || retry.onStatusCodes().contains(503))) {
            return true;
        }
        return retry.onStatusCodes().contains(r.status());
    }

    /** Wait before retry {@code k}; -1 when a Retry-After value is beyond the 60 s budget. */
    private long delayMs(RetrySettings retry, LeafResult r, int k) {
        if (retry.useRetryAfterHeader()) {
            OptionalLong ra = RetryAfter.millis(r.headers(), clock);
            if (ra.isPresent()) {
                return ra.getAsLong() >= MAX_TOTAL_WAIT_MS ? -1 : ra.getAsLong();
            }
        }
        long base = retry.backoff().baseDelayMs(k);
        double jitter = retry.backoff().jitter();
        if (jitter > 0) {
            double f = 1 + (random.nextDouble() * 2 - 1) * jitter;
            base = Math.max(0, Math.round(base * f));
        }
        return base;
    }
}
