package dev.switchboard.spi;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Prices of one model in USD per token (per image for {@code perImage}, per second of audio for
 * {@code inputPerSecond}, per character for {@code inputPerCharacter}); a null price means the
 * catalog has no separate rate for that kind of token. {@code batchDiscount} is the fraction of the
 * price charged for batch calls (0.5 = half price), null when unknown. {@code maxOutputTokens} is the
 * most the model writes in one answer (per choice), null when unknown: admission caps a request's
 * reservation at it and reserves it for a request that sets no {@code max_tokens}.
 *
 * @param inputPerToken       USD per input token
 * @param outputPerToken      USD per output token
 * @param cacheReadPerToken   USD per cached input token read, null when not separately priced
 * @param cacheWritePerToken  USD per input token written to the cache, null when not separately priced
 * @param reasoningPerToken   USD per reasoning token, null when billed as output
 * @param audioInputPerToken  USD per audio input token, null when not separately priced
 * @param audioOutputPerToken USD per audio output token, null when not separately priced
 * @param perImage            USD per generated image, null when not priced per image
 * @param batchDiscount       fraction of the price charged for batch calls, null when unknown
 * @param maxOutputTokens     the model's output limit in tokens per choice, null when unknown
 * @param inputPerSecond      USD per second of input audio (Whisper-style transcription), null when not
 *                            priced by duration
 * @param inputPerCharacter   USD per input character (text to speech such as {@code tts-1}), null when
 *                            not priced by character
 * @param imageInputPerToken  USD per input image token ({@code gpt-image-1} edits), null when not
 *                            separately priced
 * @param imageOutputPerToken USD per output image token ({@code gpt-image-1}), null when not separately
 *                            priced
 */
public record ModelPrice(
        BigDecimal inputPerToken,
        BigDecimal outputPerToken,
        @Nullable BigDecimal cacheReadPerToken,
        @Nullable BigDecimal cacheWritePerToken,
        @Nullable BigDecimal reasoningPerToken,
        @Nullable BigDecimal audioInputPerToken,
        @Nullable BigDecimal audioOutputPerToken,
        @Nullable BigDecimal perImage,
        @Nullable BigDecimal batchDiscount,
        @Nullable Long maxOutputTokens,
        @Nullable BigDecimal inputPerSecond,
        @Nullable BigDecimal inputPerCharacter,
        @Nullable BigDecimal imageInputPerToken,
        @Nullable BigDecimal imageOutputPerToken) {

    /**
     * Checks that an output limit, when given, is positive.
     *
     * @param inputPerToken       USD per input token
     * @param outputPerToken      USD per output token
     * @param cacheReadPerToken   USD per cached input token read
     * @param cacheWritePerToken  USD per input token written to the cache
     * @param reasoningPerToken   USD per reasoning token
     * @param audioInputPerToken  USD per audio input token
     * @param audioOutputPerToken USD per audio output token
     * @param perImage            USD per generated image
     * @param batchDiscount       fraction of the price charged for batch calls
     * @param maxOutputTokens     the model's output limit per choice; null when unknown
     * @param inputPerSecond      USD per second of input audio
     * @param inputPerCharacter   USD per input character
     * @param imageInputPerToken  USD per input image token
     * @param imageOutputPerToken USD per output image token
     * @throws IllegalArgumentException when {@code maxOutputTokens} is not positive
     */
    public ModelPrice {
        if (maxOutputTokens != null && maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be > 0, was " + maxOutputTokens);
        }
    }

    /**
     * Token and image prices without the per-second, per-character and image-token rates (the form
     * before those were added).
     *
     * @param inputPerToken       USD per input token
     * @param outputPerToken      USD per output token
     * @param cacheReadPerToken   USD per cached input token read
     * @param cacheWritePerToken  USD per input token written to the cache
     * @param reasoningPerToken   USD per reasoning token
     * @param audioInputPerToken  USD per audio input token
     * @param audioOutputPerToken USD per audio output token
     * @param perImage            USD per generated image
     * @param batchDiscount       fraction of the price charged for batch calls
     * @param maxOutputTokens     the model's output limit per choice; null when unknown
     */
    public ModelPrice(
            BigDecimal inputPerToken,
            BigDecimal outputPerToken,
            @Nullable BigDecimal cacheReadPerToken,
            @Nullable BigDecimal cacheWritePerToken,
            @Nullable BigDecimal reasoningPerToken,
            @Nullable BigDecimal audioInputPerToken,
            @Nullable BigDecimal audioOutputPerToken,
            @Nullable BigDecimal perImage,
            @Nullable BigDecimal batchDiscount,
            @Nullable Long maxOutputTokens) {
        this(
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                audioInputPerToken,
                audioOutputPerToken,
                perImage,
                batchDiscount,
                maxOutputTokens,
                null,
                null,
                null,
                null);
    }

    /**
     * Prices without a known output limit (the form before output limits were added).
     *
     * @param inputPerToken       USD per input token
     * @param outputPerToken      USD per output token
     * @param cacheReadPerToken   USD per cached input token read
     * @param cacheWritePerToken  USD per input token written to the cache
     * @param reasoningPerToken   USD per reasoning token
     * @param audioInputPerToken  USD per audio input token
     * @param audioOutputPerToken USD per audio output token
     * @param perImage            USD per generated image
     * @param batchDiscount       fraction of the price charged for batch calls
     */
    public ModelPrice(
            BigDecimal inputPerToken,
            BigDecimal outputPerToken,
            @Nullable BigDecimal cacheReadPerToken,
            @Nullable BigDecimal cacheWritePerToken,
            @Nullable BigDecimal reasoningPerToken,
            @Nullable BigDecimal audioInputPerToken,
            @Nullable BigDecimal audioOutputPerToken,
            @Nullable BigDecimal perImage,
            @Nullable BigDecimal batchDiscount) {
        this(
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                audioInputPerToken,
                audioOutputPerToken,
                perImage,
                batchDiscount,
                null);
    }

    /**
     * Prices with input and output rates only.
     *
     * @param input  USD per input token
     * @param output USD per output token
     * @return the prices
     */
    public static ModelPrice of(BigDecimal input, BigDecimal output) {
        return new ModelPrice(input, output, null, null, null, null, null, null, null, null);
    }

    /**
     * The same prices with the model's output limit.
     *
     * @param tokens the most the model writes per choice, {@code > 0}
     * @return a new price; this one is unchanged
     * @throws IllegalArgumentException when {@code tokens} is not positive
     */
    public ModelPrice withMaxOutputTokens(long tokens) {
        return new ModelPrice(
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                audioInputPerToken,
                audioOutputPerToken,
                perImage,
                batchDiscount,
                tokens,
                inputPerSecond,
                inputPerCharacter,
                imageInputPerToken,
                imageOutputPerToken);
    }

    /**
     * The same prices with the media rates of image, transcription and speech models.
     *
     * @param perSecond        USD per second of input audio, or null
     * @param perCharacter     USD per input character, or null
     * @param imageInputToken  USD per input image token, or null
     * @param imageOutputToken USD per output image token, or null
     * @return a new price; this one is unchanged
     */
    public ModelPrice withMediaRates(
            @Nullable BigDecimal perSecond,
            @Nullable BigDecimal perCharacter,
            @Nullable BigDecimal imageInputToken,
            @Nullable BigDecimal imageOutputToken) {
        return new ModelPrice(
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                audioInputPerToken,
                audioOutputPerToken,
                perImage,
                batchDiscount,
                maxOutputTokens,
                perSecond,
                perCharacter,
                imageInputToken,
                imageOutputToken);
    }
}
