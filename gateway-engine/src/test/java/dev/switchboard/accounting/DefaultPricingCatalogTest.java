package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ModelPrice;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultPricingCatalogTest {
    private final DefaultPricingCatalog catalog = DefaultPricingCatalog.bundled();

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static void assertPrice(String expected, BigDecimal actual) {
        assertEquals(0, d(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    private ModelPrice price(String provider, String model) {
        return catalog.price(provider, model)
                .orElseThrow(() -> new AssertionError("no price for " + provider + "/" + model));
    }

    @Test
    void bundledCatalogIsDatedAndLoadedOnce() {
        assertEquals("litellm 2026-07-24", catalog.version());
        assertSame(catalog, DefaultPricingCatalog.bundled());
        assertTrue(catalog.size() > 500, "catalog has " + catalog.size() + " models");
    }

    @Test
    void everyShippedProviderHasPrices() {
        List<String[]> samples = List.of(
                new String[] {"openai", "gpt-4o-mini"},
                new String[] {"azure-openai", "gpt-4o"},
                new String[] {"anthropic", "claude-sonnet-4-5"},
                new String[] {"google", "gemini-2.5-pro"},
                new String[] {"vertex-ai", "gemini-2.5-pro"},
                new String[] {"bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"},
                new String[] {"cohere", "command-r"},
                new String[] {"mistral-ai", "mistral-large-latest"},
                new String[] {"groq", "llama-3.3-70b-versatile"},
                new String[] {"deepseek", "deepseek-chat"},
                new String[] {"together-ai", "meta-llama/Llama-3.3-70B-Instruct-Turbo"},
                new String[] {"fireworks-ai", "accounts/fireworks/models/deepseek-r1"});
        for (String[] s : samples) {
            assertTrue(catalog.price(s[0], s[1]).isPresent(), "no price for " + s[0] + "/" + s[1]);
        }
    }

    @Test
    void knownPricesMatchTheLiteLlmSnapshot() {
        ModelPrice gpt4o = price("openai", "gpt-4o");
        assertPrice("2.5e-06", gpt4o.inputPerToken());
        assertPrice("1e-05", gpt4o.outputPerToken());
        assertPrice("1.25e-06", gpt4o.cacheReadPerToken());
        assertPrice("0.5", gpt4o.batchDiscount());
        ModelPrice sonnet = price("anthropic", "claude-sonnet-4-5");
        assertPrice("3e-06", sonnet.inputPerToken());
        assertPrice("1.5e-05", sonnet.outputPerToken());
        assertPrice("3.75e-06", sonnet.cacheWritePerToken());
        assertPrice("3e-07", sonnet.cacheReadPerToken());
        ModelPrice gemini = price("google", "gemini-2.5-pro");
        assertPrice("1.25e-06", gemini.inputPerToken());
        assertPrice("1e-05", gemini.outputPerToken());
    }

    @Test
    void unknownModelHasNoPriceInsteadOfZero() {
        assertEquals(Optional.empty(), catalog.price("openai", "gpt-imaginary-9"));
        assertEquals(Optional.empty(), catalog.price("acme", "gpt-4o"));
    }

    @Test
    void pricesDoNotCrossProviders() {
        assertEquals(Optional.empty(), catalog.price("anthropic", "gpt-4o"));
    }

    @Test
    void lookupNormalisesDatesRegionsVersionsAndPrefixes() {
        ModelPrice sonnet = price("anthropic", "claude-sonnet-4-5");
        // date suffix of a model only listed undated is stripped
        assertEquals(sonnet, price("anthropic", "claude-sonnet-4-5-20991231"));
        assertEquals(price("openai", "gpt-4o"), price("openai", "gpt-4o-2099-01-01"));
        // Bedrock cross-region inference profile
        assertEquals(
                price("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
                price("bedrock", "eu.anthropic.claude-3-5-sonnet-20241022-v2:0"));
        // Vertex @version
        assertTrue(catalog.price("vertex-ai", "claude-sonnet-4-5@20250929").isPresent());
        // a provider prefix the caller kept, and provider aliases / case
        assertEquals(price("google", "gemini-2.5-pro"), price("google", "models/gemini-2.5-pro"));
        assertEquals(price("google", "gemini-2.5-pro"), price("gemini", "Gemini-2.5-Pro"));
        // a fine-tuned model is priced as its fine-tuning base
        assertEquals(price("openai", "ft:gpt-4o-2024-08-06"), price("openai", "ft:gpt-4o-2024-08-06:acme::abc123"));
    }

    @Test
    void overrideReturnsNewCatalogAndCoversDatedVariants() {
        ModelPrice mine = ModelPrice.of(d("1e-06"), d("2e-06"));
        DefaultPricingCatalog overridden = catalog.withOverride("openai", "gpt-4o", mine);
        // the override's prices, with the bundled model's output limit (the override sets none)
        assertEquals(
                mine.withMaxOutputTokens(16_384),
                overridden.price("openai", "gpt-4o").orElseThrow());
        assertEquals(
                mine.withMaxOutputTokens(16_384),
                overridden.price("openai", "gpt-4o-2024-08-06").orElseThrow());
        assertPrice("2.5e-06", catalog.price("openai", "gpt-4o").orElseThrow().inputPerToken());
        assertEquals(
                mine,
                overridden
                        .withOverride("acme", "secret-model", mine)
                        .price("acme", "secret-model")
                        .orElseThrow());
        assertTrue(overridden.version().startsWith("litellm 2026-07-24"));
    }

    @Test
    void modelsCarryTheirOutputLimitFromTheSnapshot() {
        // LiteLLM's max_output_tokens: what admission reserves when a request sets no max_tokens (issue 15)
        assertEquals(16_384L, price("openai", "gpt-4o").maxOutputTokens());
        assertEquals(16_384L, price("openai", "gpt-4o-mini-2024-07-18").maxOutputTokens());
        assertEquals(128_000L, price("openai", "gpt-5").maxOutputTokens());
        assertEquals(64_000L, price("anthropic", "claude-sonnet-4-5").maxOutputTokens());
        assertEquals(65_535L, price("google", "gemini-2.5-pro").maxOutputTokens());
        assertEquals(null, price("openai", "text-embedding-3-small").maxOutputTokens(), "embeddings write no output");
        long withLimit = DefaultPricingCatalog.bundled()
                .withOverride("openai", "gpt-4o", ModelPrice.of(d("1e-6"), d("2e-6")))
                .price("openai", "gpt-4o")
                .orElseThrow()
                .maxOutputTokens();
        assertEquals(16_384L, withLimit, "an override without a limit keeps the bundled one");
        ModelPrice own = ModelPrice.of(d("1e-6"), d("2e-6")).withMaxOutputTokens(100);
        assertEquals(
                100L,
                DefaultPricingCatalog.bundled()
                        .withOverride("openai", "gpt-4o", own)
                        .price("openai", "gpt-4o")
                        .orElseThrow()
                        .maxOutputTokens());
    }

    @Test
    void catalogFromJsonKeepsDecimalsExact() {
        DefaultPricingCatalog c = DefaultPricingCatalog.fromJson(
                "{\"version\":\"test 1\",\"models\":{\"acme/m\":{\"input\":3.75e-06,\"output\":0.1}}}");
        assertEquals(
                "0.00000375", c.price("acme", "m").orElseThrow().inputPerToken().toPlainString());
        assertEquals("test 1", c.version());
    }

    /**
     * Portkey's open pricing DB (US cents per token) agrees with the bundled LiteLLM numbers. The
     * three Portkey files are test resources ({@code pricing/portkey/}, MIT, see NOTICE).
     */
    @Test
    void bundledPricesAgreeWithPortkeyPricingInCents() throws IOException {
        String[][] cases = {
            {"openai", "openai", "gpt-4o"}, {"openai", "openai", "gpt-4o-mini"},
            {"anthropic", "anthropic", "claude-sonnet-4-5"}, {"anthropic", "anthropic", "claude-3-7-sonnet-20250219"},
            {"bedrock", "bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"},
        };
        for (String[] c : cases) {
            JsonNode file = Json.parse(portkeyFile(c[0] + ".json"));
            JsonNode payg = file.path(c[2]).path("pricing_config").path("pay_as_you_go");
            assertTrue(payg.isObject(), "portkey has " + c[2]);
            ModelPrice ours = price(c[1], c[2]);
            assertPrice(cents(payg, "request_token").toPlainString(), ours.inputPerToken());
            assertPrice(cents(payg, "response_token").toPlainString(), ours.outputPerToken());
            if (payg.has("cache_read_input_token") && ours.cacheReadPerToken() != null) {
                assertPrice(cents(payg, "cache_read_input_token").toPlainString(), ours.cacheReadPerToken());
            }
        }
    }

    private static byte[] portkeyFile(String name) throws IOException {
        String resource = "/pricing/portkey/" + name;
        try (InputStream in = DefaultPricingCatalogTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "test resource " + resource + " (gateway-engine/src/test/resources" + resource + ")");
            return in.readAllBytes();
        }
    }

    private static BigDecimal cents(JsonNode payg, String unit) {
        return new BigDecimal(payg.path(unit).path("price").asText()).movePointLeft(2);
    }
}
