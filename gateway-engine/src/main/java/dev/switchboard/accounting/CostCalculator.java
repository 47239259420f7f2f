package dev.switchboard.accounting;

import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.spi.PricingCatalog;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Turns token usage into USD with a {@link PricingCatalog}.
 *
 * <pre>{@code
 * Cost c = CostCalculator.cost("openai", "gpt-4o", Usage.of(1000, 200), DefaultPricingCatalog.bundled());
 * // $0.0045 = 1000 × 2.5e-6 + 200 × 1e-5
 * }</pre>
 *
 * <p>Usage follows OpenAI's conventions: prompt tokens include cached-read, cache-write and audio
 * input tokens; completion tokens include reasoning and audio output tokens. So:
 * <ul>
 *   <li>text input = prompt − cached − cache-write − audio input (audio only when it has a price),
 *       at the input price;</li>
 *   <li>cached tokens at the cache-read price, cache-write tokens at the cache-write price; when the
 *       catalog has no such price they are charged at the input price (a provider without a cache
 *       discount bills them as ordinary input — charging 0 would under-count);</li>
 *   <li>reasoning tokens at the reasoning price, else the output price (how OpenAI bills them);</li>
 *   <li>audio tokens at the audio prices when the catalog has them, else as text tokens;</li>
 *   <li>an unknown model, or a missing input/output price for tokens that occurred, gives
 *       {@link Cost#unknown} with the reason — never a silent 0;</li>
 *   <li>a negative count (a provider's bug, or a hostile upstream) counts as 0, so a cost is never
 *       negative and cannot refund a budget; the arithmetic cannot overflow (BigDecimal, and
 *       differences of non-negative longs).</li>
 * </ul>
 * Tiered prices (above 200k prompt tokens) are not modelled: {@link ModelPrice} has no tiers.
 */
public final class CostCalculator {
    private CostCalculator() {}

    /**
     * Prices a call.
     *
     * @param provider the provider id, e.g. {@code openai}
     * @param model    the model as the provider reported it
     * @param usage    the call's usage; null gives an unknown cost
     * @param catalog  where the prices come from
     * @return the cost, or an unknown cost naming why (no price for the model, no usage)
     */
    public static Cost cost(String provider, String model, Usage usage, PricingCatalog catalog) {
        Optional<ModelPrice> price = catalog.price(provider, model);
        if (price.isEmpty()) {
            return Cost.unknown(
                    "no price for model " + model + " of provider " + provider + " in catalog " + catalog.version());
        }
        return cost(price.get(), usage, false, provider + "/" + model);
    }

    /**
     * Prices an image, audio or moderation call: by image (by quality and size where the catalog keys
     * them), by second of audio, by character, or by tokens, as the model is priced.
     * <ul>
     *   <li>images: by the answer's tokens when it reports them ({@code gpt-image-1}, image tokens at
     *       their own rates), else per image — {@code hd/1024-x-1024/dall-e-3}, then
     *       {@code 1024-x-1024/dall-e-3}, then {@code dall-e-3};</li>
     *   <li>a model with a per-second price ({@code whisper-1}): seconds × price; an answer without a
     *       duration (text, srt, vtt) gives an unknown cost;</li>
     *   <li>a model with a per-character price ({@code tts-1}): characters × price;</li>
     *   <li>otherwise the usage's tokens ({@code gpt-4o-transcribe}; moderations at their price of 0);
     *       no usage gives an unknown cost.</li>
     * </ul>
     *
     * @param provider the provider id
     * @param model    the model the request named, or null (the answer's model is then used)
     * @param usage    the answer's token usage, or null when it reported none
     * @param units    what the call made; null prices {@code usage} as for chat
     * @param catalog  where the prices come from
     * @return the cost, or an unknown cost naming why
     */
    public static Cost cost(String provider, String model, Usage usage, BillableUnits units, PricingCatalog catalog) {
        if (units == null) {
            return usage == null
                    ? Cost.unknown("the provider reported no usage")
                    : cost(provider, model, usage, catalog);
        }
        String m = model != null ? model : units.answerModel();
        if (m == null) {
            return Cost.unknown("the request and the answer name no model of provider " + provider);
        }
        boolean tokens = usage != null && usage.totalTokens() > 0;
        if (units.images() != null && !tokens) {
            for (String name : units.imagePriceNames(m)) {
                Optional<ModelPrice> p = catalog.price(provider, name);
                if (p.isPresent() && p.get().perImage() != null) {
                    return Cost.usd(p.get()
                            .perImage()
                            .multiply(BigDecimal.valueOf(units.images()))
                            .stripTrailingZeros());
                }
            }
            return Cost.unknown("no per-image price for " + provider + "/" + m + " in catalog " + catalog.version());
        }
        Optional<ModelPrice> found = catalog.price(provider, m);
        if (found.isEmpty()) {
            return Cost.unknown(
                    "no price for model " + m + " of provider " + provider + " in catalog " + catalog.version());
        }
        ModelPrice price = found.get();
        String name = provider + "/" + m;
        if (price.inputPerSecond() != null) {
            if (units.seconds() == null) {
                return Cost.unknown("the answer gave no audio duration to price " + name
                        + " per second (response_format verbose_json gives one)");
            }
            return Cost.usd(price.inputPerSecond()
                    .multiply(units.seconds().max(BigDecimal.ZERO))
                    .stripTrailingZeros());
        }
        if (price.inputPerCharacter() != null && units.characters() != null) {
            return Cost.usd(price.inputPerCharacter()
                    .multiply(BigDecimal.valueOf(Math.max(0, units.characters())))
                    .stripTrailingZeros());
        }
        if (usage == null) {
            if (isFree(price.inputPerToken()) && isFree(price.outputPerToken())) {
                return Cost.ZERO; // free per token (moderations): 0 whatever the count
            }
            return Cost.unknown("no usage reported for " + name);
        }
        long imageIn = price.imageInputPerToken() == null
                ? 0
                : Math.min(Math.max(0, units.imageInputTokens()), Math.max(0, usage.promptTokens()));
        if (imageIn == 0) {
            return cost(price, usage, false, name);
        }
        Usage text = new Usage(
                usage.promptTokens() - imageIn,
                usage.completionTokens(),
                usage.totalTokens(),
                usage.cachedTokens(),
                usage.cacheWriteTokens(),
                usage.reasoningTokens(),
                usage.audioInputTokens(),
                usage.audioOutputTokens(),
                usage.estimated());
        Cost c = cost(price, text, false, name);
        return c.usd() == null
                ? c
                : Cost.usd(c.usd()
                        .add(price.imageInputPerToken().multiply(BigDecimal.valueOf(imageIn)))
                        .stripTrailingZeros());
    }

    /**
     * Prices usage at known prices.
     *
     * @param price     the model's prices
     * @param usage     the usage; null gives an unknown cost
     * @param batch     true for a batch call: applies the batch discount when the catalog has one
     * @param modelName the model, named in the reason of an unknown cost
     * @return the cost, or an unknown cost naming the missing price
     */
    public static Cost cost(ModelPrice price, Usage usage, boolean batch, String modelName) {
        if (usage == null) {
            return Cost.unknown("no usage reported for " + modelName);
        }
        // counts come from providers: a negative one is 0 (no refund); the differences below cannot
        // wrap because every operand is >= 0
        long prompt = Math.max(0, usage.promptTokens());
        long completion = Math.max(0, usage.completionTokens());
        long cached = Math.max(0, usage.cachedTokens());
        long cacheWrite = Math.max(0, usage.cacheWriteTokens());
        long audioIn = price.audioInputPerToken() == null ? 0 : Math.max(0, usage.audioInputTokens());
        long audioOut = price.audioOutputPerToken() == null ? 0 : Math.max(0, usage.audioOutputTokens());
        long reasoning = price.reasoningPerToken() == null ? 0 : Math.max(0, usage.reasoningTokens());
        long textIn = Math.max(0, Math.max(0, Math.max(0, prompt - cached) - cacheWrite) - audioIn);
        long textOut = Math.max(0, Math.max(0, completion - reasoning) - audioOut);

        if (price.inputPerToken() == null && prompt > 0) {
            return Cost.unknown("no per-token input price for " + modelName);
        }
        if (price.outputPerToken() == null && textOut > 0) {
            return Cost.unknown("no per-token output price for " + modelName);
        }
        BigDecimal in = orZero(price.inputPerToken());
        BigDecimal usd = times(textIn, in)
                .add(times(cached, or(price.cacheReadPerToken(), in)))
                .add(times(cacheWrite, or(price.cacheWritePerToken(), in)))
                .add(times(audioIn, price.audioInputPerToken()))
                .add(times(textOut, orZero(price.outputPerToken())))
                .add(times(reasoning, price.reasoningPerToken()))
                .add(times(audioOut, price.audioOutputPerToken()));
        if (batch && price.batchDiscount() != null) {
            usd = usd.multiply(price.batchDiscount());
        }
        return Cost.usd(usd.stripTrailingZeros());
    }

    private static boolean isFree(BigDecimal perToken) {
        return perToken != null && perToken.signum() == 0;
    }

    private static BigDecimal times(long tokens, BigDecimal perToken) {
        return tokens == 0 || perToken == null ? BigDecimal.ZERO : perToken.multiply(BigDecimal.valueOf(tokens));
    }

    private static BigDecimal or(BigDecimal price, BigDecimal fallback) {
        return price == null ? fallback : price;
    }

    private static BigDecimal orZero(BigDecimal price) {
        return price == null ? BigDecimal.ZERO : price;
    }
}
