package dev.switchboard.internal.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * The verdict of {@link LimitEnforcer#admit}: granted with a {@link Reservation} to settle later, or
 * refused with the status to answer (429 rate/token limit, 412 budget, 401 expired key) and an
 * OpenAI error body whose message names the key and the limit. A refused request is never sent.
 *
 * @param retryAfter for rate and token limits, the time until the window resets
 */
public record Admission(Reservation reservation, int status, ObjectNode error, Duration retryAfter) {
    public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
    public static final String BUDGET_EXCEEDED = "budget_exceeded";
    /** A budget applies but the model has no price, so the request's cost cannot be bounded. */
    public static final String BUDGET_UNENFORCEABLE = "budget_unenforceable";

    public static final String EXPIRED_KEY = "expired_key";

    static Admission granted(Reservation r) {
        return new Admission(r, 200, null, null);
    }

    static Admission refused(int status, ObjectNode error, Duration retryAfter) {
        return new Admission(null, status, error, retryAfter);
    }

    public boolean granted() {
        return reservation != null;
    }

    /** The refusal message; empty when granted. */
    public Optional<String> message() {
        return error == null
                ? Optional.empty()
                : Optional.of(error.path("error").path("message").asText());
    }

    /** The refusal's error type ({@link #RATE_LIMIT_EXCEEDED}, …); empty when granted. */
    public Optional<String> type() {
        return error == null
                ? Optional.empty()
                : Optional.of(error.path("error").path("type").asText());
    }

    public Optional<Duration> retryAfterDuration() {
        return Optional.ofNullable(retryAfter);
    }
}
