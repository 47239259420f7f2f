package dev.switchboard.providers.bedrock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.providers.common.OpenAiSdkCheck;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.List;

/**
 * Asserts a translated body against OpenAI's own schema (bundled in gateway-testkit, see
 * {@code OpenAiSchemas}) and the OpenAI SDK's strict parse ({@link OpenAiSdkCheck}).
 */
final class OpenAiSchemaCheck {
    private OpenAiSchemaCheck() {}

    static void assertValid(String schema, JsonNode body) {
        List<String> problems = OpenAiSchemas.shared().validate(schema, body);
        assertTrue(problems.isEmpty(), schema + ": " + problems + " in " + body);
        OpenAiSdkCheck.bySchema(schema, body);
    }
}
