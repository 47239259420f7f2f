package dev.switchboard.api;

import java.nio.ByteBuffer;

/**
 * Receives what the upstream of a {@link RealtimeSession} sends, in the order it was sent. Calls
 * are made one at a time (never concurrently) on a gateway thread; the next upstream message is
 * read only after {@link #onEvent} returned, so a slow listener slows the upstream down rather
 * than filling memory. {@link #onClose} is the last call, exactly once per opened session.
 *
 * <pre>{@code
 * RealtimeListener listener = new RealtimeListener() {
 *     public void onEvent(String json) { System.out.println(json); }
 *     public void onClose(int code, String reason) { System.out.println("closed " + code); }
 * };
 * }</pre>
 */
public interface RealtimeListener {
    /**
     * A server event (a whole text message; fragments are joined), as the upstream sent it, or a
     * gateway event in OpenAI's realtime error shape ({@code {"type":"error","error":{"type":
     * "budget_exceeded", ...}}}) just before the gateway ends the session.
     *
     * @param json the event's JSON text
     */
    void onEvent(String json);

    /**
     * A binary message from the upstream, passed through as it came (OpenAI's protocol sends none).
     *
     * @param data the message's bytes; read them before returning
     */
    default void onBinary(ByteBuffer data) {}

    /**
     * The session ended; nothing more will be delivered. The code is the upstream's close code, or
     * one of the gateway's ({@link RealtimeSession#CLOSE_BUDGET_EXCEEDED}, …, 1006 when the upstream
     * went away without a close frame).
     *
     * @param code   the WebSocket close code
     * @param reason why, for a person; never a secret
     */
    default void onClose(int code, String reason) {}

    /**
     * The session failed (the upstream dropped the connection, a send failed); {@link #onClose}
     * follows.
     *
     * @param error what went wrong; its message never holds a secret
     */
    default void onError(Throwable error) {}
}
