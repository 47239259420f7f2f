package dev.switchboard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Builds the OpenAI error envelope {@code {"error":{"message","type","param","code"}}} that every
 * gateway-produced and every normalised provider error uses.
 */
public final class ErrorBody {
    private ErrorBody() {}

    /**
     * The envelope; null fields are written as JSON {@code null}, as OpenAI does.
     *
     * @param message what went wrong, for a person
     * @param type    error type, e.g. {@code invalid_request_error}; may be null
     * @param param   the request field at fault; may be null
     * @param code    machine-readable code; may be null
     * @return {@code {"error":{...}}}
     */
    public static ObjectNode of(String message, @Nullable String type, @Nullable String param, @Nullable String code) {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("message", message);
        if (type == null) {
            err.putNull("type");
        } else {
            err.put("type", type);
        }
        if (param == null) {
            err.putNull("param");
        } else {
            err.put("param", param);
        }
        if (code == null) {
            err.putNull("code");
        } else {
            err.put("code", code);
        }
        return root;
    }

    /**
     * A provider error: the envelope with the message prefixed by the provider, plus {@code "provider": id}.
     *
     * @param providerId the provider that answered, e.g. {@code anthropic}
     * @param message    the provider's message
     * @param type       error type; may be null
     * @param param      the request field at fault; may be null
     * @param code       machine-readable code; may be null
     * @return {@code {"error":{...},"provider":"..."}}
     */
    public static ObjectNode provider(
            String providerId, String message, @Nullable String type, @Nullable String param, @Nullable String code) {
        ObjectNode root = of(providerId + " error: " + message, type, param, code);
        root.put("provider", providerId);
        return root;
    }
}
