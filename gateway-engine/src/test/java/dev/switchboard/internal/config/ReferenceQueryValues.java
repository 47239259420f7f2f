package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** {@link QueryValues} as it was before issue 16: the reference for {@link ReferenceQueryCompiler}. */
final class ReferenceQueryValues {
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private ReferenceQueryValues() {}

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
