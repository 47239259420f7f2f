package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ModelPrice;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image, transcription, speech and moderation prices from the bundled catalog (LiteLLM 2026-07-24 values). */
class MediaPricingTest {
    private final DefaultPricingCatalog catalog = DefaultPricingCatalog.bundled();

    private static void assertUsd(String expected, Cost c) {
        assertNull(c.unknownReason(), () -> "unknown: " + c.unknownReason());
        assertEquals(0, new BigDecimal(expected).compareTo(c.usd()), () -> expected + " vs " + c.usd());
    }

    @Test
    void theCatalogCarriesMediaRates() {
        ModelPrice whisper = catalog.price("openai", "whisper-1").orElseThrow();
        assertEquals(new BigDecimal("0.0001"), whisper.inputPerSecond());
        assertEquals(
                new BigDecimal("1.5E-5"),
                catalog.price("openai", "tts-1").orElseThrow().inputPerCharacter());
        assertEquals(
                new BigDecimal("0.04"),
                catalog.price("openai", "dall-e-3").orElseThrow().perImage());
        assertEquals(
                new BigDecimal("0.079996"),
                catalog.price("openai", "hd/1024-x-1024/dall-e-3").orElseThrow().perImage());
        ModelPrice gptImage = catalog.price("openai", "gpt-image-1").orElseThrow();
        assertEquals(new BigDecimal("1E-5"), gptImage.imageInputPerToken());
        assertEquals(new BigDecimal("4E-5"), gptImage.outputPerToken());
        assertEquals(
                new BigDecimal("3.083E-5"),
                catalog.price("groq", "whisper-large-v3").orElseThrow().inputPerSecond());
        // chat models keep their token prices only
        assertNull(catalog.price("openai", "gpt-4o").orElseThrow().inputPerCharacter());
    }

    @Test
    void imageNamesTryQualityAndSizeThenSizeThenTheModel() {
        assertEquals(
                List.of("hd/1024-x-1792/dall-e-3", "1024-x-1792/dall-e-3", "dall-e-3"),
                BillableUnits.images(1, "HD", "1024x1792", 0).imagePriceNames("dall-e-3"));
        assertEquals(
                List.of("standard/1024-x-1024/dall-e-3", "1024-x-1024/dall-e-3", "dall-e-3"),
                BillableUnits.images(1, null, "1024x1024", 0).imagePriceNames("dall-e-3"));
        assertEquals(
                List.of("dall-e-2"), BillableUnits.images(1, null, "auto", 0).imagePriceNames("dall-e-2"));
    }

    @Test
    void eachUnitIsPricedAndAMissingCountIsUnknownNeverZero() {
        assertUsd(
                "0.12",
                CostCalculator.cost("openai", "dall-e-3", null, BillableUnits.images(3, null, null, 0), catalog));
        assertUsd(
                "0.119991",
                CostCalculator.cost(
                        "openai", "dall-e-3", null, BillableUnits.images(1, "hd", "1792x1024", 0), catalog));
        assertUsd(
                "0.006",
                CostCalculator.cost(
                        "openai", "whisper-1", null, BillableUnits.audioSeconds(new BigDecimal("60")), catalog));
        assertUsd("0.0003", CostCalculator.cost("openai", "tts-1-hd", null, BillableUnits.characters(10), catalog));
        assertUsd(
                "0.00125",
                CostCalculator.cost(
                        "openai", "gpt-4o-transcribe", Usage.of(300, 50), BillableUnits.audioSeconds(null), catalog));
        assertUsd(
                "0",
                CostCalculator.cost("openai", null, null, BillableUnits.tokens("omni-moderation-latest"), catalog));

        Cost noDuration = CostCalculator.cost("openai", "whisper-1", null, BillableUnits.audioSeconds(null), catalog);
        assertTrue(noDuration.unknownReason().contains("verbose_json"), noDuration.unknownReason());
        assertNull(CostCalculator.cost("openai", "gpt-4o-mini-tts", null, BillableUnits.characters(5), catalog)
                .usd());
        assertNull(CostCalculator.cost("openai", "imagen-x", null, BillableUnits.images(1, null, null, 0), catalog)
                .usd());
        assertNull(
                CostCalculator.cost("openai", "dall-e-3", null, BillableUnits.images(null, null, null, 0), catalog)
                        .usd(),
                "an image count we could not read is unknown");
    }
}
