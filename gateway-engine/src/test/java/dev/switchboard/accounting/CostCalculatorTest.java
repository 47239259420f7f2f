package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ModelPrice;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
    private final DefaultPricingCatalog catalog = DefaultPricingCatalog.bundled();

    private static Usage usage(long prompt, long completion, long cached, long cacheWrite, long reasoning) {
        return new Usage(prompt, completion, prompt + completion, cached, cacheWrite, reasoning, 0, 0, false);
    }

    private static void assertUsd(String expected, Cost cost) {
        assertTrue(cost.known(), "cost unknown: " + cost);
        assertEquals(0, new BigDecimal(expected).compareTo(cost.usd()), "expected $" + expected + " but was " + cost);
    }

    @Test
    void gpt4oChargesCachedPromptTokensAtTheCacheReadPrice() {
        // 1000 prompt of which 400 cached, 200 completion:
        // 600 × 2.5e-6 = 0.0015; 400 × 1.25e-6 = 0.0005; 200 × 1e-5 = 0.002 → 0.004
        assertUsd("0.004", CostCalculator.cost("openai", "gpt-4o", usage(1000, 200, 400, 0, 0), catalog));
    }

    @Test
    void claudeSonnetChargesCacheWritesAndReadsSeparately() {
        // prompt 10000 = 2000 uncached + 3000 cache-write + 5000 cache-read; 1000 out
        // 2000 × 3e-6 = 0.006; 3000 × 3.75e-6 = 0.01125; 5000 × 3e-7 = 0.0015; 1000 × 1.5e-5 = 0.015 → 0.03375
        assertUsd(
                "0.03375",
                CostCalculator.cost("anthropic", "claude-sonnet-4-5", usage(10000, 1000, 5000, 3000, 0), catalog));
    }

    @Test
    void geminiProIncludingThinkingTokensInOutput() {
        // 2000 in × 1.25e-6 = 0.0025; 1500 out (500 of them thinking, no separate rate) × 1e-5 = 0.015 → 0.0175
        assertUsd("0.0175", CostCalculator.cost("google", "gemini-2.5-pro", usage(2000, 1500, 0, 0, 500), catalog));
    }

    @Test
    void bedrockClaudeViaRegionalProfile() {
        // 1000 × 3e-6 = 0.003; 100 × 1.5e-5 = 0.0015 → 0.0045
        assertUsd(
                "0.0045",
                CostCalculator.cost(
                        "bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0", Usage.of(1000, 100), catalog));
    }

    @Test
    void reasoningModelBillsReasoningTokensAsOutputWhenNoSeparateRate() {
        // o3: in 2e-6, out 8e-6, cache-read 5e-7. 5000 prompt (1000 cached), 3000 completion of which 2500 reasoning
        // 4000 × 2e-6 = 0.008; 1000 × 5e-7 = 0.0005; 3000 × 8e-6 = 0.024 → 0.0325
        assertUsd("0.0325", CostCalculator.cost("openai", "o3", usage(5000, 3000, 1000, 0, 2500), catalog));
    }

    @Test
    void reasoningTokensUseTheirOwnPriceWhenTheCatalogHasOne() {
        ModelPrice p = new ModelPrice(
                new BigDecimal("1e-6"),
                new BigDecimal("2e-6"),
                null,
                null,
                new BigDecimal("5e-6"),
                null,
                null,
                null,
                null);
        // 100 × 1e-6 = 0.0001; (300 − 200) × 2e-6 = 0.0002; 200 × 5e-6 = 0.001 → 0.0013
        assertUsd("0.0013", CostCalculator.cost(p, usage(100, 300, 0, 0, 200), false, "acme/r1"));
    }

    @Test
    void cacheTokensWithoutACacheRateAreChargedAsInput() {
        ModelPrice p = ModelPrice.of(new BigDecimal("1e-6"), new BigDecimal("2e-6"));
        // all 1000 prompt tokens at 1e-6 whatever the split: 0.001; 10 × 2e-6 = 0.00002 → 0.00102
        assertUsd("0.00102", CostCalculator.cost(p, usage(1000, 10, 300, 200, 0), false, "acme/m"));
    }

    @Test
    void audioTokensUseAudioPrices() {
        // gpt-4o-audio-preview: text in 2.5e-6, out 1e-5, audio in 4e-5, audio out 8e-5
        Usage u = new Usage(1100, 600, 1700, 0, 0, 0, 100, 500, false);
        // 1000 × 2.5e-6 = 0.0025; 100 × 4e-5 = 0.004; 100 × 1e-5 = 0.001; 500 × 8e-5 = 0.04 → 0.0475
        assertUsd("0.0475", CostCalculator.cost("openai", "gpt-4o-audio-preview", u, catalog));
    }

    @Test
    void batchDiscountHalvesTheCost() {
        ModelPrice gpt4o = catalog.price("openai", "gpt-4o").orElseThrow();
        assertUsd("0.00225", CostCalculator.cost(gpt4o, Usage.of(1000, 200), true, "openai/gpt-4o"));
    }

    @Test
    void unknownModelCostIsUnknownAndSaysWhy() {
        Cost c = CostCalculator.cost("openai", "gpt-imaginary-9", Usage.of(10, 10), catalog);
        assertFalse(c.known());
        assertEquals(
                "no price for model gpt-imaginary-9 of provider openai in catalog litellm 2026-07-24",
                c.unknownReason());
    }

    @Test
    void missingUsageGivesUnknownCost() {
        assertFalse(CostCalculator.cost("openai", "gpt-4o", null, catalog).known());
    }

    @Test
    void negativeOrHugeCountsFromAProviderNeverGiveANegativeCost() {
        // issue 15: a provider (or a bug) reporting negative counts must not refund a budget
        Cost negative = CostCalculator.cost("openai", "gpt-4o", usage(-1000, -200, -400, 0, 0), catalog);
        assertUsd("0", negative);
        Cost cachedMin = CostCalculator.cost("openai", "gpt-4o", usage(1000, 0, Long.MIN_VALUE, 0, 0), catalog);
        assertUsd("0.0025", cachedMin); // 1000 × 2.5e-6: the negative cached count is ignored
        Cost huge = CostCalculator.cost(
                "openai", "gpt-4o", usage(Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0), catalog);
        assertTrue(huge.usd().signum() > 0, huge.toString());
        // Long.MAX_VALUE × (2.5e-6 + 1e-5), exactly
        assertUsd(
                new BigDecimal(Long.MAX_VALUE)
                        .multiply(new BigDecimal("1.25e-5"))
                        .toPlainString(),
                huge);
    }
}
