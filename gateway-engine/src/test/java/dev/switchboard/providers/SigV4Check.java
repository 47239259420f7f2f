package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recomputes a SigV4 signature from the request exactly as the stub received it (host with port,
 * raw path, headers, body bytes), independently of the adapter's signer: a signature that does not
 * match here would be refused by AWS.
 */
final class SigV4Check {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    private SigV4Check() {}

    static void assertSigned(RecordedRequest req, String keyId, String secret, String region, String service) {
        String auth = req.header("authorization");
        Matcher m = AUTH.matcher(auth == null ? "" : auth);
        assertTrue(m.matches(), "a SigV4 authorization header: " + auth);
        assertEquals(keyId, m.group(1));
        assertEquals(region, m.group(3));
        assertEquals(service, m.group(4));
        String amzDate = req.header("x-amz-date");
        String date = m.group(2);
        assertEquals(date, amzDate.substring(0, 8));

        StringBuilder canonical = new StringBuilder();
        canonical.append(req.method()).append('\n');
        StringBuilder uri = new StringBuilder();
        for (String segment : req.path().substring(1).split("/", -1)) {
            uri.append('/').append(encode(segment)); // non-S3 services encode the (already encoded) path again
        }
        canonical.append(uri).append('\n');
        canonical.append(req.query() == null ? "" : req.query()).append('\n');
        for (String name : m.group(5).split(";")) {
            canonical.append(name).append(':').append(req.header(name).trim()).append('\n');
        }
        canonical.append('\n').append(m.group(5)).append('\n').append(hex(sha256(req.body())));

        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        assertEquals(hex(hmac(key, toSign)), m.group(6), "signature over:\n" + canonical);
    }

    private static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
