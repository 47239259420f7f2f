package dev.switchboard.internal.failure;

import java.util.Objects;

/**
 * One attempt's failure: its {@link FailureKind}, the {@code errorClass} string the trace shows,
 * and a message for a person (never a secret).
 *
 * <pre>{@code
 * Failure.of(FailureKind.NETWORK, "ConnectException: refused");  // errorClass "network"
 * Failure.httpStatus(503, false, "overloaded");                  // errorClass "http_503"
 * Failure.refused("budget_exceeded", "the budget of @team is spent");
 * }</pre>
 *
 * @param kind       what went wrong
 * @param errorClass the trace's error class, e.g. {@code timeout} or {@code http_503}
 * @param message    what happened, or null
 */
public record Failure(FailureKind kind, String errorClass, String message) {
    /**
     * Checks that kind and error class are set.
     *
     * @param kind       what went wrong
     * @param errorClass the trace's error class
     * @param message    what happened, or null
     */
    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(errorClass, "errorClass");
    }

    /**
     * A failure of a kind with a fixed error class.
     *
     * @param kind    the kind; one whose {@link FailureKind#errorClass()} is not null
     * @param message what happened
     * @return the failure
     * @throws IllegalArgumentException for a kind whose error class depends on the failure
     */
    public static Failure of(FailureKind kind, String message) {
        if (kind.errorClass() == null) {
            throw new IllegalArgumentException(kind + " needs its error class: use the factory for it");
        }
        return new Failure(kind, kind.errorClass(), message);
    }

    /**
     * The provider answered an error status.
     *
     * @param status     the status
     * @param overloaded the provider signalled overload beyond the status
     * @param message    the provider's error message, or null
     * @return a {@link FailureKind#HTTP_STATUS} or {@link FailureKind#OVERLOADED} failure, {@code http_<status>}
     */
    public static Failure httpStatus(int status, boolean overloaded, String message) {
        return new Failure(overloaded ? FailureKind.OVERLOADED : FailureKind.HTTP_STATUS, "http_" + status, message);
    }

    /**
     * Refused before the provider was called (limits, expiry, unknown key).
     *
     * @param type    the refusal's type, e.g. {@code rate_limit_exceeded}
     * @param message what refused the call
     * @return a {@link FailureKind#REFUSED} failure
     */
    public static Failure refused(String type, String message) {
        return new Failure(FailureKind.REFUSED, type, message);
    }

    /**
     * A stream failed with an error type: before its first event it is a broken stream (retried)
     * when the type is {@code stream_error}, else the provider's own error; after it, a cut stream.
     *
     * @param type    the error type as the pump or the provider's translator gave it
     * @param message what happened
     * @param started whether events already reached the caller
     * @return the failure, whose error class is {@code type}
     */
    public static Failure stream(String type, String message, boolean started) {
        FailureKind kind = started
                ? FailureKind.STREAM_CUT
                : FailureKind.STREAM_BROKEN.errorClass().equals(type)
                        ? FailureKind.STREAM_BROKEN
                        : FailureKind.NETWORK.errorClass().equals(type)
                                ? FailureKind.NETWORK
                                : FailureKind.TIMEOUT.errorClass().equals(type)
                                        ? FailureKind.TIMEOUT
                                        : FailureKind.PROVIDER_STREAM_ERROR;
        return new Failure(kind, type, message);
    }
}
