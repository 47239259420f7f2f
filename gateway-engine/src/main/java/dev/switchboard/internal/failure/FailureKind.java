package dev.switchboard.internal.failure;

/**
 * What went wrong with one attempt, as the retry loop, the fallback strategy, a stream and the
 * trace need to know it. Each kind says whether it is retried whatever the config's status list
 * says ({@link #retryable()}), whether a fallback moves on from it whatever its status list says
 * ({@link #movesOn()}), and which {@code errorClass} string the trace shows for it (those strings
 * are part of the product: tests, the README and log pipelines read them).
 *
 * <pre>{@code
 * Failure f = Failure.of(FailureKind.TIMEOUT, "no answer within 150 ms");
 * f.errorClass();        // "timeout"
 * f.kind().retryable();  // true
 * }</pre>
 */
public enum FailureKind {
    /** The provider could not be reached, or the connection broke before an answer (502). */
    NETWORK("network", true, false),
    /** No answer (for a stream: no first event) within the request timeout (408). */
    TIMEOUT("timeout", true, false),
    /** A stream failed before its first event: it ended empty or broke its protocol (502). */
    STREAM_BROKEN("stream_error", true, false),
    /**
     * A stream broke after events reached the caller (the trace shows {@code stream_cut}, or the
     * error type the provider reported mid-stream); nothing can be retried any more.
     */
    STREAM_CUT("stream_cut", false, false),
    /** The provider reported an error type in its stream before the first event (502). */
    PROVIDER_STREAM_ERROR(null, false, false),
    /** The provider answered an error status ({@code http_<status>}); retried by the status list. */
    HTTP_STATUS(null, false, false),
    /**
     * The provider answered an error status and signalled overload beyond it ({@code http_<status>});
     * retried when the status list has 429 or 503.
     */
    OVERLOADED(null, false, false),
    /** The provider adapter refused to build the request (a {@code ProviderException}). */
    INVALID_REQUEST("invalid_request", false, false),
    /** The provider's answer could not be translated to the OpenAI format (502). */
    TRANSLATION("translation_error", false, false),
    /** An in-process provider threw or answered nothing (500). */
    PROVIDER_CRASH("provider_error", false, true),
    /**
     * Refused before the provider was called: a virtual key's budget, rate limit or expiry, or an
     * unknown virtual key (the trace shows the refusal's type).
     */
    REFUSED(null, false, true),
    /** The target's circuit is open (503). */
    CIRCUIT_OPEN("circuit_open", false, true),
    /** A guardrail with {@code deny} failed (446). */
    GUARDRAIL_DENY("hooks_failed", false, false),
    /** The gateway was closed before this attempt could start (503). */
    CLOSED("gateway_closed", false, false),
    /** The target's provider does not serve the request's endpoint (400). */
    UNSUPPORTED("unsupported_endpoint", false, true),
    /** No condition of a conditional strategy matched and there is no default (400). */
    NO_ROUTE("no_route", false, true),
    /**
     * A stream went silent after its first event for longer than its {@code stream_idle_timeout};
     * it ends with an error event, nothing can be retried any more.
     */
    STREAM_IDLE("stream_idle_timeout", false, false),
    /**
     * An answer or a stream event exceeded the gateway's size cap ({@code Gateway.Builder.maxAnswerBytes},
     * {@code maxEventBytes}); not retried — the same request would get the same answer.
     */
    TOO_LARGE("answer_too_large", false, false),
    /** The caller closed the stream before it ended, or cancelled the request. */
    CANCELLED("cancelled", false, false),
    /** A bug or a missing adapter inside the gateway (500). */
    INTERNAL("gateway_error", false, true);

    private final String errorClass;
    private final boolean retryable;
    private final boolean movesOn;

    FailureKind(String errorClass, boolean retryable, boolean movesOn) {
        this.errorClass = errorClass;
        this.retryable = retryable;
        this.movesOn = movesOn;
    }

    /**
     * The trace's {@code errorClass} for this kind, or null when it depends on the failure (an HTTP
     * status, a refusal's type, a provider's error type): then the {@link Failure} carries it.
     *
     * @return the fixed error class, or null
     */
    public String errorClass() {
        return errorClass;
    }

    /**
     * Whether a retry loop retries this kind whatever its {@code on_status_codes} list says (a
     * statuses never retried, 400/401/403/404/422, still are not).
     *
     * @return true for network errors, timeouts and streams that broke before their first event
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Whether this is a gateway-side failure of the target: a fallback moves on whatever its status
     * list says, and the retry loop does not retry it.
     *
     * @return true for refusals, open circuits, unsupported endpoints, crashes and internal errors
     */
    public boolean movesOn() {
        return movesOn;
    }
}
