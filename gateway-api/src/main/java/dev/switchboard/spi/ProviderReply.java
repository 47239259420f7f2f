package dev.switchboard.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Body;
import dev.switchboard.api.BytesBody;
import dev.switchboard.api.StreamedBody;

/**
 * A provider answer translated to the OpenAI format: a {@code chat.completion} (or embeddings list,
 * …) for success, the OpenAI error envelope with the upstream status kept for failures.
 *
 * @param overloaded true when the provider signalled overload/throttling in its own way (Anthropic
 *                   529, Bedrock {@code ThrottlingException}); the gateway retries it like 429/503
 * @param binary     a non-JSON answer (text-to-speech audio): bytes, or a {@link StreamedBody} the caller
 *                   reads as it arrives; null for a JSON answer ({@code body} is then the answer)
 */
public record ProviderReply(int status, ObjectNode body, boolean overloaded, Body binary) {
    /**
     * Checks that a binary answer is bytes or streamed bytes.
     *
     * @param status     the status
     * @param body       the OpenAI-format body; null for a binary answer
     * @param overloaded whether the provider signalled overload
     * @param binary     the binary answer, or null
     */
    public ProviderReply {
        if (binary != null && !(binary instanceof BytesBody) && !(binary instanceof StreamedBody)) {
            throw new IllegalArgumentException("a binary answer is a BytesBody or a StreamedBody, found " + binary);
        }
    }

    /**
     * A JSON answer.
     *
     * @param status     the status
     * @param body       the OpenAI-format body
     * @param overloaded whether the provider signalled overload
     */
    public ProviderReply(int status, ObjectNode body, boolean overloaded) {
        this(status, body, overloaded, null);
    }

    /**
     * A binary answer passed to the caller as is (e.g. {@code reply.streamedBody()} of an audio download).
     *
     * @param status the upstream status
     * @param binary bytes, or a download the caller reads as it arrives
     * @return the reply
     */
    public static ProviderReply binary(int status, Body binary) {
        return new ProviderReply(status, null, false, java.util.Objects.requireNonNull(binary, "binary"));
    }

    /**
     * A 200 answer.
     *
     * @param body the OpenAI-format body
     * @return the reply
     */
    public static ProviderReply ok(ObjectNode body) {
        return new ProviderReply(200, body, false);
    }

    /**
     * An answer with the given status, not marked as overload.
     *
     * @param status the upstream status, kept
     * @param body   the OpenAI-format body (the error envelope for failures)
     * @return the reply
     */
    public static ProviderReply of(int status, ObjectNode body) {
        return new ProviderReply(status, body, false);
    }
}
