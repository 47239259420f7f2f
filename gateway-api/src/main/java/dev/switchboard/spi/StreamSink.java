package dev.switchboard.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;

/** Where a {@link StreamTranslator} delivers OpenAI events; the gateway forwards each at once. */
public interface StreamSink {
    /**
     * Delivers one OpenAI stream object.
     *
     * @param chunk a {@code chat.completion.chunk} (or other OpenAI stream object)
     */
    void emit(ObjectNode chunk);

    /**
     * Delivers an already-serialised event, passed through untouched (OpenAI-format upstreams).
     *
     * @param event the event as the upstream sent it
     */
    void emitRaw(ServerSentEvent event);

    /**
     * The provider reported an error mid-stream (or the stream broke its own protocol). The gateway
     * ends the caller's stream with {@code data: {"error":{...}}} and records the attempt as failed.
     *
     * @param type    the OpenAI error type
     * @param message what went wrong; no credentials
     */
    void fail(String type, String message);

    /**
     * True once nobody wants more events: the caller closed the stream, or the attempt timed out
     * before the first event. An in-process provider that generates for long checks it and stops;
     * events emitted afterwards are dropped. Translators of HTTP streams need not look.
     *
     * @return true once further events would be dropped; the default implementation always answers false
     */
    default boolean isCancelled() {
        return false;
    }
}
