package dev.switchboard.api;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The USD cost of an attempt or request. A cost is either known ({@link #usd()} non-null) or
 * unknown with a reason (e.g. "no price for model foo-1 of provider acme") — never a silent 0.
 *
 * @param usd           the amount in US dollars; null when unknown
 * @param unknownReason why the amount is unknown; null when known
 */
public record Cost(@Nullable BigDecimal usd, @Nullable String unknownReason) {
    /** A known cost of $0 (a cache hit, a refused call). */
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, null);

    /**
     * Checks that an unknown cost says why.
     *
     * @param usd           the amount in US dollars; null when unknown
     * @param unknownReason why the amount is unknown; null when known
     * @throws IllegalArgumentException when both {@code usd} and {@code unknownReason} are null
     */
    public Cost {
        if (usd == null && unknownReason == null) {
            throw new IllegalArgumentException("an unknown cost needs a reason");
        }
    }

    /**
     * A known cost.
     *
     * @param usd the amount in US dollars, not null
     * @return the cost
     */
    public static Cost usd(BigDecimal usd) {
        return new Cost(Objects.requireNonNull(usd), null);
    }

    /**
     * A cost that could not be computed.
     *
     * @param reason why, e.g. {@code no price for model foo-1 of provider acme}
     * @return the unknown cost
     */
    public static Cost unknown(String reason) {
        return new Cost(null, reason);
    }

    /** {@return whether the amount is known ({@link #usd()} non-null)} */
    public boolean known() {
        return usd != null;
    }

    /**
     * Adds two costs.
     *
     * @param o the other cost; null counts as nothing
     * @return the sum; unknown if either side is unknown (the reasons are kept)
     */
    public Cost plus(@Nullable Cost o) {
        if (o == null) {
            return this;
        }
        if (known() && o.known()) {
            return new Cost(usd.add(o.usd), null);
        }
        String r = known() ? o.unknownReason : o.known() ? unknownReason : unknownReason + "; " + o.unknownReason;
        return new Cost(null, r);
    }

    @Override
    public String toString() {
        return known() ? "$" + usd.stripTrailingZeros().toPlainString() : "unknown (" + unknownReason + ")";
    }
}
