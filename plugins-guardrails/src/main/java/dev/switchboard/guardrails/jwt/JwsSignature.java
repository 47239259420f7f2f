package dev.switchboard.guardrails.jwt;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * Verifies JWS signatures with JDK crypto. ES256 signatures arrive as raw {@code R || S} (32 bytes
 * each, RFC 7518 §3.4) while the JDK's {@code SHA256withECDSA} expects ASN.1 DER, so they are
 * re-encoded first.
 *
 * <pre>{@code
 * boolean ok = JwsSignature.verify("ES256", key, signingInput, signature);
 * }</pre>
 */
public final class JwsSignature {
    private JwsSignature() {}

    /** True when the signature is valid; an unsupported {@code alg} throws {@link IllegalArgumentException}. */
    public static boolean verify(String alg, PublicKey key, byte[] signingInput, byte[] signature) {
        try {
            switch (alg) {
                case "RS256": {
                    Signature s = Signature.getInstance("SHA256withRSA");
                    s.initVerify(key);
                    s.update(signingInput);
                    return s.verify(signature);
                }
                case "ES256": {
                    if (signature.length != 64) {
                        return false;
                    }
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initVerify(key);
                    s.update(signingInput);
                    return s.verify(rawToDer(signature));
                }
                default:
                    throw new IllegalArgumentException(
                            "unsupported JWS algorithm '" + alg + "' (RS256 and ES256 are supported)");
            }
        } catch (GeneralSecurityException e) {
            // wrong key type for the algorithm or a malformed signature: not a valid signature
            return false;
        }
    }

    /** Converts a raw {@code R || S} ECDSA signature into a DER {@code SEQUENCE { INTEGER r, INTEGER s }}. */
    public static byte[] rawToDer(byte[] raw) {
        if (raw.length == 0 || raw.length % 2 != 0) {
            throw new IllegalArgumentException("raw ECDSA signature must have an even, non-zero length");
        }
        int half = raw.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeTlv(body, 0x02, r);
        writeTlv(body, 0x02, s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTlv(out, 0x30, body.toByteArray());
        return out.toByteArray();
    }

    private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        if (value.length < 0x80) {
            out.write(value.length);
        } else if (value.length < 0x100) {
            out.write(0x81);
            out.write(value.length);
        } else {
            out.write(0x82);
            out.write(value.length >> 8);
            out.write(value.length & 0xff);
        }
        out.write(value, 0, value.length);
    }
}
