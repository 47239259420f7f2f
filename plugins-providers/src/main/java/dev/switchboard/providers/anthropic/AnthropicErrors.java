package dev.switchboard.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;

/**
 * Normalises an Anthropic error answer ({@code {"type":"error","error":{type,message}}}, or the
 * Google envelope Vertex AI puts in front of Claude) into the OpenAI envelope, keeping the status.
 * 529 {@code overloaded_error} is flagged as overloaded so the gateway retries it like 503.
 *
 * <pre>{@code
 * ProviderReply r = AnthropicErrors.translate(call, reply); // 529 → overloaded=true
 * }</pre>
 */
public final class AnthropicErrors {
    private AnthropicErrors() {}

    public static ProviderReply translate(ProviderCall call, HttpReply reply) {
        byte[] body = reply.body();
        JsonNode parsed = UpstreamJson.parse(body);
        if (parsed != null && parsed.isArray() && !parsed.isEmpty()) {
            // Vertex AI sometimes wraps its Google error in a one-element array.
            body = Json.bytes(parsed.get(0));
            parsed = parsed.get(0);
        }
        String upstreamType =
                parsed == null ? null : parsed.path("error").path("type").asText(null);
        boolean overloaded = reply.status() == 529 || "overloaded_error".equals(upstreamType);
        return new ProviderReply(
                reply.status(), OpenAiErrors.envelope(call.providerId(), reply.status(), body), overloaded);
    }
}
