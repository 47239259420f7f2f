package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.beforeBuilder;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.guardrails.jwt.DurationText;
import dev.switchboard.guardrails.jwt.JwsSignature;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JwtCheckTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final KeyPair RSA = generate("RSA");
    private static final KeyPair EC = generate("EC");
    private static final KeyPair OTHER_RSA = generate("RSA");

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final JdkTransport transport = new JdkTransport();
    private final LocalServer server;
    private final JwtCheck check = new JwtCheck();
    private final String params;

    JwtCheckTest() throws Exception {
        server = new LocalServer().answer("/jwks", 200, jwks());
        params = "{\"jwksUri\":\"" + server.uri("/jwks") + "\",\"cacheMaxAge\":600}";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static KeyPair generate(String alg) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (alg.equals("EC")) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(BigInteger n, int length) {
        byte[] b = n.toByteArray();
        if (b.length > length) {
            b = Arrays.copyOfRange(b, b.length - length, b.length);
        } else if (b.length < length) {
            byte[] padded = new byte[length];
            System.arraycopy(b, 0, padded, length - b.length, b.length);
            b = padded;
        }
        return B64.encodeToString(b);
    }

    private static String jwks() {
        RSAPublicKey rsa = (RSAPublicKey) RSA.getPublic();
        ECPublicKey ec = (ECPublicKey) EC.getPublic();
        ObjectNode root = Json.object();
        var keys = root.putArray("keys");
        keys.addObject()
                .put("kty", "RSA")
                .put("kid", "rsa-1")
                .put("alg", "RS256")
                .put("n", B64.encodeToString(rsa.getModulus().toByteArray()))
                .put("e", B64.encodeToString(rsa.getPublicExponent().toByteArray()));
        keys.addObject()
                .put("kty", "EC")
                .put("kid", "ec-1")
                .put("crv", "P-256")
                .put("x", unsigned(ec.getW().getAffineX(), 32))
                .put("y", unsigned(ec.getW().getAffineY(), 32));
        keys.addObject().put("kty", "oct").put("kid", "ignored").put("k", "c2VjcmV0");
        return Json.text(root);
    }

    private String token(String alg, String kid, PrivateKey key, Map<String, Object> claims) throws Exception {
        ObjectNode header = Json.object().put("alg", alg).put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        String input =
                B64.encodeToString(Json.bytes(header)) + "." + B64.encodeToString(Json.bytes(Json.valueToTree(claims)));
        Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        byte[] sig = s.sign();
        if (alg.equals("ES256")) {
            sig = derToRaw(sig);
        }
        return input + "." + B64.encodeToString(sig);
    }

    /** The JDK signs ECDSA in DER; JWS wants raw R || S. */
    private static byte[] derToRaw(byte[] der) {
        int offset = 2;
        int rLen = der[offset + 1];
        byte[] r = Arrays.copyOfRange(der, offset + 2, offset + 2 + rLen);
        offset = offset + 2 + rLen;
        int sLen = der[offset + 1];
        byte[] s = Arrays.copyOfRange(der, offset + 2, offset + 2 + sLen);
        byte[] raw = new byte[64];
        byte[] r32 = Base64.getUrlDecoder().decode(unsigned(new BigInteger(1, r), 32));
        byte[] s32 = Base64.getUrlDecoder().decode(unsigned(new BigInteger(1, s), 32));
        System.arraycopy(r32, 0, raw, 0, 32);
        System.arraycopy(s32, 0, raw, 32, 32);
        return raw;
    }

    private Map<String, Object> claims(long iatOffset, long expOffset) {
        long now = clock.instant().getEpochSecond();
        return Map.of("sub", "user-1", "iat", now + iatOffset, "exp", now + expOffset);
    }

    private CheckOutcome verify(String headerValue, String parameters) {
        CheckContext ctx = beforeBuilder("hi")
                .transport(transport)
                .clock(clock)
                .requestHeaders(Map.of("authorization", headerValue))
                .build();
        return check.checkAsync(ctx, params(parameters)).toCompletableFuture().join();
    }

    @Test
    void acceptsAValidRs256Token() throws Exception {
        CheckOutcome o = verify("Bearer " + token("RS256", "rsa-1", RSA.getPrivate(), claims(0, 3600)), params);
        assertTrue(o.verdict(), o.data().toString());
        assertEquals("rsa-1", o.data().path("kid").asText());
        assertFalse(o.data().toString().contains("user-1"), "claims are not echoed");
    }

    @Test
    void acceptsAValidEs256TokenWithRawSignature() throws Exception {
        assertTrue(verify("Bearer " + token("ES256", "ec-1", EC.getPrivate(), claims(0, 3600)), params)
                .verdict());
    }

    @Test
    void aTokenWithoutKidMatchesNoKeyAsInPortkey() throws Exception {
        CheckOutcome o = verify(token("ES256", null, EC.getPrivate(), claims(0, 3600)), params);
        assertFalse(o.verdict());
        assertTrue(
                o.data().path("explanation").asText().contains("No matching key found for kid"),
                o.data().toString());
    }

    @Test
    void rejectsAWrongSignature() throws Exception {
        CheckOutcome o = verify("Bearer " + token("RS256", "rsa-1", OTHER_RSA.getPrivate(), claims(0, 3600)), params);
        assertFalse(o.verdict());
        assertTrue(o.data().path("explanation").asText().contains("signature"));
        String good = token("RS256", "rsa-1", RSA.getPrivate(), claims(0, 3600));
        String tampered = good.substring(0, good.indexOf('.') + 1)
                + B64.encodeToString("{\"sub\":\"admin\",\"iat\":1735689600}".getBytes())
                + good.substring(good.lastIndexOf('.'));
        assertFalse(verify("Bearer " + tampered, params).verdict());
    }

    @Test
    void rejectsExpiredTokensBeyondTheClockTolerance() throws Exception {
        assertTrue(
                verify(token("RS256", "rsa-1", RSA.getPrivate(), claims(-100, -3)), params)
                        .verdict(),
                "within 5 s tolerance");
        CheckOutcome expired = verify(token("RS256", "rsa-1", RSA.getPrivate(), claims(-100, -10)), params);
        assertFalse(expired.verdict());
        assertTrue(expired.data().path("explanation").asText().contains("expired"));
    }

    @Test
    void rejectsTokensOlderThanMaxTokenAgeOrNotYetValid() throws Exception {
        String p = params.replace("}", ",\"maxTokenAge\":\"2h\"}");
        assertTrue(verify(token("RS256", "rsa-1", RSA.getPrivate(), claims(-3600, 3600)), p)
                .verdict());
        assertFalse(verify(token("RS256", "rsa-1", RSA.getPrivate(), claims(-3 * 3600, 3600)), p)
                .verdict());
        long now = clock.instant().getEpochSecond();
        assertFalse(verify(token("RS256", "rsa-1", RSA.getPrivate(), Map.of("iat", now, "nbf", now + 60)), params)
                .verdict());
        assertFalse(
                verify(token("RS256", "rsa-1", RSA.getPrivate(), Map.of("exp", now + 60)), params)
                        .verdict(),
                "maxTokenAge (default 1d) needs iat");
    }

    @Test
    void missingOrUnsupportedTokensFailAndAnUnreadableOneIsAnError() throws Exception {
        CheckContext noHeader =
                beforeBuilder("hi").transport(transport).clock(clock).build();
        assertFalse(check.checkAsync(noHeader, params(params))
                .toCompletableFuture()
                .join()
                .verdict());
        java.util.concurrent.CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, () -> verify("Bearer not-a-jwt", params));
        assertTrue(e.getCause().getMessage().contains("malformed"), e.getCause().getMessage());
        String none =
                B64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + B64.encodeToString("{}".getBytes()) + ".";
        assertFalse(verify(none, params).verdict());
    }

    @Test
    void readsTheTokenFromACustomHeader() throws Exception {
        CheckContext ctx = beforeBuilder("hi")
                .transport(transport)
                .clock(clock)
                .requestHeaders(Map.of("x-user-token", token("RS256", "rsa-1", RSA.getPrivate(), claims(0, 60))))
                .build();
        String p = params.replace("}", ",\"headerKey\":\"X-User-Token\"}");
        assertTrue(check.checkAsync(ctx, params(p)).toCompletableFuture().join().verdict());
    }

    @Test
    void cachesTheJwksForCacheMaxAgeOnTheContextClock() throws Exception {
        String t = token("RS256", "rsa-1", RSA.getPrivate(), claims(0, 7200));
        verify(t, params);
        verify(t, params);
        assertEquals(1, server.received.size(), "second verification served from cache");
        clock.advance(Duration.ofSeconds(601));
        verify(t, params);
        assertEquals(2, server.received.size(), "refetched after cacheMaxAge");
    }

    @Test
    void anUnreachableJwksIsAnErrorNotAVerdict() throws Exception {
        server.answer("/missing", 404, "{}");
        String p = "{\"jwksUri\":\"" + server.uri("/missing") + "\"}";
        String t = token("RS256", "rsa-1", RSA.getPrivate(), claims(0, 60));
        CompletionException e = assertThrows(CompletionException.class, () -> verify(t, p));
        assertTrue(e.getCause().getMessage().contains("404"));
    }

    @Test
    void badParametersAreNamed() {
        CompletionException e = assertThrows(CompletionException.class, () -> verify("x", "{}"));
        assertTrue(e.getCause().getMessage().contains("'jwksUri'"));
        CompletionException age = assertThrows(
                CompletionException.class, () -> verify("x", params.replace("}", ",\"maxTokenAge\":\"soon\"}")));
        assertTrue(age.getCause().getMessage().contains("'maxTokenAge'"));
    }

    @Test
    void rawEcdsaSignaturesConvertToDer() {
        byte[] raw = new byte[64];
        raw[0] = (byte) 0x80; // high bit set: DER needs a leading zero
        raw[63] = 1;
        byte[] der = JwsSignature.rawToDer(raw);
        assertEquals(0x30, der[0]);
        assertEquals(0x02, der[2]);
        assertEquals(33, der[3]);
        assertEquals(0, der[4]);
        assertArrayEquals(new byte[] {0x02, 0x01, 0x01}, Arrays.copyOfRange(der, der.length - 3, der.length));
    }

    @Test
    void durationsParseCommonForms() {
        assertEquals(Duration.ofDays(1), DurationText.parse("1d"));
        assertEquals(Duration.ofHours(2), DurationText.parse("2h"));
        assertEquals(Duration.ofMinutes(30), DurationText.parse("30m"));
        assertEquals(Duration.ofSeconds(45), DurationText.parse("45"));
        assertEquals(Duration.ofHours(3), DurationText.parse("3 hours"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("1 fortnight"));
    }
}
