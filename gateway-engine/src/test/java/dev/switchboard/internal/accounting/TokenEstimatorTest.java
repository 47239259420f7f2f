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
        assertEquals(
                124,
                TokenEstimator.estimate("openai", "gpt-4o", chat("gpt-4o", "")).promptTokens());
        assertEquals(
                124,
                TokenEstimator.estimate("azure-openai", "my-deployment", chat("x", ""))
                        .promptTokens());
    }

    @Test
    void singleMessagesIncludeFramingAndReplyPriming() {
        // 3 per message + role + content + 3 priming: "Hello, how are you?" is 6 tokens
        assertEquals(
                13,
                TokenEstimator.estimate(
                                "openai",
                                "gpt-4o",
                                body("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you?\"}]}"))
                        .promptTokens());
        assertEquals(
                12,
                TokenEstimator.estimate(
                                "openai",
                                "gpt-4o",
                                body("{\"messages\":[{\"role\":\"system\",\"content\":\"You are a bot.\"}]}"))
                        .promptTokens());
    }

    @Test
    void modelsMapToTheirEncoding() {
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("openai", "gpt-4.1-mini"));
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("openai", "o3-mini"));
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("openai", "gpt-5"));
        assertEquals(Optional.of(EncodingType.O200K_BASE), TokenEstimator.encodingFor("groq", "openai/gpt-oss-120b"));
        assertEquals(Optional.of(EncodingType.CL100K_BASE), TokenEstimator.encodingFor("openai", "gpt-3.5-turbo"));
        assertEquals(
                Optional.of(EncodingType.CL100K_BASE), TokenEstimator.encodingFor("openai", "text-embedding-3-small"));
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
        assertEquals(
                50, TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_completion_tokens\":50,\"max_tokens\":9}")));
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
        assertEquals(
                2,
                TokenEstimator.estimate("openai", "gpt-3.5-turbo-instruct", body("{\"prompt\":\"hello world\"}"))
                        .promptTokens());
    }

    @Test
    void imagePartsCountAFixedAmountAndTextPartsTheirText() {
        ObjectNode b =
                body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello world\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}");
        // 3 + "user"(1) + "hello world"(2) + image + 3 priming
        assertEquals(
                9 + TokenEstimator.IMAGE_TOKENS,
                TokenEstimator.estimate("openai", "gpt-4o", b).promptTokens());
    }

    @Test
    void specialTokenTextInAMessageIsCountedAsOrdinaryText() {
        ObjectNode b = body("{\"messages\":[{\"role\":\"user\",\"content\":\"<|endoftext|>\"}]}");
        assertTrue(TokenEstimator.estimate("openai", "gpt-4o", b).promptTokens() > 7);
    }

    // ---------------------------------------------------------------- issue 15, defect 2: no overflow

    @Test
    void maxOutputIsCappedAtTheModelsOutputLimitAndNeverWraps() {
        assertEquals(
                16_384,
                TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":9223372036854775807}"), 16_384L));
        assertEquals(
                32_768,
                TokenEstimator.maxOutputTokens(
                        "gpt-4o", body("{\"max_tokens\":4611686018427387904,\"n\":2}"), 16_384L));
        assertEquals(
                Long.MAX_VALUE,
                TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":4611686018427387904,\"n\":2}"), null),
                "no known limit: saturates, never wraps");
        assertEquals(
                Long.MAX_VALUE,
                TokenEstimator.maxOutputTokens(
                        "gpt-4o", body("{\"max_tokens\":100,\"n\":9223372036854775807}"), 16_384L));
        assertEquals(Long.MAX_VALUE, TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":1e300}"), null));
        assertEquals(
                Long.MAX_VALUE,
                TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":99999999999999999999999999}"), null));
        assertEquals(
                100,
                TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":100,\"n\":-5}"), 16_384L),
                "n below 1 counts as one choice");
        assertEquals(
                200,
                TokenEstimator.maxOutputTokens("gpt-4o", body("{\"max_tokens\":100,\"n\":1.5}"), 16_384L),
                "a fractional n rounds up");
    }

    @Test
    void withoutAUsableMaxTheModelsOutputLimitIsReserved() {
        for (String b : new String[] {
            "{}",
            "{\"max_tokens\":-1}",
            "{\"max_tokens\":0}",
            "{\"max_tokens\":\"many\"}",
            "{\"max_completion_tokens\":-9223372036854775808}",
            "{\"max_tokens\":null}"
        }) {
            assertEquals(16_384, TokenEstimator.maxOutputTokens("gpt-4o", body(b), 16_384L), b);
            assertEquals(
                    TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS,
                    TokenEstimator.maxOutputTokens("gpt-4o", body(b), null),
                    b + " on a model whose limit is unknown");
        }
    }

    @Test
    void totalTokensSaturates() {
        assertEquals(Long.MAX_VALUE, new TokenEstimator.Estimate(10, Long.MAX_VALUE, true).totalTokens());
    }

    // ---------------------------------------------------------------- issue 15, defect 7: bounded tokenizer

    @Test
    void aFourMegabyteOneWordPromptIsBoundedByItsUtf8LengthInsteadOfTokenised() {
        String word = "a".repeat(4 * 1024 * 1024);
        ObjectNode b = body("{\"messages\":[]}");
        b.withArray("messages").addObject().put("role", "user").put("content", word);
        TokenEstimator.Estimate e = TokenEstimator.estimate("openai", "gpt-4o", b, 16_384L);
        // 3 per message + "user" (1 token, counted exactly) + 4 MiB of content at one token per byte + 3 priming
        assertEquals(3 + 1 + word.length() + 3, e.promptTokens());
        assertFalse(e.exact(), "a bound, not the tokenizer's count");
    }

    @Test
    void sixteenMegabytesAreBoundedWithoutTokenising() {
        String big = "\u00e9".repeat(16 * 1024 * 1024); // two UTF-8 bytes each
        ObjectNode b = body("{\"model\":\"gpt-4o\"}");
        b.put("prompt", big);
        assertEquals(
                2L * big.length(),
                TokenEstimator.estimate("openai", "gpt-4o", b, 16_384L).promptTokens());
    }

    @Test
    void theExactBudgetIsPerRequestNotPerString() {
        // many strings each under the budget: once the request's budget is spent, the rest are bounded
        String piece = "hello world ".repeat(1000); // 12,000 chars, 2,000 tokens in o200k_base
        ObjectNode b = body("{\"messages\":[]}");
        int messages = TokenEstimator.EXACT_CHARS_PER_REQUEST / piece.length() + 10;
        for (int i = 0; i < messages; i++) {
            b.withArray("messages").addObject().put("role", "user").put("content", piece);
        }
        TokenEstimator.Estimate e = TokenEstimator.estimate("openai", "gpt-4o", b, 16_384L);
        assertFalse(e.exact());
        long exactly = 3 + (long) messages * (3 + 1 + 2000);
        assertTrue(e.promptTokens() > exactly, "the bound counts more than the tokenizer would: " + e.promptTokens());
        assertTrue(e.promptTokens() <= 3 + (long) messages * (3 + 1 + piece.length()), "and at most a token per byte");
    }

    @Test
    void utf8LengthIsAnUpperBoundOfTheBpeCount() {
        // BPE tokens are merged byte sequences: a token covers at least one byte of the UTF-8 text
        String[] texts = {
            "hello world",
            "!!!!!!!!!!!!!!!!!!",
            "\u4e2d\u6587\u5b57\u7b26\u4e32",
            "\ud83d\ude00\ud83d\ude00 ok",
            "lone \ud800 surrogate \udc00",
            "\u00e9t\u00e9",
            "   \n\n\t  ",
            "1234567890",
            "<|endoftext|>",
            "x".repeat(5000),
            "\u0416".repeat(300)
        };
        for (String t : texts) {
            ObjectNode b = body("{}");
            b.put("prompt", t);
            long exact = TokenEstimator.estimate("openai", "gpt-4o", b, null).promptTokens();
            long exactCl = TokenEstimator.estimate("openai", "gpt-4", b, null).promptTokens();
            long bound = TokenEstimator.utf8Length(t);
            assertTrue(
                    exact <= bound && exactCl <= bound, t + ": " + exact + "/" + exactCl + " tokens, bound " + bound);
            assertEquals(
                    t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    bound - (t.contains("\ud800") ? 4 : 0),
                    "lone surrogates count 3 bytes (the replacement character)");
        }
    }

    @Test
    void aLoneSurrogateIsBoundedInsteadOfFailingTheRequest() {
        // jtokkit throws "Input is not UTF-8" on it, which failed the admission with an exception
        ObjectNode b = body("{\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}");
        TokenEstimator.Estimate e = TokenEstimator.estimate("openai", "gpt-4o", b, null);
        assertEquals(3 + 1 + 5 + 3, e.promptTokens(), "a + 3 bytes + b");
        assertFalse(e.exact());
    }
}
