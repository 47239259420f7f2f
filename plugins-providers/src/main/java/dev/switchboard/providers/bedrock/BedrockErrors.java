package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderReply;
import java.util.Set;

/**
 * Bedrock error answers ({@code {"message": "..."}} plus {@code x-amzn-ErrorType:
 * ThrottlingException:http://...}) → the OpenAI envelope with the status kept and the AWS error
 * name in {@code code}. Throttling, model-not-ready, service-unavailable and internal-server errors
 * are flagged {@code overloaded} so the gateway retries them like 429/503.
 */
final class BedrockErrors {
    private static final Set<String> OVERLOADED = Set.of(
            "ThrottlingException", "ModelNotReadyException", "ServiceUnavailableException", "InternalServerException");

    private BedrockErrors() {}

    static ProviderReply translate(HttpReply reply) {
        String errorType = errorType(reply);
        ObjectNode json = UpstreamJson.parseObject(reply.body());
        String message;
        if (json != null) {
            JsonNode m = json.hasNonNull("message") ? json.get("message") : json.get("Message");
            message = m != null && m.isTextual() && !m.asText().isBlank()
                    ? m.asText()
                    : UpstreamJson.excerpt(reply.body());
        } else {
            message = UpstreamJson.excerpt(reply.body());
        }
        if (message.isEmpty()) {
            message = (errorType == null ? "HTTP " + reply.status() : errorType);
        }
        ObjectNode body =
                ErrorBody.provider("bedrock", message, OpenAiErrors.typeForStatus(reply.status()), null, errorType);
        return new ProviderReply(reply.status(), body, errorType != null && OVERLOADED.contains(errorType));
    }

    /** {@code ThrottlingException} from the header (text before the first ':') or from a {@code __type} body field. */
    static String errorType(HttpReply reply) {
        String header = reply.header("x-amzn-errortype").orElse(null);
        String type = header;
        if (type == null || type.isBlank()) {
            ObjectNode json = UpstreamJson.parseObject(reply.body());
            type = json == null ? null : json.path("__type").asText(null);
        }
        if (type == null || type.isBlank()) {
            return null;
        }
        int colon = type.indexOf(':');
        if (colon >= 0) {
            type = type.substring(0, colon);
        }
        int hash = type.lastIndexOf('#');
        return hash >= 0 ? type.substring(hash + 1) : type.trim();
    }
}
