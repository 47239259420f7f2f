package dev.switchboard.spi;

/**
 * A provider adapter refuses a request it cannot build (missing option, unmappable body). The
 * gateway turns it into an OpenAI error answer with {@link #status()} as that target's failure.
 * The message must name the problem and never contain credentials.
 */
public class ProviderException extends RuntimeException {
    /** The HTTP status the gateway answers with. */
    private final int status;
    /** The OpenAI error type, e.g. {@code invalid_request_error}. */
    private final String type;

    /**
     * A refusal with its own status and error type.
     *
     * @param status  the HTTP status to answer with
     * @param type    the OpenAI error type
     * @param message what is wrong, naming the field; no credentials
     */
    public ProviderException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    /**
     * As {@link #ProviderException(int, String, String)}, keeping the failure that led to it.
     *
     * @param status  the HTTP status to answer with
     * @param type    the OpenAI error type
     * @param message what is wrong, naming the field; no credentials
     * @param cause   the failure that led to it
     */
    public ProviderException(int status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    /**
     * A 400 {@code invalid_request_error}: the request cannot be expressed for this provider.
     *
     * @param message what is wrong, naming the field; no credentials
     */
    public ProviderException(String message) {
        this(400, "invalid_request_error", message);
    }

    /** {@return the HTTP status the gateway answers with} */
    public int status() {
        return status;
    }

    /** {@return the OpenAI error type, e.g. {@code invalid_request_error}} */
    public String type() {
        return type;
    }
}
