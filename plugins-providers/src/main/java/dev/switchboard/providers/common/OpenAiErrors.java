package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderReply;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns any provider error answer into the OpenAI error envelope, keeping the upstream status.
 * Understands {@code {"error":{message,type,param,code}}} (OpenAI family, Azure, OpenRouter with an
 * integer code), {@code {"error":"text"}} (Ollama), {@code {"message":...}} (Cohere, Bedrock,
 * Mistral), {@code {"detail":...}} (FastAPI validation, string or list) and non-JSON text (HTML
 * from a proxy). Extra fields of an upstream {@code error} object (Azure {@code innererror},
 * OpenRouter {@code metadata}) are kept.
 *
 * <pre>{@code
 * ProviderReply r = OpenAiErrors.normalize("cohere", new HttpReply(429, Map.of(), body));
 * // r.status() == 429, r.body() == {"error":{"message":"cohere error: ...","type":"rate_limit_error",...},"provider":"cohere"}
 * }</pre>
 */
public final class OpenAiErrors {
    /** Status used when a provider answered 2xx with something that is not a usable answer. */
    public static final int INVALID_RESPONSE_STATUS = 502;

    private static final int MAX_TEXT = 500;

    private OpenAiErrors() {}

    /** The normalised error reply for a non-2xx upstream answer. */
    public static ProviderReply normalize(String providerId, HttpReply reply) {
        return new ProviderReply(reply.status(), envelope(providerId, reply.status(), reply.body()), false);
    }

    /** The OpenAI envelope for an error body of any shape. */
    public static ObjectNode envelope(String providerId, int status, byte[] body) {
        JsonNode json = UpstreamJson.parse(body);
        if (json == null || !json.isObject()) {
            String text = clip(new String(body, java.nio.charset.StandardCharsets.UTF_8).strip());
            return ErrorBody.provider(
                    providerId, text.isEmpty() ? "HTTP " + status : text, typeForStatus(status), null, null);
        }
        JsonNode err = json.get("error");
        if (err != null && err.isObject()) {
            ObjectNode out = ErrorBody.provider(
                    providerId,
                    messageOf(err, status),
                    textOr(err.get("type"), typeForStatus(status)),
                    textOr(err.get("param"), null),
                    textOr(err.get("code"), null));
            ObjectNode outErr = (ObjectNode) out.get("error");
            for (Iterator<Map.Entry<String, JsonNode>> it = err.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!outErr.has(f.getKey())) {
                    outErr.set(f.getKey(), f.getValue());
                }
            }
            return out;
        }
        String message;
        if (err != null && err.isTextual()) {
            message = err.asText();
        } else {
            message = messageOf(json, status);
        }
        return ErrorBody.provider(
                providerId,
                message,
                textOr(json.get("type"), typeForStatus(status)),
                null,
                textOr(json.get("code"), null));
    }

    /** A 502 reply for a 2xx answer that could not be used; {@code why} names the problem. */
    public static ProviderReply invalidResponse(String providerId, String why) {
        return new ProviderReply(
                INVALID_RESPONSE_STATUS,
                ErrorBody.provider(
                        providerId, "invalid response: " + why, "api_error", null, "invalid_provider_response"),
                false);
    }

    /** A reply with a gateway-chosen status for a 2xx answer that reports a failed generation. */
    public static ProviderReply generationFailed(String providerId, int status, String why) {
        return new ProviderReply(
                status, ErrorBody.provider(providerId, why, "api_error", null, "provider_generation_error"), false);
    }

    /** The OpenAI error {@code type} conventionally used for an HTTP status. */
    public static String typeForStatus(int status) {
        return switch (status) {
            case 400, 404, 409, 413, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "insufficient_quota";
            case 403 -> "permission_error";
            case 408, 504 -> "timeout_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /** Reads a message from {@code message}/{@code msg}/{@code detail} (string or FastAPI list), or the JSON itself. */
    static String messageOf(JsonNode obj, int status) {
        JsonNode m = obj.get("message");
        if (m == null || m.isNull()) {
            m = obj.get("Message");
        }
        if (m != null && m.isTextual() && !m.asText().isBlank()) {
            return m.asText();
        }
        JsonNode detail = obj.get("detail");
        if (detail != null && detail.isTextual()) {
            return detail.asText();
        }
        if (detail != null && detail.isArray() && !detail.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode d : detail) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                JsonNode loc = d.get("loc");
                if (loc != null && loc.isArray()) {
                    StringBuilder path = new StringBuilder();
                    loc.forEach(p -> path.append(path.length() == 0 ? "" : ".").append(p.asText()));
                    sb.append(path).append(": ");
                }
                sb.append(d.path("msg").asText(d.toString()));
            }
            return sb.toString();
        }
        String text = obj.isEmpty() ? "" : clip(Json.text(obj));
        return text.isEmpty() ? "HTTP " + status : text;
    }

    private static String textOr(JsonNode n, String fallback) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return fallback;
        }
        String s = n.asText();
        return s.isBlank() ? fallback : s;
    }

    private static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }
}
