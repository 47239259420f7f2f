package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The fields of a Google service-account JSON key the gateway needs to mint access tokens.
 * {@link #toString()} never shows the private key.
 *
 * <pre>{@code
 * ServiceAccountKey key = ServiceAccountKey.parse(options.get("vertex_service_account_json"));
 * }</pre>
 */
record ServiceAccountKey(
        String clientEmail, String privateKeyPem, String privateKeyId, String tokenUri, String projectId) {
    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

    /**
     * Reads the key from the option value (a JSON object, or a string holding one).
     *
     * @throws IllegalArgumentException naming the missing or malformed field (never its value)
     */
    static ServiceAccountKey parse(JsonNode option) {
        JsonNode json = option;
        if (option != null && option.isTextual()) {
            try {
                json = Json.parse(option.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vertex_service_account_json: not valid JSON");
            }
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("vertex_service_account_json: expected a service-account JSON object");
        }
        String email = json.path("client_email").asText("");
        String pem = json.path("private_key").asText("");
        if (email.isEmpty()) {
            throw new IllegalArgumentException("vertex_service_account_json: client_email is missing");
        }
        if (!pem.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("vertex_service_account_json: private_key is missing or not a PEM key");
        }
        return new ServiceAccountKey(
                email,
                pem,
                json.path("private_key_id").asText(null),
                json.path("token_uri").asText(DEFAULT_TOKEN_URI),
                json.path("project_id").asText(null));
    }

    /** Decodes the PKCS#8 PEM private key. */
    PrivateKey privateKey() {
        String base64 = privateKeyPem
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("vertex_service_account_json: private_key is not a PKCS#8 RSA key");
        }
    }

    @Override
    public String toString() {
        return "ServiceAccountKey{" + clientEmail + ", tokenUri=" + tokenUri + ", projectId=" + projectId + "}";
    }
}
