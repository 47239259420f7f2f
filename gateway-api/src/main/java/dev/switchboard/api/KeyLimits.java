package dev.switchboard.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Rate limits and budgets of a virtual key, attached with
 * {@code ProviderCredentials.builder(..).limits(keyLimits)} and enforced by the gateway. Unset limits do not apply.
 *
 * <p>The limits of a {@code KeyLimits} apply to the whole key, or, when {@link #perMetadataKey()}
 * is set, separately to each value of that request metadata field (each end user, each team).
 * Requests that do not carry the field share one bucket named {@value #NO_VALUE}. To combine
 * key-wide limits with per-value limits, add the latter with {@link Builder#perValueOf}:
 *
 * <pre>{@code
 * KeyLimits limits = KeyLimits.builder()
 *         .requestsPerMinute(600)
 *         .budgetUsdPerMonth("500.00")                      // whole key
 *         .perValueOf("user_id", KeyLimits.builder()
 *                 .requestsPerMinute(20)
 *                 .budgetUsdPerDay("1.00").build())         // each user_id value
 *         .build();
 * }</pre>
 *
 * Windows are calendar buckets of the gateway clock in UTC (the current minute, hour, day, month),
 * not sliding windows; {@code budgetUsdTotal} never resets.
 */
public final class KeyLimits {
    /** Bucket shared by requests that lack the {@link #perMetadataKey()} field. */
    public static final String NO_VALUE = "(none)";

    private final Long requestsPerMinute;
    private final Long requestsPerHour;
    private final Long requestsPerDay;
    private final Long tokensPerMinute;
    private final Long tokensPerDay;
    private final BigDecimal budgetUsdPerDay;
    private final BigDecimal budgetUsdPerMonth;
    private final BigDecimal budgetUsdTotal;
    private final String perMetadataKey;
    private final List<KeyLimits> perValueLimits;

    private KeyLimits(Builder b) {
        this.requestsPerMinute = b.requestsPerMinute;
        this.requestsPerHour = b.requestsPerHour;
        this.requestsPerDay = b.requestsPerDay;
        this.tokensPerMinute = b.tokensPerMinute;
        this.tokensPerDay = b.tokensPerDay;
        this.budgetUsdPerDay = b.budgetUsdPerDay;
        this.budgetUsdPerMonth = b.budgetUsdPerMonth;
        this.budgetUsdTotal = b.budgetUsdTotal;
        this.perMetadataKey = b.perMetadataKey;
        this.perValueLimits = List.copyOf(b.perValueLimits);
    }

    /** {@return a builder with no limit set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the requests allowed per calendar minute; empty when unlimited} */
    public Optional<Long> requestsPerMinute() {
        return Optional.ofNullable(requestsPerMinute);
    }

    /** {@return the requests allowed per calendar hour; empty when unlimited} */
    public Optional<Long> requestsPerHour() {
        return Optional.ofNullable(requestsPerHour);
    }

    /** {@return the requests allowed per calendar day (UTC); empty when unlimited} */
    public Optional<Long> requestsPerDay() {
        return Optional.ofNullable(requestsPerDay);
    }

    /** {@return the prompt plus completion tokens allowed per calendar minute; empty when unlimited} */
    public Optional<Long> tokensPerMinute() {
        return Optional.ofNullable(tokensPerMinute);
    }

    /** {@return the prompt plus completion tokens allowed per calendar day (UTC); empty when unlimited} */
    public Optional<Long> tokensPerDay() {
        return Optional.ofNullable(tokensPerDay);
    }

    /** {@return the USD that may be spent per calendar day (UTC); empty when unlimited} */
    public Optional<BigDecimal> budgetUsdPerDay() {
        return Optional.ofNullable(budgetUsdPerDay);
    }

    /** {@return the USD that may be spent per calendar month (UTC); empty when unlimited} */
    public Optional<BigDecimal> budgetUsdPerMonth() {
        return Optional.ofNullable(budgetUsdPerMonth);
    }

    /** {@return the USD that may be spent over the key's lifetime (never resets); empty when unlimited} */
    public Optional<BigDecimal> budgetUsdTotal() {
        return Optional.ofNullable(budgetUsdTotal);
    }

    /** {@return the metadata field whose values get separate counters; empty for key-wide limits} */
    public Optional<String> perMetadataKey() {
        return Optional.ofNullable(perMetadataKey);
    }

    /** {@return additional limit sets, each applied per value of its own {@link #perMetadataKey()}} */
    public List<KeyLimits> perValueLimits() {
        return perValueLimits;
    }

    /** {@return true when any budget is set on this set (not counting {@link #perValueLimits()})} */
    public boolean hasBudget() {
        return budgetUsdPerDay != null || budgetUsdPerMonth != null || budgetUsdTotal != null;
    }

    /** {@return a builder holding these limits, to derive a changed copy} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.requestsPerMinute = requestsPerMinute;
        b.requestsPerHour = requestsPerHour;
        b.requestsPerDay = requestsPerDay;
        b.tokensPerMinute = tokensPerMinute;
        b.tokensPerDay = tokensPerDay;
        b.budgetUsdPerDay = budgetUsdPerDay;
        b.budgetUsdPerMonth = budgetUsdPerMonth;
        b.budgetUsdTotal = budgetUsdTotal;
        b.perMetadataKey = perMetadataKey;
        b.perValueLimits.addAll(perValueLimits);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeyLimits)) {
            return false;
        }
        KeyLimits k = (KeyLimits) o;
        return Objects.equals(requestsPerMinute, k.requestsPerMinute)
                && Objects.equals(requestsPerHour, k.requestsPerHour)
                && Objects.equals(requestsPerDay, k.requestsPerDay)
                && Objects.equals(tokensPerMinute, k.tokensPerMinute)
                && Objects.equals(tokensPerDay, k.tokensPerDay)
                && Objects.equals(budgetUsdPerDay, k.budgetUsdPerDay)
                && Objects.equals(budgetUsdPerMonth, k.budgetUsdPerMonth)
                && Objects.equals(budgetUsdTotal, k.budgetUsdTotal)
                && Objects.equals(perMetadataKey, k.perMetadataKey)
                && perValueLimits.equals(k.perValueLimits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                requestsPerMinute,
                requestsPerHour,
                requestsPerDay,
                tokensPerMinute,
                tokensPerDay,
                budgetUsdPerDay,
                budgetUsdPerMonth,
                budgetUsdTotal,
                perMetadataKey,
                perValueLimits);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("KeyLimits{");
        append(s, "requestsPerMinute", requestsPerMinute);
        append(s, "requestsPerHour", requestsPerHour);
        append(s, "requestsPerDay", requestsPerDay);
        append(s, "tokensPerMinute", tokensPerMinute);
        append(s, "tokensPerDay", tokensPerDay);
        append(s, "budgetUsdPerDay", budgetUsdPerDay);
        append(s, "budgetUsdPerMonth", budgetUsdPerMonth);
        append(s, "budgetUsdTotal", budgetUsdTotal);
        append(s, "perMetadataKey", perMetadataKey);
        if (!perValueLimits.isEmpty()) {
            append(s, "perValueLimits", perValueLimits);
        }
        return s.append('}').toString();
    }

    private static void append(StringBuilder s, String name, Object value) {
        if (value != null) {
            if (s.charAt(s.length() - 1) != '{') {
                s.append(", ");
            }
            s.append(name).append('=').append(value);
        }
    }

    /** Builds {@link KeyLimits}; every setter rejects a negative value at once, naming the setting. */
    public static final class Builder {
        private Long requestsPerMinute;
        private Long requestsPerHour;
        private Long requestsPerDay;
        private Long tokensPerMinute;
        private Long tokensPerDay;
        private BigDecimal budgetUsdPerDay;
        private BigDecimal budgetUsdPerMonth;
        private BigDecimal budgetUsdTotal;
        private String perMetadataKey;
        private final List<KeyLimits> perValueLimits = new ArrayList<>();

        private Builder() {}

        /**
         * Limits requests per calendar minute to {@code n} (≥ 0).
         *
         * @param n the most requests per minute; 0 refuses every request
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is negative
         */
        public Builder requestsPerMinute(long n) {
            requestsPerMinute = count("requestsPerMinute", n);
            return this;
        }

        /**
         * Limits requests per calendar hour to {@code n} (≥ 0).
         *
         * @param n the most requests per hour
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is negative
         */
        public Builder requestsPerHour(long n) {
            requestsPerHour = count("requestsPerHour", n);
            return this;
        }

        /**
         * Limits requests per calendar day (UTC) to {@code n} (≥ 0).
         *
         * @param n the most requests per day
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is negative
         */
        public Builder requestsPerDay(long n) {
            requestsPerDay = count("requestsPerDay", n);
            return this;
        }

        /**
         * Limits tokens (prompt plus completion) per calendar minute to {@code n} (≥ 0). A call reserves
         * its estimate (prompt plus maximum output tokens) before it is sent; the real usage settles it.
         *
         * @param n the most tokens per minute
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is negative
         */
        public Builder tokensPerMinute(long n) {
            tokensPerMinute = count("tokensPerMinute", n);
            return this;
        }

        /**
         * Limits tokens (prompt plus completion) per calendar day (UTC) to {@code n} (≥ 0).
         *
         * @param n the most tokens per day
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is negative
         */
        public Builder tokensPerDay(long n) {
            tokensPerDay = count("tokensPerDay", n);
            return this;
        }

        /**
         * Limits spend per calendar day (UTC) to {@code usd} (≥ 0).
         *
         * @param usd the budget in US dollars
         * @return this builder
         * @throws IllegalArgumentException when {@code usd} is negative
         */
        public Builder budgetUsdPerDay(BigDecimal usd) {
            budgetUsdPerDay = usd("budgetUsdPerDay", usd);
            return this;
        }

        /**
         * Limits spend per calendar day (UTC) to {@code usd}, a decimal such as {@code "5.00"}.
         *
         * @param usd the budget in US dollars, as a decimal string
         * @return this builder
         * @throws IllegalArgumentException when {@code usd} is not a decimal number or is negative
         */
        public Builder budgetUsdPerDay(String usd) {
            return budgetUsdPerDay(parse("budgetUsdPerDay", usd));
        }

        /**
         * Limits spend per calendar month (UTC) to {@code usd} (≥ 0).
         *
         * @param usd the budget in US dollars
         * @return this builder
         * @throws IllegalArgumentException when {@code usd} is negative
         */
        public Builder budgetUsdPerMonth(BigDecimal usd) {
            budgetUsdPerMonth = usd("budgetUsdPerMonth", usd);
            return this;
        }

        /**
         * Limits spend per calendar month (UTC) to {@code usd}, a decimal such as {@code "500.00"}.
         *
         * @param usd the budget in US dollars, as a decimal string
         * @return this builder
         * @throws IllegalArgumentException when {@code usd} is not a decimal number or is negative
         */
        public Builder budgetUsdPerMonth(String usd) {
            return budgetUsdPerMonth(parse("budgetUsdPerMonth", usd));
        }

        /**
         * Limits total spend to {@code usd} (≥ 0); this budget never resets.
         *
         * @param usd the budget in US dollars
         * @return this builder
         * @throws IllegalArgumentException when {@code usd} is negative
         */
        public Builder budgetUsdTotal(BigDecimal usd) {
            budgetUsdTotal = usd("budgetUsdTotal", usd);
            return this;
        }

        /**
         * Limits total spend to {@code usd}, a decimal such as {@code "100.00"}; this budget never resets.
         *
         * @param usd the budget in US dollars, as a decimal string
         * @return this builder
         * @throws IllegalArgumentException when {@code usd} is not a decimal number or is negative
         */
        public Builder budgetUsdTotal(String usd) {
            return budgetUsdTotal(parse("budgetUsdTotal", usd));
        }

        /**
         * Applies this set's limits separately per value of a metadata field.
         *
         * @param field the metadata field, e.g. {@code user_id}
         * @return this builder
         * @throws IllegalArgumentException when {@code field} is blank
         */
        public Builder perMetadataKey(String field) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("perMetadataKey: the metadata field name must not be blank");
            }
            perMetadataKey = field;
            return this;
        }

        /**
         * Adds limits applied separately per value of a metadata field, besides this set's own.
         *
         * @param field  the metadata field, e.g. {@code user_id}
         * @param limits the limits each value gets; they may not have per-value limits of their own
         * @return this builder
         * @throws IllegalArgumentException when {@code limits} has per-value limits
         */
        public Builder perValueOf(String field, KeyLimits limits) {
            Objects.requireNonNull(limits, "limits");
            if (!limits.perValueLimits.isEmpty()) {
                throw new IllegalArgumentException(
                        "perValueOf(" + field + "): per-value limits cannot nest further per-value limits");
            }
            perValueLimits.add(limits.toBuilder().perMetadataKey(field).build());
            return this;
        }

        /** {@return the limits set so far} */
        public KeyLimits build() {
            return new KeyLimits(this);
        }

        private static Long count(String name, long n) {
            if (n < 0) {
                throw new IllegalArgumentException(name + " must be >= 0, was " + n);
            }
            return n;
        }

        private static BigDecimal usd(String name, BigDecimal usd) {
            Objects.requireNonNull(usd, name);
            if (usd.signum() < 0) {
                throw new IllegalArgumentException(name + " must be >= 0, was " + usd.toPlainString());
            }
            return usd;
        }

        private static BigDecimal parse(String name, String usd) {
            try {
                return new BigDecimal(Objects.requireNonNull(usd, name).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        name + " must be a USD amount such as \"5.00\", was \"" + usd + "\"", e);
            }
        }
    }
}
