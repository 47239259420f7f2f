package dev.switchboard.api;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link GatewayResponse#throwIfError()} for a non-2xx answer. Carries the status and the
 * OpenAI error message (never credentials).
 */
public final class GatewayErrorException extends RuntimeException {
    /** The HTTP status of the answer. */
    private final int status;
    /** The error envelope's {@code type}; may be null. */
    private final String type;

    /**
     * Creates the exception; the message reads {@code HTTP <status> <type>: <message>}.
     *
     * @param status  the HTTP status
     * @param type    the error envelope's {@code type}; may be null
     * @param message the error envelope's {@code message}
     */
    public GatewayErrorException(int status, @Nullable String type, String message) {
        super("HTTP " + status + (type == null ? "" : " " + type) + ": " + message);
        this.status = status;
        this.type = type;
    }

    /** {@return the HTTP status of the answer} */
    public int status() {
        return status;
    }

    /** {@return the error envelope's {@code type}, e.g. {@code timeout_error}; may be null} */
    public @Nullable String type() {
        return type;
    }
}
