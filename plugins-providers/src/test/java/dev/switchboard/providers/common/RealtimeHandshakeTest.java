package dev.switchboard.providers.common;

import static dev.switchboard.providers.common.ProviderTesting.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.anthropic.AnthropicProvider;
import dev.switchboard.providers.azure.AzureOpenAiProvider;
import dev.switchboard.providers.openai.OpenAiProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.UpstreamRequest;
import org.junit.jupiter.api.Test;

/** The WebSocket handshakes of Realtime sessions: URL, query and auth headers per provider. */
class RealtimeHandshakeTest {
    private static ProviderCall call(String provider, String options, String query) {
        return ProviderCall.builder(provider, Endpoint.REALTIME)
                .body(json("{\"model\":\"gpt-realtime\"}"))
                .options(json(options))
                .target("GET", "/v1/realtime", query)
                .build();
    }

    @Test
    void openAiDefaultsToWssWithABearerAndKeepsTheCallersQuery() {
        UpstreamRequest r = new OpenAiProvider()
                .prepare(call(
                        "openai", "{\"api_key\":\"sk-k\",\"openai_organization\":\"org-1\"}", "model=x&call_id=rtc_1"));
        assertEquals("GET", r.method());
        assertEquals(
                "wss://api.openai.com/v1/realtime?model=gpt-realtime&call_id=rtc_1",
                r.uri().toString());
        assertEquals("Bearer sk-k", r.headers().get("authorization"));
        assertEquals("org-1", r.headers().get("openai-organization"));
        assertFalse(r.headers().containsKey("content-type"), "a handshake has no body");
        assertEquals(0, r.body().length);
    }

    @Test
    void aCustomHostTurnsHttpIntoWsAndHttpsIntoWss() {
        assertEquals(
                "ws://127.0.0.1:9/v1/realtime?model=gpt-realtime",
                new OpenAiProvider()
                        .prepare(call("openai", "{\"api_key\":\"k\",\"custom_host\":\"http://127.0.0.1:9/v1/\"}", null))
                        .uri()
                        .toString());
        assertEquals("wss://gw.example/v1", RealtimeHandshake.webSocketBase("https://gw.example/v1"));
        assertThrows(ProviderException.class, () -> RealtimeHandshake.webSocketBase("ftp://x"));
    }

    @Test
    void azureUsesTheDeploymentUrlOrTheV1Surface() {
        AzureOpenAiProvider azure = new AzureOpenAiProvider();
        assertTrue(azure.supports("azure-openai", Endpoint.REALTIME));
        UpstreamRequest r = azure.prepare(call(
                "azure-openai",
                "{\"api_key\":\"az-k\",\"resource_name\":\"acme\",\"deployment_id\":\"rt prod\","
                        + "\"api_version\":\"2024-10-01-preview\"}",
                null));
        assertEquals(
                "wss://acme.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=rt%20prod",
                r.uri().toString());
        assertEquals("az-k", r.headers().get("api-key"));
        assertNull(r.headers().get("authorization"));
        UpstreamRequest v1 = azure.prepare(call(
                "azure-openai",
                "{\"azure_ad_token\":\"eyJ-token\",\"resource_name\":\"acme\",\"api_version\":\"v1\"}",
                null));
        assertEquals(
                "wss://acme.openai.azure.com/openai/v1/realtime?model=gpt-realtime",
                v1.uri().toString());
        assertEquals("Bearer eyJ-token", v1.headers().get("authorization"));
    }

    @Test
    void providersWithoutARealtimeApiDoNotClaimOne() {
        assertFalse(new AnthropicProvider().supports("anthropic", Endpoint.REALTIME));
    }
}
