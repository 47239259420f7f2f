package dev.switchboard.providers.bedrock;

import java.util.List;

/**
 * One decoded AWS event-stream message ({@code application/vnd.amazon.eventstream}) with its framing
 * fields, so tests can compare every one of them with the reference vectors.
 *
 * <pre>{@code
 * String type = message.header(":event-type");     // "contentBlockDelta"
 * JsonNode event = Json.parse(message.payload());
 * }</pre>
 */
public record EventStreamMessage(
        int totalLength,
        int headersLength,
        int preludeCrc,
        int messageCrc,
        List<EventStreamHeader> headers,
        byte[] payload) {
    public EventStreamMessage {
        headers = List.copyOf(headers);
    }

    /** The text of the first header called {@code name}, or null. */
    public String header(String name) {
        for (EventStreamHeader h : headers) {
            if (h.name().equals(name)) {
                return h.asText();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "EventStreamMessage{" + totalLength + " bytes, headers=" + headers.size() + ", payload=" + payload.length
                + "}";
    }
}
