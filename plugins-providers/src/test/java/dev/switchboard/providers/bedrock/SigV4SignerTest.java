package dev.switchboard.providers.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class SigV4SignerTest {
    private static final AwsCredentials SUITE_KEYS =
            new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final String SHORT_TOKEN = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

    /** botocore's copy of the AWS suite: every case folder holds .req/.creq/.sts/.authz. */
    @TestFactory
    Stream<DynamicTest> matchesEveryCaseOfTheAwsSigV4Suite() throws IOException {
        Path root = AwsTestData.dir("sigv4-test-suite");
        String longToken = longStsToken(root);
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> reqs =
                    walk.filter(p -> p.toString().endsWith(".req")).sorted().collect(Collectors.toList());
            assertTrue(reqs.size() >= 34, "expected the 34 suite cases, found " + reqs.size());
            return reqs.stream()
                    .map(req -> DynamicTest.dynamicTest(
                            root.relativize(req.getParent()).toString(), () -> {
                                String name = req.getFileName().toString().replace(".req", "");
                                AwsCredentials creds = SUITE_KEYS;
                                SigV4Signer signer = SigV4Signer.of("us-east-1", "service");
                                if (name.equals("get-vanilla-with-session-token")) {
                                    creds = new AwsCredentials(
                                            SUITE_KEYS.accessKeyId(), SUITE_KEYS.secretAccessKey(), SHORT_TOKEN);
                                } else if (name.startsWith("post-sts-header-")) {
                                    creds = new AwsCredentials(
                                            SUITE_KEYS.accessKeyId(), SUITE_KEYS.secretAccessKey(), longToken);
                                    signer = signer.withSessionTokenSigned(name.endsWith("before"));
                                }
                                SigningRequest request = RawHttpRequest.parse(Files.readAllBytes(req))
                                        .toSigningRequest();
                                // post-sts-header-before's .req already carries the token header; the signer replaces
                                // it with its own
                                SigV4Signature sig = signer.sign(request, creds, SUITE_TIME);
                                assertEquals(
                                        read(req.resolveSibling(name + ".creq")),
                                        sig.canonicalRequest(),
                                        "canonical request");
                                assertEquals(
                                        read(req.resolveSibling(name + ".sts")), sig.stringToSign(), "string to sign");
                                assertEquals(
                                        read(req.resolveSibling(name + ".authz")),
                                        sig.authorization(),
                                        "authorization");
                            }));
        }
    }

    /** aws-c-auth's extended suite, header mode, driven by each case's context.json. */
    @TestFactory
    Stream<DynamicTest> matchesEveryHeaderModeCaseOfTheAwsCAuthSuite() throws IOException {
        Path root = AwsTestData.dir("sigv4-test-suite-aws-c-auth").resolve("v4");
        try (Stream<Path> list = Files.list(root)) {
            List<Path> cases = list.filter(Files::isDirectory).sorted().collect(Collectors.toList());
            assertTrue(cases.size() >= 38, "expected 38 cases, found " + cases.size());
            return cases.stream()
                    .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
                        JsonNode ctx = Json.parse(Files.readAllBytes(dir.resolve("context.json")));
                        JsonNode c = ctx.path("credentials");
                        AwsCredentials creds = new AwsCredentials(
                                c.path("access_key_id").asText(),
                                c.path("secret_access_key").asText(),
                                c.hasNonNull("token") ? c.path("token").asText() : null);
                        SigV4Signer signer = SigV4Signer.of(
                                        ctx.path("region").asText(),
                                        ctx.path("service").asText())
                                .withPathNormalization(ctx.path("normalize").asBoolean(true))
                                .withContentSha256Header(ctx.path("sign_body").asBoolean(false))
                                .withSessionTokenSigned(
                                        !ctx.path("omit_session_token").asBoolean(false));
                        SigningRequest request = RawHttpRequest.parse(Files.readAllBytes(dir.resolve("request.txt")))
                                .toSigningRequest();
                        SigV4Signature sig = signer.sign(
                                request,
                                creds,
                                Instant.parse(ctx.path("timestamp").asText()));
                        assertEquals(
                                read(dir.resolve("header-canonical-request.txt")),
                                sig.canonicalRequest(),
                                "canonical request");
                        assertEquals(
                                read(dir.resolve("header-string-to-sign.txt")), sig.stringToSign(), "string to sign");
                        assertEquals(read(dir.resolve("header-signature.txt")), sig.signature(), "signature");
                        String signed = read(dir.resolve("header-signed-request.txt"));
                        assertTrue(
                                signed.contains("Authorization:" + sig.authorization()),
                                "signed request carries our Authorization");
                    }));
        }
    }

    @Test
    void encodesAlreadyEncodedPathSegmentsAgainAsNonS3ServicesRequire() {
        URI uri = URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2%3A1/converse");
        SigningRequest req = SigningRequest.of("POST", uri, List.of(), new byte[0]);
        SigV4Signature sig = SigV4Signer.of("us-east-1", "bedrock").sign(req, SUITE_KEYS, SUITE_TIME);
        assertTrue(
                sig.canonicalRequest().startsWith("POST\n/model/anthropic.claude-v2%253A1/converse\n"),
                sig.canonicalRequest());
        assertTrue(sig.canonicalRequest().contains("host:bedrock-runtime.us-east-1.amazonaws.com\n"));
    }

    @Test
    void signsTheHostWithItsPortWhenThePortIsNotTheSchemeDefault() {
        SigningRequest req = SigningRequest.of("POST", URI.create("http://127.0.0.1:8443/x"), List.of(), null);
        SigV4Signature sig = SigV4Signer.of("us-east-1", "bedrock").sign(req, SUITE_KEYS, SUITE_TIME);
        assertTrue(sig.canonicalRequest().contains("host:127.0.0.1:8443\n"), sig.canonicalRequest());
    }

    @Test
    void keepsTheSecretAndSessionTokenOutOfToString() {
        AwsCredentials creds = new AwsCredentials("AKID", "very-secret", "session-token-value");
        SigV4Signature sig = SigV4Signer.of("us-east-1", "bedrock")
                .sign(SigningRequest.of("POST", URI.create("https://h/x"), List.of(), null), creds, SUITE_TIME);
        assertFalse(creds.toString().contains("very-secret"));
        assertFalse(creds.toString().contains("session-token-value"));
        assertFalse(sig.toString().contains("session-token-value"));
        assertEquals("session-token-value", sig.headersToAdd().get("X-Amz-Security-Token"));
    }

    @Test
    void theOneCallFormReturnsDateAndAuthorizationHeaders() {
        Map<String, String> h = SigV4Signer.sign(
                SigningRequest.of("GET", URI.create("https://example.amazonaws.com/"), List.of(), null),
                SUITE_KEYS,
                "us-east-1",
                "service",
                SUITE_TIME);
        assertEquals("20150830T123600Z", h.get("X-Amz-Date"));
        // same request as the suite's get-vanilla case
        assertEquals(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                h.get("Authorization"));
    }

    private static String longStsToken(Path root) {
        String readme = read(root.resolve("post-sts-token").resolve("readme.txt"));
        String[] lines = readme.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
