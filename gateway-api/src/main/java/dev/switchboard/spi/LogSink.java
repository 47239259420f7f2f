package dev.switchboard.spi;

import dev.switchboard.api.RequestTrace;

/**
 * Receives the finished trace of every request (after its stream ended, for streams). Called on a
 * gateway thread: implementations must be fast and thread-safe; an exception is logged and ignored.
 */
@FunctionalInterface
public interface LogSink {
    /**
     * Receives one finished request.
     *
     * @param trace what the gateway did; {@link RequestTrace#finished()} is true
     */
    void log(RequestTrace trace);
}
