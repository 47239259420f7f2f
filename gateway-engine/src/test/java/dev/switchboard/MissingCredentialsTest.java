package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.FakeTransport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A target whose provider needs a credential and has none — neither on the target nor through its
 * virtual key — fails the build naming the target's field, instead of sending a request without an
 * auth header. {@code ollama} (a local server) is the keyless provider.
 */
class MissingCredentialsTest {
    private final FakeTransport transport = new FakeTransport();

    private Gateway.Builder builder(String config) {
        return Gateway.builder().transport(transport).config(config);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "openai|                  |/api_key",
                "anthropic|               |/api_key",
                "google|                  |/api_key",
                "cohere|                  |/api_key",
                "mistral-ai|              |/api_key",
                "groq|                    |/api_key",
                "together-ai|             |/api_key",
                "fireworks-ai|            |/api_key",
                "deepseek|                |/api_key",
                "openrouter|              |/api_key",
                "perplexity-ai|           |/api_key",
                "x-ai|                    |/api_key",
                "azure-openai|,\"resource_name\":\"r\",\"deployment_id\":\"d\",\"api_version\":\"2024-10-21\"|/api_key",
                "bedrock|,\"aws_region\":\"us-east-1\"|/aws_access_key_id",
                "vertex-ai|,\"vertex_region\":\"us-central1\",\"vertex_project_id\":\"p\"|/vertex_service_account_json"
            })
    void aProviderThatNeedsACredentialRefusesATargetWithout(String provider, String extra, String pointer) {
        ConfigException e = assertThrows(ConfigException.class, () -> builder(
                        "{\"provider\":\"" + provider + "\"" + (extra == null ? "" : extra) + "}")
                .build());
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(pointer, e.path(), e.getMessage());
        assertTrue(e.getMessage().contains("for " + provider), e.getMessage());
        assertTrue(e.getMessage().contains("virtual key"), "says the other way to bring a key: " + e.getMessage());
    }

    @Test
    void theMessageSaysWhatIsMissingAndHowToWriteIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> builder(
                        "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[{\"provider\":\"openai\",\"api_key\":\"sk-1\"},"
                                + "{\"provider\":\"anthropic\"}]}")
                .build());
        assertEquals(
                "invalid config at /targets/1/api_key: found nothing, expected an API key for anthropic, e.g."
                        + " \"api_key\": \"${ANTHROPIC_API_KEY}\" (read from the environment) or a virtual key"
                        + " (\"provider\": \"@name\")",
                e.getMessage());
    }

    @Test
    void aBlankKeyIsMissing() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> builder("{\"provider\":\"openai\",\"api_key\":\"  \"}")
                        .build());
        assertEquals("/api_key", e.path());
        assertTrue(e.getMessage().contains("\"****\""), "a present key is masked even when blank: " + e.getMessage());
    }

    @Test
    void aVirtualKeyBringsTheCredential() {
        Gateway g = builder("{\"provider\":\"@prod\"}")
                .provider(
                        "@prod",
                        ProviderCredentials.builder("openai").secret("sk-prod").build())
                .build();
        g.execute(GatewayRequest.chat("{\"model\":\"gpt-4o\",\"messages\":[]}").build());
        assertEquals("Bearer sk-prod", transport.lastRequest().headers().get("authorization"));
    }

    @Test
    void aVirtualKeyWithoutASecretIsRefusedAtTheTarget() {
        ConfigException e = assertThrows(ConfigException.class, () -> builder(
                        "{\"targets\":[{\"provider\":\"@prod\"}]," + "\"strategy\":{\"mode\":\"single\"}}")
                .provider("@prod", ProviderCredentials.builder("anthropic").build())
                .build());
        assertEquals("/targets/0/api_key", e.path());
    }

    @Test
    void bedrockAcceptsAnApiKeyInsteadOfAwsKeys() {
        builder("{\"provider\":\"bedrock\",\"aws_region\":\"us-east-1\",\"api_key\":\"bedrock-key\"}")
                .build();
    }

    @Test
    void ollamaIsKeylessAndSendsNoAuthHeader() {
        Gateway g = builder("{\"provider\":\"ollama\",\"custom_host\":\"http://127.0.0.1:11434\"}")
                .build();
        g.execute(GatewayRequest.chat("{\"model\":\"llama3\",\"messages\":[]}").build());
        Map<String, String> headers = transport.lastRequest().headers();
        assertNull(headers.get("authorization"), headers.toString());
        assertFalse(headers.containsKey("Authorization"));
    }
}
