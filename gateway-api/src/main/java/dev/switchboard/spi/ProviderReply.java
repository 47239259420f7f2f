package dev.switchboard.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A provider answer translated to the OpenAI format: a {@code chat.completion} (or embeddings list,
 * …) for success, the OpenAI error envelope with the upstream status kept for failures.
 *
 * @param overloaded true when the provider signalled overload/throttling in its own way (Anthropic
 *                   529, Bedrock {@code ThrottlingException}); the gateway retries it like 429/503
 */
public record ProviderReply(int status, ObjectNode body, boolean overloaded) {
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
