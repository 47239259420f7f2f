package dev.switchboard.internal.accounting;

import java.math.BigDecimal;

/**
 * Arithmetic for tokens and money that never wraps around: a sum or product past the {@code long}
 * range sticks at {@code Long.MAX_VALUE} (or {@code MIN_VALUE}). Admission compares such amounts with
 * limits, so a saturated amount is simply "more than any limit" — where plain {@code long} arithmetic
 * turned {@code max_tokens = Long.MAX_VALUE} into a negative reservation that admitted everything.
 */
public final class Saturating {
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private Saturating() {}

    /**
     * {@code a + b}, saturated.
     *
     * @param a a value
     * @param b another
     * @return their sum, or {@code Long.MAX_VALUE}/{@code MIN_VALUE} when it does not fit
     */
    public static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /**
     * {@code a × b} for non-negative factors, saturated.
     *
     * @param a a non-negative value
     * @param b another
     * @return their product, or {@code Long.MAX_VALUE} when it does not fit
     */
    public static long multiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /**
     * Whether adding {@code amount} to {@code value} would take it above {@code limit}, judged on the
     * exact sum (a sum past {@code Long.MAX_VALUE} is above every limit).
     *
     * @param value  the counter
     * @param amount what would be added
     * @param limit  the most the counter may reach
     * @return true when the exact sum is greater than {@code limit}
     */
    public static boolean exceeds(long value, long amount, long limit) {
        long r = value + amount;
        if (((value ^ r) & (amount ^ r)) < 0) {
            return amount > 0;
        }
        return r > limit;
    }

    /**
     * A decimal rounded up to a whole number, saturated to the {@code long} range.
     *
     * @param v the value
     * @return ⌈v⌉, or {@code Long.MAX_VALUE}/{@code MIN_VALUE} past the range
     */
    public static long ceil(BigDecimal v) {
        if (v.compareTo(LONG_MAX) >= 0) {
            return Long.MAX_VALUE;
        }
        if (v.compareTo(LONG_MIN) <= 0) {
            return Long.MIN_VALUE;
        }
        return v.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /**
     * A count as a request or a provider wrote it, as a non-negative {@code long}.
     *
     * @param n the JSON value
     * @return the count rounded up, {@code Long.MAX_VALUE} past the range, or -1 when {@code n} is not a
     *         positive number (absent, negative, zero, text)
     */
    public static long positiveCount(com.fasterxml.jackson.databind.JsonNode n) {
        if (n == null || !n.isNumber()) {
            return -1;
        }
        if (n.canConvertToExactIntegral() && n.canConvertToLong()) {
            long v = n.longValue();
            return v > 0 ? v : -1;
        }
        if (n.isBigInteger() || n.isBigDecimal()) {
            BigDecimal d = n.decimalValue();
            return d.signum() <= 0 ? -1 : ceil(d);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || d <= 0) {
            return -1;
        }
        return d >= 0x1p63 ? Long.MAX_VALUE : (long) Math.ceil(d);
    }
}
