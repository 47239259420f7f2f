package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderReply;
import java.util.function.Function;

/**
 * Translation of complete answers from providers that already answer in OpenAI's format: an error
 * status is normalised ({@link OpenAiErrors}); a 2xx JSON object is returned (after an optional
 * in-place fix); a 2xx that is not a JSON object, or that is an error object, becomes a 502; one
 * whose fix reports a failed generation becomes the error the fix names (502, or 503 for a provider
 * out of capacity).
 *
 * <pre>{@code
 * return OpenAiFormatReplies.translate("openai", reply, null);
 * }</pre>
 */
public final class OpenAiFormatReplies {
    private OpenAiFormatReplies() {}

    /**
     * @param fixer optional in-place fix of a successful body; returns null, or the failure that turns
     *              the answer into an error with its status (e.g. a choice that reports a failed generation)
     */
    public static ProviderReply translate(
            String providerId, HttpReply reply, Function<ObjectNode, ChatCompletionShape.Failure> fixer) {
        if (!reply.isSuccess()) {
            return OpenAiErrors.normalize(providerId, reply);
        }
        ObjectNode body = UpstreamJson.parseObject(reply.body());
        if (body == null) {
            return OpenAiErrors.invalidResponse(
                    providerId, "expected a JSON object, got: " + UpstreamJson.excerpt(reply.body()));
        }
        JsonNode err = body.get("error");
        if (err != null && !err.isNull() && !body.has("choices") && !body.has("data")) {
            ObjectNode envelope = OpenAiErrors.envelope(providerId, OpenAiErrors.INVALID_RESPONSE_STATUS, reply.body());
            return ProviderReply.of(OpenAiErrors.INVALID_RESPONSE_STATUS, envelope);
        }
        if (fixer != null) {
            ChatCompletionShape.Failure failure = fixer.apply(body);
            if (failure != null) {
                return OpenAiErrors.generationFailed(providerId, failure.status(), failure.message());
            }
        }
        return ProviderReply.ok(body);
    }
}
