package dev.switchboard.providers.google;

import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.testkit.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VertexServiceAccountTokenTest {
    private HttpServer server;
    private final List<String> forms = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger issued = new AtomicInteger();
    private volatile int tokenStatus = 200;
    private KeyPair keys;
    private String tokenUri;
    private final ManualClock clock = ManualClock.start();
    private final JdkTestTransport transport = new JdkTestTransport();

    @BeforeEach
    void startTokenEndpoint() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            forms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = tokenStatus == 200
                    ? ("{\"access_token\":\"ya29.minted-" + issued.incrementAndGet()
                                    + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")
                            .getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(tokenStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        tokenUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode sa = Json.object()
                .put("type", "service_account")
                .put("project_id", "sa-proj")
                .put("private_key_id", "kid-1")
                .put("private_key", pem)
                .put("client_email", "gateway@sa-proj.iam.gserviceaccount.com")
                .put("token_uri", tokenUri);
        return Json.text(sa);
    }

    private ProviderCall call(VertexAiProvider provider, boolean saAsString) {
        ObjectNode options = Json.object().put("vertex_region", "europe-west4");
        if (saAsString) {
            options.put("vertex_service_account_json", serviceAccountJson());
        } else {
            options.set("vertex_service_account_json", Json.parse(serviceAccountJson()));
        }
        return chat(
                        "vertex-ai",
                        "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                        Json.text(options))
                .transport(transport)
                .clock(clock)
                .build();
    }

    private static UpstreamRequest prepare(VertexAiProvider provider, ProviderCall call) {
        return provider.prepareAsync(call).toCompletableFuture().join();
    }

    @Test
    void mintsASignedJwtBearerTokenAndReusesItUntilExpiry() throws Exception {
        VertexAiProvider provider = new VertexAiProvider();

        UpstreamRequest first = prepare(provider, call(provider, true));

        assertEquals("Bearer ya29.minted-1", first.headers().get("authorization"));
        assertTrue(
                first.uri()
                        .toString()
                        .startsWith("https://europe-west4-aiplatform.googleapis.com/v1/projects/"
                                + "sa-proj/locations/europe-west4/"),
                first.uri().toString());
        assertEquals(1, forms.size());
        Map<String, String> form = parseForm(forms.get(0));
        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));

        String[] jwt = form.get("assertion").split("\\.");
        assertEquals(3, jwt.length);
        JsonNode header = Json.parse(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = Json.parse(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals("kid-1", header.path("kid").asText());
        assertEquals(
                "gateway@sa-proj.iam.gserviceaccount.com", claims.path("iss").asText());
        assertEquals(
                "https://www.googleapis.com/auth/cloud-platform",
                claims.path("scope").asText());
        assertEquals(tokenUri, claims.path("aud").asText());
        long iat = clock.instant().getEpochSecond();
        assertEquals(iat, claims.path("iat").asLong());
        assertEquals(iat + 3600, claims.path("exp").asLong());
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(
                verifier.verify(Base64.getUrlDecoder().decode(jwt[2])), "JWT signature verifies with the public key");

        clock.advance(Duration.ofMinutes(50));
        UpstreamRequest cached = prepare(provider, call(provider, false));
        assertEquals("Bearer ya29.minted-1", cached.headers().get("authorization"));
        assertEquals(
                "Bearer ya29.minted-1",
                provider.prepare(call(provider, true)).headers().get("authorization"),
                "the blocking prepare uses the cached token too");
        assertEquals(1, forms.size(), "a cached token is not minted again");

        clock.advance(Duration.ofMinutes(10));
        UpstreamRequest refreshed = prepare(provider, call(provider, true));
        assertEquals("Bearer ya29.minted-2", refreshed.headers().get("authorization"));
        assertEquals(2, forms.size());
    }

    @Test
    void refusedTokenRequestFailsAsAuthenticationErrorWithoutLeakingTheKey() {
        tokenStatus = 400;
        VertexAiProvider provider = new VertexAiProvider();

        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class, () -> prepare(provider, call(provider, true)));

        ProviderException pe = (ProviderException) e.getCause();
        assertEquals(401, pe.status());
        assertTrue(pe.getMessage().contains("Invalid JWT Signature."), pe.getMessage());
        assertFalse(pe.getMessage().contains("PRIVATE KEY"));

        tokenStatus = 200;
        assertEquals(
                "Bearer ya29.minted-1",
                prepare(provider, call(provider, true)).headers().get("authorization"),
                "a failed mint is not cached");
    }

    private static Map<String, String> parseForm(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
