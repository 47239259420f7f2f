package dev.switchboard.guardrails.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A public key from a JWKS document (RFC 7517): RSA ({@code n}, {@code e}) or EC P-256
 * ({@code x}, {@code y}). Other key types are skipped when a set is parsed.
 *
 * <pre>{@code
 * List<JsonWebKey> keys = JsonWebKey.parseSet(Json.parse(jwksBytes));
 * }</pre>
 */
public record JsonWebKey(String kid, String kty, String alg, PublicKey key) {
    private static final Logger LOG = LoggerFactory.getLogger(JsonWebKey.class);

    /** Parses {@code {"keys": [...]}}; a document without a {@code keys} array is an error, unusable keys are skipped. */
    public static List<JsonWebKey> parseSet(JsonNode jwks) {
        if (!jwks.path("keys").isArray()) {
            throw new IllegalArgumentException("JWKS document has no 'keys' array");
        }
        List<JsonWebKey> out = new ArrayList<>();
        for (JsonNode k : jwks.get("keys")) {
            try {
                out.add(parse(k));
            } catch (IllegalArgumentException e) {
                LOG.debug("skipping JWKS key {}: {}", k.path("kid").asText("(no kid)"), e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    public static JsonWebKey parse(JsonNode jwk) {
        String kty = jwk.path("kty").asText("");
        String kid = jwk.hasNonNull("kid") ? jwk.get("kid").asText() : null;
        String alg = jwk.hasNonNull("alg") ? jwk.get("alg").asText() : null;
        try {
            switch (kty) {
                case "RSA": {
                    BigInteger n = unsigned(jwk, "n");
                    BigInteger e = unsigned(jwk, "e");
                    return new JsonWebKey(
                            kid, kty, alg, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
                }
                case "EC": {
                    String crv = jwk.path("crv").asText("");
                    if (!crv.equals("P-256")) {
                        throw new IllegalArgumentException("unsupported EC curve '" + crv + "'");
                    }
                    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                    params.init(new ECGenParameterSpec("secp256r1"));
                    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                    ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
                    return new JsonWebKey(
                            kid,
                            kty,
                            alg,
                            KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec)));
                }
                default:
                    throw new IllegalArgumentException("unsupported key type '" + kty + "'");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid " + kty + " key: " + e.getMessage(), e);
        }
    }

    /** Whether this key may verify a token signed with {@code jwsAlg}. */
    public boolean fits(String jwsAlg) {
        String wanted = jwsAlg.startsWith("RS") ? "RSA" : jwsAlg.startsWith("ES") ? "EC" : "";
        return kty.equals(wanted) && (alg == null || alg.equals(jwsAlg));
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        if (!jwk.path(field).isTextual()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get(field).asText()));
    }
}
