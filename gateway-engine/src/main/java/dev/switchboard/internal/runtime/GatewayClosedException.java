package dev.switchboard.internal.runtime;

/**
 * The gateway was closed: thrown by {@code execute}, {@code executeAsync} and {@code explain} after
 * {@code close()}, and used inside the engine to end a request that would otherwise start a new
 * attempt after it (the caller then gets a 503 {@code gateway_closed} answer).
 */
final class GatewayClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The one message: {@code "gateway is closed"}. */
    GatewayClosedException() {
        super("gateway is closed");
    }
}
