package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The credential checks of the adapters' {@code validateOptions}: a target whose provider needs a
 * key and has none (neither written on the target nor brought by its virtual key) is a config error
 * when the gateway is built, not a request sent without an auth header.
 *
 * <pre>{@code
 * RequiredCredentials.apiKey("openai", options, problems);
 * // problems: ["api_key: an API key for openai, e.g. \"api_key\": \"${OPENAI_API_KEY}\" ..."]
 * }</pre>
 */
public final class RequiredCredentials {
    private RequiredCredentials() {}

    /** Whether {@code field} holds a non-blank string. */
    public static boolean present(ObjectNode options, String field) {
        JsonNode v = options.get(field);
        return v != null && v.isTextual() && !v.textValue().isBlank();
    }

    /** Adds a problem when {@code api_key} is missing or blank. */
    public static void apiKey(String providerId, ObjectNode options, List<String> problems) {
        if (!present(options, "api_key")) {
            problems.add("api_key: " + apiKeyHint(providerId, "an API key"));
        }
    }

    /**
     * What a missing key message says after its field: {@code what} for {@code providerId}, how to
     * write it from the environment, and that a virtual key can bring it.
     */
    public static String apiKeyHint(String providerId, String what) {
        String variable = providerId.toUpperCase(Locale.ROOT).replace('-', '_') + "_API_KEY";
        return what + " for " + providerId + ", e.g. \"api_key\": \"${" + variable
                + "}\" (read from the environment) or a virtual key (\"provider\": \"@name\")";
    }
}
