package dev.switchboard.providers.bedrock;

/** An event-stream frame is corrupt: a checksum mismatch, an impossible length or a malformed header. */
public final class EventStreamException extends RuntimeException {
    public EventStreamException(String message) {
        super(message);
    }
}
