package dev.switchboard.spi;

/**
 * A provider adapter refuses a request it cannot build (missing option, unmappable body). The
 * gateway turns it into an OpenAI error answer with {@link #status()} as that target's failure.
 * The message must name the problem and never contain credentials.
 */
public class ProviderException extends RuntimeException {
    private final int status;
    private final String type;

    public ProviderException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    /** As {@link #ProviderException(int, String, String)}, keeping the failure that led to it. */
    public ProviderException(int status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    public ProviderException(String message) {
        this(400, "invalid_request_error", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
