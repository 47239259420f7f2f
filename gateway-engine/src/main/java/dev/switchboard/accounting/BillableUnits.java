package dev.switchboard.accounting;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an image, audio or moderation call is billed by, besides tokens: images made (and the quality
 * and size asked for), seconds of audio transcribed, characters spoken. Read from the request and
 * the answer by the gateway; a null count is unknown (a subtitle or SSE answer carries no duration),
 * and the cost of a model priced by that unit is then unknown too, never 0.
 *
 * <pre>{@code
 * BillableUnits u = BillableUnits.images(2, "hd", "1024x1024", 0);
 * CostCalculator.cost("openai", "dall-e-3", null, u, DefaultPricingCatalog.bundled()); // 2 × $0.08
 * }</pre>
 *
 * @param images           images in the answer, null when not an image call or not countable
 * @param quality          the requested {@code quality} ({@code hd}, {@code low}, …), or null
 * @param size             the requested {@code size} ({@code 1024x1024}), or null
 * @param imageInputTokens input image tokens the answer's usage reports ({@code gpt-image-1} edits)
 * @param seconds          seconds of audio transcribed, null when the answer did not say
 * @param characters       characters of text spoken, null when not a speech call
 * @param answerModel      the model the answer names, used when the request named none (moderations)
 */
public record BillableUnits(
        Integer images,
        String quality,
        String size,
        long imageInputTokens,
        BigDecimal seconds,
        Long characters,
        String answerModel) {

    /**
     * Units of an image call.
     *
     * @param images           images in the answer, or null when unknown
     * @param quality          the requested quality, or null
     * @param size             the requested size, or null
     * @param imageInputTokens input image tokens from the answer's usage
     * @return the units
     */
    public static BillableUnits images(Integer images, String quality, String size, long imageInputTokens) {
        return new BillableUnits(images, quality, size, imageInputTokens, null, null, null);
    }

    /**
     * Units of a transcription or translation.
     *
     * @param seconds the audio's duration, or null when the answer did not give it
     * @return the units
     */
    public static BillableUnits audioSeconds(BigDecimal seconds) {
        return new BillableUnits(null, null, null, 0, seconds, null, null);
    }

    /**
     * Units of a text-to-speech call.
     *
     * @param characters characters in {@code input}
     * @return the units
     */
    public static BillableUnits characters(long characters) {
        return new BillableUnits(null, null, null, 0, null, characters, null);
    }

    /**
     * Units of a call billed by tokens only (moderations), with the model the answer names.
     *
     * @param answerModel the answer's {@code model}, or null
     * @return the units
     */
    public static BillableUnits tokens(String answerModel) {
        return new BillableUnits(null, null, null, 0, null, null, answerModel);
    }

    /**
     * The catalog names to try for an image price, most specific first, as LiteLLM keys them:
     * {@code hd/1024-x-1024/dall-e-3}, {@code 1024-x-1024/dall-e-3}, {@code dall-e-3}. DALL·E 3's
     * default quality is {@code standard}.
     *
     * @param model the model
     * @return the names
     */
    public List<String> imagePriceNames(String model) {
        List<String> names = new ArrayList<>(3);
        String s = size == null ? null : size.trim().toLowerCase(Locale.ROOT).replace("x", "-x-");
        String q = quality != null
                ? quality.trim().toLowerCase(Locale.ROOT)
                : model.toLowerCase(Locale.ROOT).startsWith("dall-e-3") ? "standard" : null;
        if (s != null && s.matches("\\d+-x-\\d+")) {
            if (q != null) {
                names.add(q + "/" + s + "/" + model);
            }
            names.add(s + "/" + model);
        }
        names.add(model);
        return names;
    }
}
