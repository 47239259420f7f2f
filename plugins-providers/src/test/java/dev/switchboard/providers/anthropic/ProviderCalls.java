package dev.switchboard.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.OpenAiSdkCheck;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.List;

/** Small builders shared by the adapter tests. */
public final class ProviderCalls {
    private ProviderCalls() {}

    public static com.fasterxml.jackson.databind.JsonNode json(String text) {
        return Json.parse(text);
    }

    public static ObjectNode object(String text) {
        return (ObjectNode) Json.parse(text);
    }

    public static ProviderCall.Builder chat(String providerId, String body, String options) {
        return ProviderCall.builder(providerId, Endpoint.CHAT_COMPLETIONS)
                .body(object(body))
                .options(object(options))
                .clock(ManualClock.start());
    }

    /** Compares JSON by value, ignoring how numbers are stored (int vs long nodes). */
    public static void assertJson(String expected, com.fasterxml.jackson.databind.JsonNode actual) {
        org.junit.jupiter.api.Assertions.assertEquals(Json.parse(expected), Json.parse(Json.text(actual)));
    }

    /**
     * Fails with the schema problems when {@code node} is not a valid instance of the OpenAI schema, or
     * when the OpenAI SDK does not accept it.
     */
    public static void assertOpenAi(String schemaName, com.fasterxml.jackson.databind.JsonNode node) {
        List<String> problems = OpenAiSchemas.shared().validate(schemaName, node);
        assertTrue(problems.isEmpty(), schemaName + " violations " + problems + " in " + node);
        OpenAiSdkCheck.bySchema(schemaName, node);
    }
}
