package dev.switchboard.internal.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.api.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
    /** The example conversation of OpenAI's cookbook "How to count tokens with tiktoken". */
    private static final String COOKBOOK_MESSAGES = "[" 
            + "{\"role\":\"system\",\"content\":\"You are a helpful, pattern-following assistant that translates corporate jargon into plain English.\"},"
            + "{\"role\":\"system\",\"name\":\"example_user\",\"content\":\"New synergies will help drive top-line growth.\"},"
            + "{\"role\":\"system\",\"name\":\"example_assistant\",\"content\":\"Things working well together will increase revenue.\"},"
            + "{\"role\":\"system\",\"name\":\"example_user\",\"content\":\"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.\"},"
            + "{\"role\":\"system\",\"name\":\"example_assistant\",\"content\":\"Let's talk later when we're less busy about how to do better.\"},"
            + "{\"role\":\"user\",\"content\":\"This late pivot means we don't have time to boil the ocean for the client deliverable.\"}]";

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.parse(json);
    }

    private static ObjectNode chat(String model, String extra) {
        return body("{\"model\":\"" + model + "\",\"messages\":" + COOKBOOK_MESSAGES + extra + "}");
    }

    @Test
    void openAiChatPromptMatchesTheCookbookCounts() {
        // The cookbook (checked against the API) reports 129 prompt tokens for gpt-4/gpt-3.5 and 124 for gpt-4o.
        TokenEstimator.Estimate gpt4 = TokenEstimator.estimate("openai", "gpt-4-0613", chat("gpt-4-0613", ""));
        assertEquals(129, gpt4.promptTokens());
        assertTrue(gpt4.exact());
        assertEquals(124, TokenEstimator.estimate("openai", "gpt-4o", chat("gpt-4o", "")).promptTokens());
        assertEquals(124, TokenEstimator.estimate("azure-openai", "my-deployment", chat("x", "")).promptTokens());
    }

    @Test
    void singleMessagesIncludeFramingAndReplyPriming() {
        // 3 per message + role + content + 3 priming: "Hello, how are you?" is 6 tokens
        assertEquals(13, TokenEstimator.estimate("openai", "gpt-4o",
                body("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you?\"}]}")).promptTokens());
        assertEquals(12, TokenEstimator.estimate("openai", "gpt-4o",
                body("{\"messages\":[{\"role\":\"system\",\"content\":\"You are a bot.\"}]}")).promptTokens());
    }

    @Test
    void modelsMapToTheirEncoding() {
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("openai", "gpt-4.1-mini"));
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("openai", "o3-mini"));
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("openai", "gpt-5"));
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("groq", "openai/gpt-oss-120b"));
        assertEquals(Optional.of(EncodingType.CL100K_BASE), TokenEstimator.encodingFor("openai", "gpt-3.5-turbo"));
        assertEquals(Optional.of(EncodingType.CL100K_BASE), TokenEstimator.encodingFor("openai", "text-embedding-3-small"));
        assertEquals(Optional.empty(), TokenEstimator.encodingFor("anthropic", "claude-sonnet-4-5"));
    }

    @Test
    void otherProvidersAreEstimatedAtFourCharactersPerToken() {
        ObjectNode b = body("{\"messages\":[{\"role\":\"user\",\"content\":\"abcdefghi\"}],\"max_tokens\":100}");
        TokenEstimator.Estimate e = TokenEstimator.estimate("anthropic", "claude-sonnet-4-5", b);
        // 3 per message + ⌈4/4⌉ for "user" + ⌈9/4⌉ = 3 for the content + 3 reply priming
        assertEquals(10, e.promptTokens());
        assertFalse(e.exact());
        assertEquals(100, e.maxOutputTokens());
        assertEquals(110, e.totalTokens());
    }

    @Test
    void maxOutputComesFromTheRequestOrTheDocumentedDefault() {
        assertEquals(TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS, TokenEstimator.maxOutputTokens("gpt-4o", body("{}")));
        assertEquals(50, TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_completion_tokens\":50,\"max_tokens\":9}")));
        assertEquals(70, TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_output_tokens\":70}")));
        assertEquals(300, TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":100,\"n\":3}")));
        assertEquals(0, TokenEstimator.maxOutputTokens("text-embedding-3-small", body("{\"input\":\"x\"}")));
    }

    @Test
    void embeddingsAndCompletionsInputsAreCounted() {
        // "hello world" is 2 tokens in cl100k_base; token-id arrays count one per id
        ObjectNode emb = body("{\"input\":[\"hello world\",\"hello world\",[1,2,3]]}");
        TokenEstimator.Estimate e = TokenEstimator.estimate("openai", "text-embedding-3-small", emb);
        assertEquals(7, e.promptTokens());
        assertEquals(0, e.maxOutputTokens());
        assertEquals(2, TokenEstimator.estimate("openai", "gpt-3.5-turbo-instruct", body("{\"prompt\":\"hello world\"}"))
                .promptTokens());
    }

    @Test
    void imagePartsCountAFixedAmountAndTextPartsTheirText() {
        ObjectNode b = body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello world\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}");
        // 3 + "user"(1) + "hello world"(2) + image + 3 priming
        assertEquals(9 + TokenEstimator.IMAGE_TOKENS, TokenEstimator.estimate("openai", "gpt-4o", b).promptTokens());
    }

    @Test
    void specialTokenTextInAMessageIsCountedAsOrdinaryText() {
        ObjectNode b = body("{\"messages\":[{\"role\":\"user\",\"content\":\"<|endoftext|>\"}]}");
        assertTrue(TokenEstimator.estimate("openai", "gpt-4o", b).promptTokens() > 7);
    }
}
