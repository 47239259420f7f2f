package dev.switchboard.testkit.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenAiSchemasTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return M.readTree(s);
    }

    private static final String VALID_CHAT =
            """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4.1-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,
                      "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}
            """;

    @Test
    void validChatCompletionHasNoProblems() throws Exception {
        List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", json(VALID_CHAT));
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void chatCompletionWithUnknownFinishReasonAndMissingModelIsReported() throws Exception {
        JsonNode bad = json(VALID_CHAT
                .replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"end_turn\"")
                .replace("\"model\":\"gpt-4.1-mini\",", ""));
        List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", bad);
        assertTrue(problems.stream().anyMatch(p -> p.contains("finish_reason")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("model")), problems.toString());
    }

    @Test
    void streamChunkAcceptsNullFinishReasonAndNullUsage() throws Exception {
        JsonNode chunk = json(
                """
                {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",
                 "choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}
                """);
        List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionStreamResponse", chunk);
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void streamChunkWithStringIndexIsReported() throws Exception {
        JsonNode chunk = json(
                """
                {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",
                 "choices":[{"index":"0","delta":{},"finish_reason":null}]}
                """);
        assertFalse(OpenAiSchemas.shared()
                .validate("CreateChatCompletionStreamResponse", chunk)
                .isEmpty());
    }

    @Test
    void embeddingAndCompletionSchemasAreAvailable() throws Exception {
        JsonNode emb = json(
                """
                {"object":"list","model":"text-embedding-3-small",
                 "data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],
                 "usage":{"prompt_tokens":2,"total_tokens":2}}
                """);
        assertTrue(
                OpenAiSchemas.shared().validate("CreateEmbeddingResponse", emb).isEmpty());
        assertTrue(OpenAiSchemas.shared().has("CreateCompletionResponse"));
    }

    @Test
    void unknownSchemaNameIsRejectedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenAiSchemas.shared()
                .validate("NoSuchThing", M.createObjectNode()));
        assertTrue(e.getMessage().contains("NoSuchThing"));
    }

    @Test
    void theBundledSpecAndItsLicenceAreClasspathResourcesOfThisJar() throws Exception {
        try (InputStream spec = OpenAiSchemas.class.getResourceAsStream(OpenAiSchemas.SPEC_RESOURCE)) {
            assertNotNull(spec, OpenAiSchemas.SPEC_RESOURCE);
            String head = new String(spec.readNBytes(200), StandardCharsets.UTF_8);
            assertTrue(head.startsWith("openapi: 3.1.0") && head.contains("title: OpenAI API"), head);
        }
        assertNotNull(OpenAiSchemas.class.getResource("LICENSE-openai-openapi.txt"), "MIT licence beside the spec");
        assertSame(OpenAiSchemas.shared(), OpenAiSchemas.shared(), "loaded once per JVM");
    }

    private static final String TINY_SPEC =
            """
            openapi: 3.1.0
            components:
              schemas:
                Pet:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    owner: {$ref: '#/components/schemas/Owner', nullable: true}
                Owner:
                  type: object
                  required: [id]
                  properties:
                    id: {type: integer}
            """;

    @Test
    void anyOpenApiDocumentLoadsFromAStreamWithRefsAndNullable() throws Exception {
        OpenAiSchemas tiny = OpenAiSchemas.load(new ByteArrayInputStream(TINY_SPEC.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), tiny.validate("Pet", json("{\"name\":\"Rex\",\"owner\":null}")));
        assertEquals(List.of(), tiny.validate("Pet", json("{\"name\":\"Rex\",\"owner\":{\"id\":1}}")));
        assertFalse(tiny.validate("Pet", json("{\"owner\":{\"id\":\"x\"}}")).isEmpty());
        assertFalse(tiny.has("CreateChatCompletionResponse"));
    }

    @Test
    void aFileLoadsToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tiny.yaml"), TINY_SPEC);
        assertTrue(OpenAiSchemas.load(file).has("Owner"));
    }

    @Test
    void aDocumentWithoutComponentSchemasIsRejectedNamingWhatIsMissing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("empty.yaml"), "openapi: 3.1.0\npaths: {}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenAiSchemas.load(file));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("components.schemas"),
                e.getMessage());
    }
}
