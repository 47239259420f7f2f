package dev.switchboard.providers.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 (header mode) on JDK crypto only, checked against the AWS SigV4 test
 * suite and aws-c-auth's extended copy of it.
 *
 * <p>Canonical request rules implemented: the path is normalised (dot segments removed, repeated
 * slashes collapsed; switch off for S3-like services) and every segment is URI-encoded once more
 * than it appears on the wire; query parameters are decoded, re-encoded strictly and sorted by name
 * then value; header names are lower-cased, values trimmed with inner whitespace runs folded to one
 * space, repeated headers joined with commas in arrival order, and every given header is signed.
 * The signer sets {@code X-Amz-Date} itself (replacing one already present), signs
 * {@code X-Amz-Security-Token} for temporary credentials (unless told to add it after signing),
 * and adds {@code x-amz-content-sha256} when asked.
 *
 * <pre>{@code
 * SigV4Signature sig = SigV4Signer.of("us-east-1", "bedrock")
 *         .sign(SigningRequest.of("POST", uri, headers, body), credentials, clock.instant());
 * sig.headersToAdd().forEach(requestHeaders::put);
 * }</pre>
 */
public final class SigV4Signer {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String region;
    private final String service;
    private final boolean normalizePath;
    private final boolean contentSha256Header;
    private final boolean sessionTokenSigned;

    private SigV4Signer(
            String region,
            String service,
            boolean normalizePath,
            boolean contentSha256Header,
            boolean sessionTokenSigned) {
        this.region = requireText(region, "region");
        this.service = requireText(service, "service");
        this.normalizePath = normalizePath;
        this.contentSha256Header = contentSha256Header;
        this.sessionTokenSigned = sessionTokenSigned;
    }

    /** A signer for {@code service} in {@code region}: path normalisation on, no payload-hash header, session token signed. */
    public static SigV4Signer of(String region, String service) {
        return new SigV4Signer(region, service, true, false, true);
    }

    /** Signs and returns only the headers to add (the one-call form). */
    public static Map<String, String> sign(
            SigningRequest request, AwsCredentials credentials, String region, String service, Instant time) {
        return of(region, service).sign(request, credentials, time).headersToAdd();
    }

    /** S3 and a few others sign the path exactly as sent, without removing dot segments or double slashes. */
    public SigV4Signer withPathNormalization(boolean on) {
        return new SigV4Signer(region, service, on, contentSha256Header, sessionTokenSigned);
    }

    /** Adds (and signs) {@code x-amz-content-sha256} with the payload hash. */
    public SigV4Signer withContentSha256Header(boolean on) {
        return new SigV4Signer(region, service, normalizePath, on, sessionTokenSigned);
    }

    /** Whether {@code X-Amz-Security-Token} is part of the signature (most services) or added after signing. */
    public SigV4Signer withSessionTokenSigned(boolean on) {
        return new SigV4Signer(region, service, normalizePath, contentSha256Header, on);
    }

    public SigV4Signature sign(SigningRequest request, AwsCredentials credentials, Instant time) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credentials, "credentials");
        String amzDate = AMZ_DATE.format(time);
        String date = amzDate.substring(0, 8);
        String payloadHash = hex(sha256(request.body()));
        boolean tokenSigned = credentials.hasSessionToken() && sessionTokenSigned;

        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            boolean replaced = name.equals("x-amz-date")
                    || name.equals("authorization")
                    || (credentials.hasSessionToken() && name.equals("x-amz-security-token"))
                    || (contentSha256Header && name.equals("x-amz-content-sha256"));
            if (!replaced) {
                headers.add(h);
            }
        }
        Map<String, String> toAdd = new LinkedHashMap<>();
        toAdd.put("X-Amz-Date", amzDate);
        if (tokenSigned) {
            toAdd.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        if (contentSha256Header) {
            toAdd.put("x-amz-content-sha256", payloadHash);
        }
        toAdd.forEach((k, v) -> headers.add(Map.entry(k, v)));

        TreeMap<String, String> canonicalHeaders = canonicalHeaders(headers);
        String signedHeaders = String.join(";", canonicalHeaders.keySet());
        StringBuilder creq = new StringBuilder(256)
                .append(request.method().toUpperCase(Locale.ROOT))
                .append('\n')
                .append(canonicalUri(request.rawPath()))
                .append('\n')
                .append(canonicalQuery(request.rawQuery()))
                .append('\n');
        canonicalHeaders.forEach((k, v) -> creq.append(k).append(':').append(v).append('\n'));
        creq.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String canonicalRequest = creq.toString();

        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));

        if (credentials.hasSessionToken() && !sessionTokenSigned) {
            toAdd.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        toAdd.put(
                "Authorization",
                ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope + ", SignedHeaders="
                        + signedHeaders + ", Signature=" + signature);
        return new SigV4Signature(canonicalRequest, stringToSign, signature, toAdd);
    }

    private static TreeMap<String, String> canonicalHeaders(List<Map.Entry<String, String>> headers) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().trim().toLowerCase(Locale.ROOT);
            String value = foldWhitespace(h.getValue());
            out.merge(name, value, (a, b) -> a + "," + b);
        }
        return out;
    }

    /** Trims and turns every run of whitespace (including folded line breaks) into one space. */
    static String foldWhitespace(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    String canonicalUri(String rawPath) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (normalizePath) {
            path = removeDotSegments(path);
        }
        String[] segments = path.split("/", -1);
        StringBuilder sb = new StringBuilder(path.length() + 16);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(uriEncode(segments[i].getBytes(StandardCharsets.UTF_8)));
        }
        String encoded = sb.toString();
        return encoded.startsWith("/") ? encoded : "/" + encoded;
    }

    /** RFC 3986 dot-segment removal plus collapsing of empty segments, keeping a trailing slash. */
    static String removeDotSegments(String path) {
        Deque<String> out = new ArrayDeque<>();
        String[] parts = path.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(p);
            }
        }
        if (out.isEmpty()) {
            return "/";
        }
        String last = parts[parts.length - 1];
        boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
        return "/" + String.join("/", out) + (trailingSlash ? "/" : "");
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new String[] {uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        params.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Percent-decodes to raw bytes ('+' stays a literal plus: AWS query strings encode spaces as %20). */
    private static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%'
                    && i + 2 < in.length
                    && Character.digit(in[i + 1], 16) >= 0
                    && Character.digit(in[i + 2], 16) >= 0) {
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** AWS's URI encoding: every byte except the unreserved {@code A-Za-z0-9-._~} becomes {@code %XX} (upper case). */
    static String uriEncode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(HEX[c >> 4])).append(Character.toUpperCase(HEX[c & 0xf]));
            }
        }
        return sb.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("SigV4 " + what + " must not be blank");
        }
        return s;
    }

    @Override
    public String toString() {
        return "SigV4Signer{" + region + "/" + service + "}";
    }
}
