package dev.switchboard.api;

/**
 * Thrown by {@link GatewayResponse#throwIfError()} for a non-2xx answer. Carries the status and the
 * OpenAI error message (never credentials).
 */
public final class GatewayErrorException extends RuntimeException {
    private final int status;
    private final String type;

    public GatewayErrorException(int status, String type, String message) {
        super("HTTP " + status + (type == null ? "" : " " + type) + ": " + message);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The error envelope's {@code type}, e.g. {@code timeout_error}; may be null. */
    public String type() {
        return type;
    }
}
