package dev.switchboard.guardrails.pii;

import java.math.BigInteger;

/** The check-digit algorithms that separate real card numbers and IBANs from look-alike digit runs. */
final class Checksums {
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    private Checksums() {}

    /** Luhn (mod 10) over a string of digits. */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /** ISO 13616 mod-97: move the first four characters to the end, letters → 10..35, remainder must be 1. */
    static boolean ibanMod97(String iban) {
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                digits.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }
}
