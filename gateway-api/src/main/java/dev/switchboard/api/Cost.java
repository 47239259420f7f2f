package dev.switchboard.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The USD cost of an attempt or request. A cost is either known ({@link #usd()} non-null) or
 * unknown with a reason (e.g. "no price for model foo-1 of provider acme") — never a silent 0.
 */
public record Cost(BigDecimal usd, String unknownReason) {
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, null);

    public Cost {
        if (usd == null && unknownReason == null) {
            throw new IllegalArgumentException("an unknown cost needs a reason");
        }
    }

    public static Cost usd(BigDecimal usd) {
        return new Cost(Objects.requireNonNull(usd), null);
    }

    public static Cost unknown(String reason) {
        return new Cost(null, reason);
    }

    public boolean known() {
        return usd != null;
    }

    /** Sum; unknown if either side is unknown (the reasons are kept). */
    public Cost plus(Cost o) {
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
