package dev.switchboard.api;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * An open Realtime API session through the gateway: a WebSocket to the target the config chose.
 * Client events go up with {@link #send} in the order they were sent; server events come to the
 * session's {@link RealtimeListener}. Usage of every {@code response.done} is priced and charged to
 * the target's virtual key as the session goes; the session's {@link #trace()} goes to the log
 * sinks once, when it ends. Thread-safe.
 *
 * <p>Close codes the gateway uses itself, besides the upstream's own: {@value #CLOSE_BUDGET_EXCEEDED}
 * (a budget ran out), {@value #CLOSE_TOKEN_LIMIT} (a token limit ran out), {@value #CLOSE_IDLE_TIMEOUT}
 * (nothing in either direction for the idle timeout), {@value #CLOSE_SESSION_TIMEOUT} (the session
 * reached its longest duration), {@value #CLOSE_GATEWAY_CLOSED} (the gateway was closed) and
 * {@value #CLOSE_ABNORMAL} (the upstream went away without a close frame).
 */
public interface RealtimeSession extends AutoCloseable {
    /** Normal closure: the client or the upstream ended the session. */
    int CLOSE_NORMAL = 1000;

    /** The gateway was closed while the session was open (WebSocket "going away"). */
    int CLOSE_GATEWAY_CLOSED = 1001;

    /** The upstream connection ended without a close frame (reported, never sent). */
    int CLOSE_ABNORMAL = 1006;

    /** A budget of the target's virtual key has no room for another response. */
    int CLOSE_BUDGET_EXCEEDED = 4412;

    /** A token limit of the target's virtual key has no room for another response. */
    int CLOSE_TOKEN_LIMIT = 4429;

    /** Nothing was sent in either direction for the idle timeout. */
    int CLOSE_IDLE_TIMEOUT = 4408;

    /** The session reached its longest allowed duration. */
    int CLOSE_SESSION_TIMEOUT = 4409;

    /**
     * Sends a client event upstream, after every event sent before it.
     *
     * @param jsonEvent a client event, e.g. {@code {"type":"response.create"}}; sent as given
     * @return completed once the event was handed to the connection; failed with
     *         {@link IllegalStateException} when the session has ended
     */
    CompletableFuture<Void> send(String jsonEvent);

    /**
     * Sends a binary message upstream, in order with {@link #send}.
     *
     * @param data the bytes; not read after the returned future completes
     * @return completed once the message was handed to the connection
     */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /**
     * Ends the session with a normal close (1000); idempotent. Responses still finishing upstream
     * are accounted until the upstream acknowledges the close.
     */
    @Override
    void close();

    /** {@return whether the session is still open (not closed by either side or the gateway)} */
    boolean isOpen();

    /** {@return the session's trace so far: the opening attempts, then one entry per response} */
    RequestTrace trace();

    /** {@return completed with the finished trace once the session has ended and was logged} */
    CompletableFuture<RequestTrace> ended();
}
