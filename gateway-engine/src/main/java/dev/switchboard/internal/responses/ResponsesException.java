package dev.switchboard.internal.responses;

/**
 * A Responses API request a translated target cannot serve (a built-in tool, a stored file, an
 * unknown {@code previous_response_id}). The message names the field and what was found; the
 * engine adds the target and turns it into that target's 400 failure, so a fallback moves on.
 */
public final class ResponsesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem with the given message (no secrets: it quotes only field names and ids). */
    public ResponsesException(String message) {
        super(message);
    }
}
