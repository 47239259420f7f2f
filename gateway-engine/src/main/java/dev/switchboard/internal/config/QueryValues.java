package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * How condition operators compare a value found in the request with the operand written in the
 * query. Metadata values arrive as strings, so {@code "5"} and {@code 5} compare as numbers whenever
 * both sides read as numbers; otherwise {@code $eq}/{@code $ne} compare text and ordering operators
 * are false.
 */
final class QueryValues {
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private QueryValues() {}

    /** What {@link Operand#compareTo} answers when the two sides are not both numbers. */
    static final int INCOMPARABLE = Integer.MIN_VALUE;

    /** {@code operand} prepared once, at compile time, for {@link Operand#equalTo} and {@link Operand#compareTo}. */
    static Operand operand(JsonNode operand) {
        return new Operand(operand);
    }

    /**
     * A query operand with its number and text worked out in advance, compared with request values
     * without allocating (integers as {@code long}s; other numbers through {@link BigDecimal}).
     * Agrees with {@link #equal} and {@link #compare}.
     */
    static final class Operand {
        private final JsonNode node;
        private final BigDecimal number;
        private final boolean integral;
        private final long longValue;
        private final String text;

        Operand(JsonNode node) {
            this.node = node;
            this.number = number(node);
            this.integral = number != null && isLong(number);
            this.longValue = integral ? number.longValueExact() : 0;
            this.text = node.isContainerNode() ? null : node.asText();
        }

        /** As {@link QueryValues#equal}{@code (value, operand)}. */
        boolean equalTo(JsonNode value) {
            if (number != null) {
                int c = compareNumber(value);
                if (c != INCOMPARABLE) {
                    return c == 0;
                }
            }
            if (value.isNull() || node.isNull()) {
                return value.isNull() && node.isNull();
            }
            if (value.isContainerNode() || node.isContainerNode()) {
                return value.equals(node);
            }
            if (value.isTextual()) {
                return value.textValue().equals(text);
            }
            return value.asText().equals(text);
        }

        /** As {@link QueryValues#compare}{@code (value, operand)}: the sign, or {@link #INCOMPARABLE}. */
        int compareTo(JsonNode value) {
            return number == null ? INCOMPARABLE : compareNumber(value);
        }

        /** {@code value} against this operand's number (value − operand), or {@link #INCOMPARABLE}. */
        private int compareNumber(JsonNode value) {
            if (integral) {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return Long.signum(Long.compare(value.longValue(), longValue));
                }
                if (value.isTextual()) {
                    String t = value.textValue();
                    if (isPlainLong(t)) {
                        return Long.signum(Long.compare(Long.parseLong(t), longValue));
                    }
                }
            }
            if (value.isTextual() && !looksNumeric(value.textValue())) {
                return INCOMPARABLE;
            }
            if (!value.isNumber() && !value.isTextual()) {
                return INCOMPARABLE;
            }
            BigDecimal a = number(value);
            return a == null ? INCOMPARABLE : a.compareTo(number);
        }
    }

    private static boolean isLong(BigDecimal d) {
        try {
            d.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** An optional minus and 1 to 18 digits: a {@code long} {@link Long#parseLong} reads without overflow. */
    private static boolean isPlainLong(String t) {
        int n = t.length();
        int start = n > 0 && t.charAt(0) == '-' ? 1 : 0;
        if (n - start < 1 || n - start > 18) {
            return false;
        }
        for (int i = start; i < n; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@link #number} may read {@code text} as a number, without a regex matcher: some
     * digit and only characters a number or {@code trim()} can have. A pre-check; {@link #number} decides.
     */
    private static boolean looksNumeric(String text) {
        boolean digit = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (!(c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c <= ' ')) {
                return false;
            }
        }
        return digit;
    }

    static boolean equal(JsonNode value, JsonNode operand) {
        BigDecimal a = number(value);
        BigDecimal b = number(operand);
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        if (value.isNull() || operand.isNull()) {
            return value.isNull() && operand.isNull();
        }
        if (value.isContainerNode() || operand.isContainerNode()) {
            return value.equals(operand);
        }
        return value.asText().equals(operand.asText());
    }

    /** {@code value} compared with {@code operand} when both are numbers, else null. */
    static Integer compare(JsonNode value, JsonNode operand) {
        BigDecimal a = number(value);
        BigDecimal b = number(operand);
        return a == null || b == null ? null : a.compareTo(b);
    }

    /** The text a regex is matched against: scalars only (a number or boolean as written). */
    static String text(JsonNode value) {
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    static BigDecimal number(JsonNode node) {
        try {
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                String t = node.textValue().trim();
                // a bounded exponent keeps a hostile "1e999999999" from costing anything
                if (t.length() <= 100 && NUMBER.matcher(t).matches()) {
                    return new BigDecimal(t);
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null; // NaN, infinities, exponent overflow: not comparable as numbers
        }
        return null;
    }
}
