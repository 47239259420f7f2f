package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void knownPathsMapToTheirEndpointAndOthersUnderV1ToProxy() {
        assertEquals(
                Endpoint.CHAT_COMPLETIONS,
                Endpoint.fromPath("post", "/v1/chat/completions/").orElseThrow());
        assertEquals(
                Endpoint.EMBEDDINGS,
                Endpoint.fromPath("POST", "/v1/embeddings?x=1").orElseThrow());
        assertEquals(Endpoint.MODELS, Endpoint.fromPath("GET", "/v1/models").orElseThrow());
        assertEquals(Endpoint.PROXY, Endpoint.fromPath("GET", "/v1/assistants").orElseThrow());
        assertTrue(Endpoint.fromPath("POST", "/health").isEmpty());
        assertEquals("/chat/completions", Endpoint.CHAT_COMPLETIONS.relativePath());
        assertEquals("chatComplete", Endpoint.CHAT_COMPLETIONS.portkeyName());
    }

    @Test
    void serverSentEventsSerialiseMultiLineData() {
        assertEquals("event: x\ndata: a\ndata: b\n\n", new ServerSentEvent("x", "a\nb", null).toWire());
        assertEquals("data: [DONE]\n\n", ServerSentEvent.DONE.toWire());
    }

    @Test
    void usageRoundTripsThroughTheOpenAiShape() {
        Usage u = new Usage(100, 20, 120, 40, 10, 5, 0, 0, false);
        assertEquals(u, Usage.fromOpenAi(u.toOpenAi()));
        assertEquals(Usage.of(3, 4).plus(Usage.of(1, 1)), Usage.of(4, 5));
    }

    @Test
    void anUnknownCostStaysUnknownWhenSummed() {
        Cost c = Cost.usd(new java.math.BigDecimal("0.5")).plus(Cost.unknown("no price for x"));
        assertEquals(false, c.known());
        assertTrue(c.toString().contains("no price for x"));
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        String s = ProviderCredentials.builder("openai")
                .secret("sk-very-secret")
                .organization("org")
                .build()
                .toString();
        assertTrue(!s.contains("sk-very-secret") && s.contains("****"), s);
    }
}
