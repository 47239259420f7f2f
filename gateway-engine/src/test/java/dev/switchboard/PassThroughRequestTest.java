package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that carry their own method, path and query ({@link GatewayRequest#builder(String, String)}):
 * calls on existing objects and operations the gateway passes through, routed like any other.
 */
class PassThroughRequestTest {
    private StubUpstream up;
    private StubUpstream other;

    @BeforeEach
    void start() {
        up = StubUpstream.start();
        other = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        up.close();
        other.close();
    }

    private Gateway single(StubUpstream stub) {
        return Gateway.fromConfig(
                """
                {"provider": "openai", "api_key": "sk-pass", "custom_host": "%s",
                 "forward_headers": ["openai-beta"]}"""
                        .formatted(stub.openAiBaseUrl()));
    }

    @Test
    void aDownloadComesBackByteForByteWithItsContentType() throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + 3);
        }
        up.enqueue(StubResponse.raw(200, "application/octet-stream", content));
        try (Gateway g = single(up)) {
            GatewayRequest r = GatewayRequest.builder("get", "/v1/files/file-abc/content?x=1&y=a%20b")
                    .build();
            assertEquals(Endpoint.PROXY, r.endpoint());
            assertEquals("GET", r.method());
            assertEquals("/v1/files/file-abc/content", r.path());
            assertEquals("x=1&y=a%20b", r.query().orElseThrow());
            GatewayResponse resp = g.execute(r);
            assertEquals(200, resp.status());
            assertTrue(resp.isBinaryStream(), "a download is handed over as it arrives");
            assertEquals("application/octet-stream", resp.contentType().orElseThrow());
            try (var in = resp.inputStream()) {
                assertArrayEquals(content, in.readAllBytes());
            }
            assertEquals("/v1/files/file-abc/content", up.lastRequest().path());
            assertEquals("x=1&y=a%20b", up.lastRequest().query());
            assertEquals("GET", up.lastRequest().method());
            assertEquals(0, up.lastRequest().body().length);
            assertEquals("Bearer sk-pass", up.lastRequest().header("authorization"));
        }
    }

    @Test
    void aJsonAnswerIsJsonAndADeleteSendsNoBody() {
        up.enqueue(StubResponse.json(200, "{\"id\":\"batch_1\",\"object\":\"batch\",\"status\":\"cancelling\"}"));
        up.enqueue(StubResponse.json(200, "{\"id\":\"file-1\",\"object\":\"file\",\"deleted\":true}"));
        try (Gateway g = single(up)) {
            GatewayResponse cancel = g.execute(
                    GatewayRequest.builder("POST", "/v1/batches/batch_1/cancel").build());
            assertEquals("cancelling", cancel.json().path("status").asText());
            assertEquals("POST", up.lastRequest().method());
            assertEquals("/v1/batches/batch_1/cancel", up.lastRequest().path());

            GatewayResponse del = g.execute(
                    GatewayRequest.builder("DELETE", "/v1/files/file-1").build());
            assertTrue(del.json().path("deleted").asBoolean());
            assertEquals("DELETE", up.lastRequest().method());
            assertEquals(0, up.lastRequest().body().length);
        }
    }

    @Test
    void anUpstreamErrorKeepsOpenAisEnvelopeAndStatus() {
        up.enqueue(StubResponse.error(404, "No such File object: file-x"));
        try (Gateway g = single(up)) {
            GatewayResponse r =
                    g.execute(GatewayRequest.builder("GET", "/v1/files/file-x").build());
            assertEquals(404, r.status());
            assertTrue(r.json().path("error").path("message").asText().contains("No such File"), r.bodyAsString());
        }
    }

    @Test
    void aFallbackMovesOnWithTheSamePathAndAConditionSeesThePath() {
        up.enqueue(StubResponse.error(503, "busy"));
        other.enqueue(StubResponse.json(200, "{\"object\":\"list\",\"data\":[]}"));
        String config =
                """
                {"strategy": {"mode": "conditional",
                   "conditions": [{"query": {"url.pathname": {"$regex": "^/v1/vector_stores"}}, "then": "stores"}],
                   "default": "rest"},
                 "targets": [
                   {"name": "stores", "strategy": {"mode": "fallback"}, "targets": [
                     {"provider": "openai", "api_key": "sk-a", "custom_host": "%s"},
                     {"provider": "openai", "api_key": "sk-b", "custom_host": "%s"}]},
                   {"name": "rest", "provider": "openai", "api_key": "sk-c", "custom_host": "%s"}]}"""
                        .formatted(up.openAiBaseUrl(), other.openAiBaseUrl(), up.openAiBaseUrl());
        try (Gateway g = Gateway.fromConfig(config)) {
            GatewayResponse r = g.execute(GatewayRequest.builder("GET", "/v1/vector_stores/vs_1/files?limit=5")
                    .build());
            assertEquals(200, r.status(), r.bodyAsString());
            assertEquals(1, up.hits());
            assertEquals(1, other.hits());
            assertEquals("/v1/vector_stores/vs_1/files", other.lastRequest().path());
            assertEquals("limit=5", other.lastRequest().query());
            assertEquals("Bearer sk-b", other.lastRequest().header("authorization"));
            assertEquals(2, r.trace().attempts().size());
        }
    }

    @Test
    void aHeaderGivenTwiceKeepsBothValues() {
        up.enqueue(StubResponse.json(200, "{\"object\":\"list\",\"data\":[]}"));
        try (Gateway g = single(up)) {
            GatewayRequest r = GatewayRequest.builder("GET", "/v1/assistants")
                    .addHeader("OpenAI-Beta", "assistants=v2")
                    .addHeader("openai-beta", "other=v1")
                    .build();
            assertEquals(List.of("assistants=v2", "other=v1"), r.headerValues().get("openai-beta"));
            assertEquals("assistants=v2, other=v1", r.header("openai-beta").orElseThrow());
            g.execute(r);
            assertEquals("assistants=v2, other=v1", up.lastRequest().header("openai-beta"));
        }
    }

    @Test
    void aTargetThatCannotServeAPassThroughIsATargetFailureAFallbackMovesPast() {
        other.enqueue(StubResponse.json(200, "{\"id\":\"file-1\",\"object\":\"file\"}"));
        String config =
                """
                {"strategy": {"mode": "fallback"}, "targets": [
                  {"provider": "anthropic", "api_key": "sk-ant", "custom_host": "%s"},
                  {"provider": "openai", "api_key": "sk-b", "custom_host": "%s"}]}"""
                        .formatted(up.baseUrl(), other.openAiBaseUrl());
        try (Gateway g = Gateway.fromConfig(config)) {
            GatewayResponse r =
                    g.execute(GatewayRequest.builder("GET", "/v1/files/file-1").build());
            assertEquals(200, r.status(), r.bodyAsString());
            assertEquals(0, up.hits(), "anthropic is never called for a files request");
            assertEquals(1, other.hits());
            assertFalse(r.trace().attempts().get(0).succeeded());
        }
    }

    @Test
    void badMethodsAndPathsAreRefusedWithTheProblemNamed() {
        IllegalArgumentException noV1 =
                assertThrows(IllegalArgumentException.class, () -> GatewayRequest.builder("GET", "/files"));
        assertTrue(noV1.getMessage().contains("/v1/"), noV1.getMessage());
        IllegalArgumentException dots =
                assertThrows(IllegalArgumentException.class, () -> GatewayRequest.builder("GET", "/v1/files/../admin"));
        assertTrue(dots.getMessage().contains(".."), dots.getMessage());
        IllegalArgumentException space =
                assertThrows(IllegalArgumentException.class, () -> GatewayRequest.builder("GET", "/v1/files/a b"));
        assertTrue(space.getMessage().contains("index 11"), space.getMessage());
        IllegalArgumentException method =
                assertThrows(IllegalArgumentException.class, () -> GatewayRequest.builder("G T", "/v1/files"));
        assertTrue(method.getMessage().contains("HTTP method"), method.getMessage());
        IllegalStateException proxy =
                assertThrows(IllegalStateException.class, () -> GatewayRequest.builder(Endpoint.PROXY)
                        .build());
        assertTrue(proxy.getMessage().contains("builder(method, path)"), proxy.getMessage());
        IllegalStateException chat =
                assertThrows(IllegalStateException.class, () -> GatewayRequest.builder("POST", "/v1/chat/completions")
                        .build());
        assertTrue(chat.getMessage().contains("needs a body"), chat.getMessage());
        assertEquals(
                Endpoint.CHAT_COMPLETIONS,
                GatewayRequest.builder("post", "/v1/chat/completions")
                        .body("{\"model\":\"m\",\"messages\":[]}")
                        .build()
                        .endpoint());
    }
}
