package dev.switchboard.guardrails.pii;

import java.util.Locale;

/**
 * Kinds of personal or secret data the {@link PiiDetector} finds. The declaration order is the
 * precedence when two findings overlap (an API key wins over a phone number inside it).
 */
public enum PiiCategory {
    API_KEY,
    EMAIL,
    CREDIT_CARD,
    IBAN,
    US_SSN,
    IP_ADDRESS,
    PHONE;

    /** Parses a category name case-insensitively ("email", "credit_card"); unknown names throw. */
    public static PiiCategory parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown PII category '" + name + "' (known: " + java.util.Arrays.toString(values()) + ")", e);
        }
    }
}
