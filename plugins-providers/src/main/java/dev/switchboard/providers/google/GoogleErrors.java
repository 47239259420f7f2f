package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;

/**
 * Normalises a Google error ({@code {"error":{code,message,status,details}}}, sometimes wrapped in a
 * one-element array) into the OpenAI envelope, keeping the HTTP status; the canonical Google status
 * ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}…) becomes {@code error.code}.
 *
 * <pre>{@code
 * ProviderReply r = GoogleErrors.translate(call, reply); // 429 → code "RESOURCE_EXHAUSTED"
 * }</pre>
 */
final class GoogleErrors {
    private GoogleErrors() {}

    static ProviderReply translate(ProviderCall call, HttpReply reply) {
        byte[] body = reply.body();
        JsonNode parsed = UpstreamJson.parse(body);
        if (parsed != null && parsed.isArray() && !parsed.isEmpty()) {
            parsed = parsed.get(0);
            body = Json.bytes(parsed);
        }
        ObjectNode envelope = OpenAiErrors.envelope(call.providerId(), reply.status(), body);
        String status =
                parsed == null ? null : parsed.path("error").path("status").asText(null);
        if (status != null) {
            ((ObjectNode) envelope.get("error")).put("code", status);
        }
        return ProviderReply.of(reply.status(), envelope);
    }
}
