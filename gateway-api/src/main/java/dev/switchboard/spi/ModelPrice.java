package dev.switchboard.spi;

import java.math.BigDecimal;

/**
 * Prices of one model in USD per token (per image for {@code perImage}); a null price means the
 * catalog has no separate rate for that kind of token. {@code batchDiscount} is the fraction of the
 * price charged for batch calls (0.5 = half price), null when unknown.
 */
public record ModelPrice(
        BigDecimal inputPerToken,
        BigDecimal outputPerToken,
        BigDecimal cacheReadPerToken,
        BigDecimal cacheWritePerToken,
        BigDecimal reasoningPerToken,
        BigDecimal audioInputPerToken,
        BigDecimal audioOutputPerToken,
        BigDecimal perImage,
        BigDecimal batchDiscount) {

    /**
     * Prices with input and output rates only.
     *
     * @param input  USD per input token
     * @param output USD per output token
     * @return the prices
     */
    public static ModelPrice of(BigDecimal input, BigDecimal output) {
        return new ModelPrice(input, output, null, null, null, null, null, null, null);
    }
}
