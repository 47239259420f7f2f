package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * JavaScript's string semantics, as Portkey's handlers use them. Java strings are UTF-16 like
 * JavaScript's, so {@code length()} already is JavaScript's {@code .length}; what differs is the
 * whitespace set ({@code trim()}, {@code \s}), truthiness and how non-strings turn into strings.
 */
final class JsText {
    /**
     * ECMAScript WhiteSpace and LineTerminator: what {@code String.prototype.trim} removes and what
     * {@code \s} matches (TAB, VT, FF, SP, NBSP, ZWNBSP, the Zs category, LF, CR, LS, PS). Java's
     * {@code strip()} differs: it keeps U+00A0, U+2007, U+202F and U+FEFF and removes U+001C–U+001F.
     */
    static final String WHITESPACE = "\t\n\u000B\f\r \u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
            + "\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";

    /** The same set as the body of a Java character class. */
    static final String WHITESPACE_CLASS_BODY =
            "\\t\\n\\x{B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

    private JsText() {}

    /** Whether {@code c} is JavaScript whitespace ({@code \s}). */
    static boolean isWhitespace(char c) {
        return WHITESPACE.indexOf(c) >= 0;
    }

    /** JavaScript's {@code s.trim()}. */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** JavaScript's {@code s.split(/\s+/).length}: leading and trailing whitespace make empty pieces that count. */
    static int splitOnWhitespaceCount(String s) {
        int pieces = 1;
        int i = 0;
        while (i < s.length()) {
            if (isWhitespace(s.charAt(i))) {
                pieces++;
                while (i < s.length() && isWhitespace(s.charAt(i))) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return pieces;
    }

    /** Portkey's {@code textExcerpt}: the first 100 UTF-16 units and "..." when longer. */
    static String excerpt(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    /** JavaScript truthiness of a JSON value (null or missing: false). */
    static boolean truthy(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return !n.textValue().isEmpty();
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        return true; // objects and arrays
    }

    /**
     * {@code String(value)} for a JSON value: strings as they are, numbers as JavaScript prints them,
     * arrays joined by commas (null elements as empty), objects as {@code [object Object]}.
     */
    static String string(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "undefined";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return String.valueOf(n.booleanValue());
        }
        if (n.isNumber()) {
            return number(n);
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(e.isNull() ? "" : string(e)));
            return String.join(",", parts);
        }
        return "[object Object]";
    }

    private static String number(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return new BigDecimal(d).toPlainString();
        }
        String s = Double.toString(d);
        // Java writes 1.0E-7 where JavaScript writes 1e-7; close enough for text that is matched
        return s.replace("E", "e").replace(".0e", "e");
    }
}
