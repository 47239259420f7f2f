package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code x-portkey-*} request headers every caller can use (an SDK, a relay) that can set headers
 * but not build a {@link GatewayRequest}: a per-request config, metadata for routing; and the SSE wire
 * view of a stream for clients that parse events themselves.
 */
class PortkeyHeadersTest {
    private static final String BODY =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private StubUpstream a;
    private StubUpstream b;
    private Gateway gateway;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
        gateway = Gateway.fromConfig(
                """
                {"strategy": {"mode": "conditional",
                   "conditions": [{"query": {"metadata.user_plan": {"$eq": "paid"}}, "then": "paid"}], "default": "free"},
                 "targets": [
                   {"name": "paid", "provider": "openai", "api_key": "sk-a", "custom_host": "%1$s", "override_params": {"model": "gpt-4o"}},
                   {"name": "free", "provider": "openai", "api_key": "sk-a", "custom_host": "%1$s"}]}"""
                        .formatted(a.openAiBaseUrl()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        a.close();
        b.close();
    }

    private String configFor(StubUpstream stub) {
        return "{\"provider\":\"openai\",\"api_key\":\"sk-header-secret\",\"custom_host\":\"" + stub.openAiBaseUrl()
                + "\"}";
    }

    @Test
    void theConfigHeaderReplacesTheGatewaysConfigForThatRequest() {
        GatewayResponse r = gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-config", configFor(b))
                .build());
        assertEquals(200, r.status());
        assertEquals(1, b.hits());
        assertEquals(0, a.hits());
        assertEquals("Bearer sk-header-secret", b.lastRequest().header("authorization"));
        assertEquals(null, b.lastRequest().header("x-portkey-config"), "the header is not sent upstream");
        assertTrue(gateway.explain(GatewayRequest.chat(BODY).build()).toString().contains("user_plan"));
        String explained = gateway.explain(GatewayRequest.chat(BODY)
                        .header("x-portkey-config", configFor(b))
                        .build())
                .toString();
        assertFalse(explained.contains("user_plan"), explained);
    }

    @Test
    void anOverrideOnTheRequestWinsOverTheHeader() {
        gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-config", configFor(b))
                .configOverride(Json.parse(configFor(a)))
                .build());
        assertEquals(1, a.hits());
        assertEquals(0, b.hits());
    }

    @Test
    void aConfigHeaderThatIsNotAJsonObjectIsA400NamingTheHeaderNotItsValue() {
        GatewayResponse notJson = gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-config", "pc-secret42")
                .build());
        assertEquals(400, notJson.status());
        String message = notJson.json().path("error").path("message").asText();
        assertEquals("invalid_config", notJson.json().path("error").path("type").asText());
        assertTrue(
                message.contains("x-portkey-config") && message.contains("expected an inline config JSON object"),
                message);
        assertFalse(message.contains("pc-secret42"), message);

        GatewayResponse array = gateway.execute(
                GatewayRequest.chat(BODY).header("x-portkey-config", "[1]").build());
        assertEquals(400, array.status());
        assertTrue(
                array.json().path("error").path("message").asText().contains("found a JSON array"),
                array.bodyAsString());

        GatewayResponse invalid = gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-config", "{\"provider\":\"claude\",\"api_key\":\"sk-x\"}")
                .build());
        assertEquals(400, invalid.status());
        assertEquals(0, a.hits() + b.hits());
        assertThrows(
                IllegalArgumentException.class,
                () -> gateway.explain(GatewayRequest.chat(BODY)
                        .header("x-portkey-config", "nope")
                        .build()));
    }

    @Test
    void metadataInTheHeaderRoutesAndTheRequestsOwnMetadataWins() {
        gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-metadata", "{\"user_plan\":\"paid\"}")
                .build());
        assertEquals("gpt-4o", a.lastRequest().json().path("model").asText());
        gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-metadata", "{\"user_plan\":\"paid\"}")
                .metadata("user_plan", "free")
                .build());
        assertEquals("gpt-4o-mini", a.lastRequest().json().path("model").asText());
        GatewayResponse unreadable = gateway.execute(
                GatewayRequest.chat(BODY).header("x-portkey-metadata", "{oops").build());
        assertEquals(200, unreadable.status());
        assertEquals("gpt-4o-mini", a.lastRequest().json().path("model").asText());
    }

    @Test
    void aMetadataValueThatIsAnArrayOrObjectIsKeptAsItsJson() {
        GatewayResponse r = gateway.execute(GatewayRequest.chat(BODY)
                .header("x-portkey-metadata", "{\"tags\":[\"a\",\"b\"],\"n\":3,\"user_plan\":\"paid\"}")
                .build());
        assertEquals("[\"a\",\"b\"]", r.trace().metadata().get("tags"));
        assertEquals("3", r.trace().metadata().get("n"));
    }

    @Test
    void aStreamReadAsWireBytesIsTheSseTheProviderSentEndingInDone() throws Exception {
        a.enqueue(StubResponse.chatStream("Hel", "lo"));
        GatewayResponse r =
                gateway.execute(GatewayRequest.chat(BODY.replace("{\"model\"", "{\"stream\":true,\"model\""))
                        .build());
        String wire;
        try (InputStream in = r.stream().asInputStream()) {
            wire = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(-1, in.read());
        }
        assertTrue(wire.startsWith("data: {"), wire);
        assertTrue(wire.contains("\"content\":\"Hel\"") && wire.contains("\"content\":\"lo\""), wire);
        assertTrue(wire.endsWith("data: [DONE]\n\n"), wire);
    }
}
