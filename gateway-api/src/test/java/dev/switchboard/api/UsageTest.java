package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Issue 15, defect 2: token counts are added with saturation and read from providers clamped. */
class UsageTest {
    @Test
    void countsFromAProviderAreClampedNotWrapped() {
        Usage u = Usage.fromOpenAi(Json.parse("{\"prompt_tokens\":18446744073709551615,\"completion_tokens\":-7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1e300},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":2.5}}"));
        assertEquals(Long.MAX_VALUE, u.promptTokens(), "2^64 - 1 read with asLong() was -1");
        assertEquals(0, u.completionTokens());
        assertEquals(Long.MAX_VALUE, u.totalTokens());
        assertEquals(Long.MAX_VALUE, u.cachedTokens());
        assertEquals(3, u.reasoningTokens(), "a fractional count rounds up");
        assertEquals(
                12, Usage.fromOpenAi(Json.parse("{\"prompt_tokens\":\"12\"}")).promptTokens());
        assertEquals(
                5,
                Usage.fromOpenAi(Json.parse("{\"input_tokens\":5,\"output_tokens\":2}"))
                        .promptTokens());
    }

    @Test
    void sumsSaturate() {
        Usage big = Usage.of(Long.MAX_VALUE, 1);
        assertEquals(Long.MAX_VALUE, big.totalTokens());
        Usage sum = big.plus(big);
        assertEquals(Long.MAX_VALUE, sum.promptTokens());
        assertEquals(2, sum.completionTokens());
        assertEquals(Long.MAX_VALUE, sum.totalTokens());
    }
}
