package dev.switchboard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the OpenAI error envelope {@code {"error":{"message","type","param","code"}}} that every
 * gateway-produced and every normalised provider error uses.
 */
public final class ErrorBody {
    private ErrorBody() {}

    public static ObjectNode of(String message, String type, String param, String code) {
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

    /** A provider error: the envelope plus {@code "provider": id}. */
    public static ObjectNode provider(String providerId, String message, String type, String param, String code) {
        ObjectNode root = of(providerId + " error: " + message, type, param, code);
        root.put("provider", providerId);
        return root;
    }
}
