package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fakes' OpenAI payloads must pass OpenAI's own schemas, or gateway tests built on them prove nothing. */
class OpenAiPayloadsSchemaTest {
    private static void assertConforms(String schema, JsonNode payload) {
        assertEquals(List.of(), OpenAiSchemas.shared().validate(schema, payload), schema + ": " + payload);
    }

    @Test
    void chatCompletionConformsToCreateChatCompletionResponse() {
        assertConforms("CreateChatCompletionResponse", OpenAiPayloads.chatCompletion("gpt-4o", "hi", 10, 5));
    }

    @Test
    void theSchemaCheckRejectsACompletionWithoutAnId() {
        com.fasterxml.jackson.databind.node.ObjectNode broken = OpenAiPayloads.chatCompletion("gpt-4o", "hi", 10, 5);
        broken.remove("id");
        assertEquals(
                false,
                OpenAiSchemas.shared()
                        .validate("CreateChatCompletionResponse", broken)
                        .isEmpty());
    }

    @Test
    void everyStreamChunkConformsToCreateChatCompletionStreamResponse() {
        for (String chunk : OpenAiPayloads.chatChunks("gpt-4o", List.of("a", " b"), true)) {
            assertConforms("CreateChatCompletionStreamResponse", Json.parse(chunk));
        }
    }

    @Test
    void embeddingsConformToCreateEmbeddingResponse() {
        assertConforms(
                "CreateEmbeddingResponse", OpenAiPayloads.embeddings(Json.parse("{\"input\":[\"a\",\"b\"]}"), 4));
    }

    @Test
    void errorEnvelopeConformsToErrorResponse() {
        assertConforms("ErrorResponse", OpenAiPayloads.error(429, "slow down"));
        assertConforms("ErrorResponse", OpenAiPayloads.error(500, "boom"));
    }
}
