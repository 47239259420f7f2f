package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysFileTest {
    private static final String SECRET = "sk-test-7f3a9c0d1e2b";
    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", SECRET, "AWS_SECRET", "aws-s3cr3t-value");

    private static final String FILE = "{\"keys\": {\n"
            + "  \"@openai-prod\": {\"provider\": \"openai\", \"api_key\": \"${OPENAI_API_KEY}\", \"organization\": \"org-1\",\n"
            + "     \"project\": \"proj-1\", \"base_url\": \"https://api.openai.com/v1\", \"expires_at\": \"2026-12-01T00:00:00Z\",\n"
            + "     \"limits\": {\"requests_per_minute\": 60, \"tokens_per_day\": 100000, \"budget_usd_per_month\": \"50.00\",\n"
            + "                \"per_value_of\": {\"user_id\": {\"requests_per_minute\": 10, \"budget_usd_per_day\": 1.5}}}},\n"
            + "  \"@bedrock\": {\"provider\": \"bedrock\", \"options\": {\"aws_region\": \"us-east-1\", \"aws_secret_access_key\": \"${AWS_SECRET}\"},\n"
            + "     \"limits\": {\"requests_per_day\": 5, \"per_metadata_key\": \"team\"}}\n"
            + "}}";

    private static Map<String, ProviderCredentials> parse(String json) {
        return KeysFile.parse(json, ENV::get);
    }

    @Test
    void readsKeysWithSecretsFromTheEnvironmentAndLimits() {
        Map<String, ProviderCredentials> keys = parse(FILE);
        assertEquals(2, keys.size());
        ProviderCredentials openai = keys.get("@openai-prod");
        assertEquals("openai", openai.providerId());
        assertEquals(Optional.of(SECRET), openai.secret());
        assertEquals(Optional.of("org-1"), openai.organization());
        assertEquals(Optional.of("proj-1"), openai.project());
        assertEquals(Optional.of("https://api.openai.com/v1"), openai.baseUrl());
        assertEquals(Optional.of(Instant.parse("2026-12-01T00:00:00Z")), openai.expiresAt());
        KeyLimits limits = openai.limits().orElseThrow();
        assertEquals(Optional.of(60L), limits.requestsPerMinute());
        assertEquals(Optional.of(100000L), limits.tokensPerDay());
        assertEquals(new BigDecimal("50.00"), limits.budgetUsdPerMonth().orElseThrow());
        KeyLimits perUser = limits.perValueLimits().get(0);
        assertEquals(Optional.of("user_id"), perUser.perMetadataKey());
        assertEquals(
                0, new BigDecimal("1.5").compareTo(perUser.budgetUsdPerDay().orElseThrow()));

        ProviderCredentials bedrock = keys.get("@bedrock");
        assertEquals(
                "aws-s3cr3t-value",
                bedrock.options().path("aws_secret_access_key").asText());
        assertEquals(Optional.empty(), bedrock.secret());
        assertEquals(Optional.of("team"), bedrock.limits().orElseThrow().perMetadataKey());
        assertFalse(openai.toString().contains(SECRET));
    }

    @Test
    void missingEnvironmentVariableIsNamedWithTheKeyButNoValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KeysFile.parse(FILE, name -> name.equals("AWS_SECRET") ? "aws-s3cr3t-value" : null));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("@openai-prod"), e.getMessage());
        assertTrue(e.getMessage().contains("/keys/@openai-prod/api_key"), e.getMessage());
        assertFalse(e.getMessage().contains("aws-s3cr3t-value"), e.getMessage());
    }

    @Test
    void unknownFieldIsReportedWithPathAndSuggestion() {
        String json = "{\"keys\": {\"@k\": {\"provider\": \"openai\", \"api_kye\": \"" + SECRET + "\","
                + " \"limits\": {\"request_per_minute\": 5}}}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue(
                e.getMessage().contains("/keys/@k/api_kye: unknown field (did you mean \"api_key\"?)"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "/keys/@k/limits/request_per_minute: unknown field (did you mean \"requests_per_minute\"?)"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("keys file has 2 problems"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "a misspelt secret field must not leak its value");
    }

    @Test
    void nonStringSecretIsReportedWithoutItsValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"keys\": {\"@k\": {\"provider\": \"openai\", \"api_key\": 987654321987}}}"));
        assertTrue(e.getMessage().contains("/keys/@k/api_key: expected a string"), e.getMessage());
        assertFalse(e.getMessage().contains("987654321987"), e.getMessage());
    }

    @Test
    void badValuesAreReportedWithPathAndExpectation() {
        String json = "{\"keys\": {\"nameless\": {\"api_key\": \"x\", \"expires_at\": \"tomorrow\","
                + " \"limits\": {\"requests_per_minute\": -3, \"budget_usd_per_day\": \"lots\"}}}}";
        String m =
                assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
        assertTrue(m.contains("/keys/nameless: a key name starts with '@'"), m);
        assertTrue(m.contains("/keys/nameless/provider: missing"), m);
        assertTrue(m.contains("/keys/nameless/expires_at: expected an ISO-8601 instant"), m);
        assertTrue(m.contains("/keys/nameless/limits/requests_per_minute: expected a whole number >= 0"), m);
        assertTrue(m.contains("/keys/nameless/limits/budget_usd_per_day: expected a USD amount"), m);
    }

    @Test
    void unknownTopLevelFieldIsAnError() {
        String m = assertThrows(IllegalArgumentException.class, () -> parse("{\"key\": {}}"))
                .getMessage();
        assertTrue(m.contains("/key: unknown field (did you mean \"keys\"?)"), m);
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "{\"keys\": {\"@groq\": {\"provider\": \"groq\", \"api_key\": \"literal-not-env\"}}}");
        assertEquals(
                Optional.of("literal-not-env"), KeysFile.load(file).get("@groq").secret());
        Files.writeString(
                file, "{\"keys\": {\"@groq\": {\"provider\": \"groq\", \"api_key\": \"${SB_SURELY_UNSET_VAR_42}\"}}}");
        String m = assertThrows(IllegalArgumentException.class, () -> KeysFile.load(file))
                .getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        assertTrue(m.contains("SB_SURELY_UNSET_VAR_42"), m);
    }
}
