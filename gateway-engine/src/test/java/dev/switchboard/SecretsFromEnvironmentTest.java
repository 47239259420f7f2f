package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.accounting.KeysFile;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code ${ENV_VAR}} in the secret fields of a gateway config: expanded from the (injectable)
 * environment when the gateway is built, never sent upstream literally; an unset variable is a
 * {@link ConfigException} naming the field and the variable, never a value.
 */
class SecretsFromEnvironmentTest {
    private static final String SECRET = "sk-from-the-environment-0123456789";
    private static final Function<String, String> ENV = Map.of(
            "OPENAI_API_KEY", SECRET,
            "EMPTY_KEY", "",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "AWS_SESSION_TOKEN", "session-token",
            "AZURE_AD_TOKEN", "entra-token")::get;

    private final FakeTransport transport = new FakeTransport();

    private static GatewayRequest chat(String model) {
        return GatewayRequest.chat(
                        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    private Gateway gateway(String config) {
        return Gateway.builder()
                .transport(transport)
                .environment(ENV)
                .config(config)
                .build();
    }

    @Test
    void anApiKeyReferenceIsExpandedFromTheEnvironment() {
        GatewayResponse r = gateway("{\"provider\":\"openai\",\"api_key\":\"${OPENAI_API_KEY}\"}")
                .execute(chat("gpt-4o"));
        assertEquals(200, r.status());
        assertEquals("Bearer " + SECRET, transport.lastRequest().headers().get("authorization"));
    }

    @Test
    void theDefaultEnvironmentIsTheProcessEnvironment() {
        String path = System.getenv("PATH");
        assumeTrue(path != null && !path.isEmpty() && path.chars().allMatch(c -> c >= 0x20 && c < 0x7f));
        Gateway g = Gateway.builder()
                .transport(transport)
                .config("{\"provider\":\"openai\",\"api_key\":\"${PATH}\"}")
                .build();
        g.execute(chat("gpt-4o"));
        assertEquals("Bearer " + path, transport.lastRequest().headers().get("authorization"));
    }

    @Test
    void anUnsetVariableFailsTheBuildNamingThePointerAndTheVariable() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> gateway("{\"strategy\":{\"mode\":\"fallback\"},"
                        + "\"targets\":[{\"provider\":\"openai\",\"api_key\":\"${OPENAI_API_KEY}\"},"
                        + "{\"provider\":\"openai\",\"api_key\":\"${OPENAI_BACKUP_KEY}\"}]}"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("/targets/1/api_key", e.path());
        assertTrue(e.getMessage().contains("OPENAI_BACKUP_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("not"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "the other target's expanded secret never shows");
    }

    @Test
    void anEmptyVariableIsAnErrorToo() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> gateway("{\"provider\":\"openai\",\"api_key\":\"${EMPTY_KEY}\"}"));
        assertEquals("/api_key", e.path());
        assertTrue(e.getMessage().contains("EMPTY_KEY") && e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aMalformedReferenceIsAnErrorThatDoesNotQuoteTheValue() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> gateway("{\"provider\":\"openai\",\"api_key\":\"sk-secretpart${OPENAI_API_KEY\"}"));
        assertEquals("/api_key", e.path());
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
        assertFalse(e.getMessage().contains("secretpart"), e.getMessage());
    }

    @Test
    void doubleDollarIsALiteralDollarBrace() {
        gateway("{\"provider\":\"openai\",\"api_key\":\"sk-$${not-a-variable}\"}")
                .execute(chat("gpt-4o"));
        assertEquals(
                "Bearer sk-${not-a-variable}", transport.lastRequest().headers().get("authorization"));
    }

    @Test
    void bedrockAwsCredentialsAreExpandedAndSignTheRequest() {
        transport.setDefault(FakeReply.json(
                200,
                "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
                        + "[{\"text\":\"hi\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,"
                        + "\"totalTokens\":2}}"));
        gateway(
                        "{\"provider\":\"bedrock\",\"aws_region\":\"us-east-1\",\"aws_access_key_id\":\"${AWS_ACCESS_KEY_ID}\","
                                + "\"aws_secret_access_key\":\"${AWS_SECRET_ACCESS_KEY}\",\"aws_session_token\":\"${AWS_SESSION_TOKEN}\"}")
                .execute(chat("anthropic.claude-3-5-haiku-20241022-v1:0"));
        Map<String, String> headers = transport.lastRequest().headers();
        assertTrue(headers.get("authorization").contains("Credential=AKIDEXAMPLE/"), headers.get("authorization"));
        assertEquals("session-token", headers.get("x-amz-security-token"));
    }

    @Test
    void anUnsetAwsSecretIsReportedAtItsField() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> gateway("{\"provider\":\"bedrock\","
                        + "\"aws_region\":\"us-east-1\",\"aws_access_key_id\":\"${AWS_ACCESS_KEY_ID}\","
                        + "\"aws_secret_access_key\":\"${AWS_SECRET_KEY_TYPO}\"}"));
        assertEquals("/aws_secret_access_key", e.path());
        assertTrue(e.getMessage().contains("AWS_SECRET_KEY_TYPO"), e.getMessage());
    }

