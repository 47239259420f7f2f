package dev.switchboard.guardrails.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A compact JWS token split into its parts. Parsing checks the shape only; the signature is
 * verified with {@link JwsSignature}. {@link #toString()} never shows the token.
 *
 * <pre>{@code
 * JsonWebToken t = JsonWebToken.parse(headerValue);   // throws IllegalArgumentException if malformed
 * }</pre>
 */
public final class JsonWebToken {
    private final JsonNode header;
    private final JsonNode claims;
    private final byte[] signingInput;
    private final byte[] signature;

    private JsonWebToken(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {
        this.header = header;
        this.claims = claims;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    public static JsonWebToken parse(String compact) {
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "token is not a compact JWS (expected 3 dot-separated parts, got " + parts.length + ")");
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            JsonNode header = Json.parse(d.decode(parts[0]));
            JsonNode claims = Json.parse(d.decode(parts[1]));
            if (!header.isObject() || !claims.isObject()) {
                throw new IllegalArgumentException("token header and payload must be JSON objects");
            }
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return new JsonWebToken(header, claims, input, d.decode(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token is malformed: " + e.getMessage(), e);
        }
    }

    public String alg() {
        return header.path("alg").asText("");
    }

    /** The key id, or null. */
    public String kid() {
        return header.hasNonNull("kid") ? header.get("kid").asText() : null;
    }

    public JsonNode claims() {
        return claims;
    }

    /** A numeric date claim ({@code exp}, {@code nbf}, {@code iat}) in epoch seconds, or null when absent. */
    public Long numericDate(String claim) {
        JsonNode n = claims.get(claim);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("claim '" + claim + "' is not a number");
        }
        return n.longValue();
    }

    public byte[] signingInput() {
        return signingInput.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "JsonWebToken{alg=" + alg() + ", kid=" + kid() + "}";
    }
}