    @Test
    void anAzureEntraTokenIsExpanded() {
        gateway("{\"provider\":\"azure-openai\",\"resource_name\":\"acme\",\"deployment_id\":\"gpt-4o\","
                        + "\"api_version\":\"2024-10-21\",\"azure_ad_token\":\"${AZURE_AD_TOKEN}\"}")
                .execute(chat("gpt-4o"));
        assertEquals("Bearer entra-token", transport.lastRequest().headers().get("authorization"));
    }

    @Test
    void nonSecretFieldsAndTheRequestBodyAreLeftAlone() {
        gateway("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"openai_project\":\"${OPENAI_API_KEY}\","
                        + "\"override_params\":{\"user\":\"${OPENAI_API_KEY}\"}}")
                .execute(chat("gpt-4o"));
        assertEquals("${OPENAI_API_KEY}", transport.lastRequest().headers().get("openai-project"));
        String sent = new String(transport.lastRequest().body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("${OPENAI_API_KEY}", Json.parse(sent).path("user").asText());
    }

    @Test
    void aPerRequestConfigNeverReadsTheEnvironment() {
        Gateway g = gateway("{\"provider\":\"openai\",\"api_key\":\"sk-test\"}");
        GatewayResponse r = g.execute(chat("gpt-4o").toBuilder()
                .configOverride(
                        Json.parse(
                                "{\"provider\":\"openai\",\"api_key\":\"${OPENAI_API_KEY}\",\"custom_host\":\"http://127.0.0.1:9/v1\"}"))
                .build());
        assertEquals(400, r.status());
        assertEquals("invalid_config", r.json().path("error").path("type").asText());
        assertTrue(r.json().toString().contains("per-request config"), r.json().toString());
        assertFalse(r.json().toString().contains(SECRET));
        assertEquals(0, transport.calls(), "nothing was sent anywhere");
    }

    @Test
    void theKeysFileExpandsWithTheSameRules() {
        var keys = KeysFile.parse(
                "{\"keys\":{\"@k\":{\"provider\":\"openai\",\"api_key\":\"${OPENAI_API_KEY}\","
                        + "\"options\":{\"note\":\"a $${literal}\"}}}}",
                ENV);
        assertEquals(SECRET, keys.get("@k").secret().orElseThrow());
        assertEquals("a ${literal}", keys.get("@k").options().path("note").asText());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KeysFile.parse(
                        "{\"keys\":{\"@k\":{\"provider\":\"openai\",\"api_key\":\"${EMPTY_KEY}\"}}}", ENV));
        assertTrue(e.getMessage().contains("/keys/@k/api_key") && e.getMessage().contains("EMPTY_KEY"), e.getMessage());
    }
}
