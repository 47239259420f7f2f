package dev.switchboard.guardrails.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiDetectorTest {
    private final PiiDetector detector = new PiiDetector();

    private List<PiiCategory> categories(String text) {
        List<PiiCategory> out = new ArrayList<>();
        detector.detect(text).forEach(f -> out.add(f.category()));
        return out;
    }

    private String found(String text) {
        List<PiiFinding> f = detector.detect(text);
        assertEquals(1, f.size(), () -> "expected exactly one finding in: " + text + " got " + f);
        return text.substring(f.get(0).start(), f.get(0).end());
    }

    @Test
    void findsEachCategoryAndItsExactSpan() {
        assertEquals("ann.lee+tag@mail.example.co.uk", found("write to ann.lee+tag@mail.example.co.uk."));
        assertEquals("4111 1111 1111 1111", found("card 4111 1111 1111 1111, exp 12/29"));
        assertEquals("5500-0000-0000-0004", found("mc 5500-0000-0000-0004"));
        assertEquals("378282246310005", found("amex 378282246310005"));
        assertEquals("DE89 3704 0044 0532 0130 00", found("IBAN DE89 3704 0044 0532 0130 00 please"));
        assertEquals("GB82WEST12345698765432", found("to GB82WEST12345698765432"));
        assertEquals("123-45-6789", found("SSN 123-45-6789"));
        assertEquals("192.168.10.254", found("host 192.168.10.254."));
        assertEquals("2001:db8::8a2e:370:7334", found("v6 2001:db8::8a2e:370:7334 ok"));
        assertEquals("::1", found("loopback ::1 here"));
        assertEquals("2001:0db8:85a3:0000:0000:8a2e:0370:7334", found("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
        assertEquals("::ffff:192.0.2.128", found("mapped ::ffff:192.0.2.128"));
        assertEquals("(415) 555-2671", found("call (415) 555-2671 now"));
        assertEquals("415.555.2671", found("call 415.555.2671"));
        assertEquals("+44 20 7946 0958", found("UK +44 20 7946 0958"));
        assertEquals("+1 415 555 2671", found("US +1 415 555 2671"));
    }

    @Test
    void findsCommonApiKeyFormats() {
        String[] keys = {
            "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34",
            "sk-ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12",
            "sk-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
            "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
            "xoxb-1234567890-abcdefghij",
        };
        for (String k : keys) {
            assertEquals(k, found("key=" + k + " end"), k);
        }
        assertEquals(
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                found("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
    }

    @Test
    void precisionCorpusHasNoFalsePositives() {
        String[] clean = {
            "Card-like number failing Luhn: 4111 1111 1111 1112 and 4111111111111112.",
            "A digit run with no issuer prefix: 1234567812345670.",
            "Invalid IBAN checksum: DE89 3704 0044 0532 0130 01 and GB00WEST12345698765432.",
            "Unknown IBAN country: ZZ12 3456 7890 1234 56.",
            "Version strings 1.2.3.4.5 and v1.2.3.4 and build 10.0.19045.3803.",
            "Out of range 256.1.1.1 and 999.999.999.999.",
            "Timestamps 2024-01-15T10:30:45Z, 2024-01-15 10:30:45.123, 1700000000000, 1700000000 and 20240115103045.",
            "Times 10:30 and 23:59:59, MAC 00:1A:2B:3C:4D:5E.",
            "Years 1999 2000 2024, dates 15/01/2024 and 2024.01.15, amount 1,234,567.89.",
            "Order #123456789, ZIP 94105-1234, plain number 5551234567, extension 123-4567.",
            "Invalid SSNs 000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000.",
            "Words like task-runner, sk-learn, risk-assessment and the Bearer of bad news.",
            "C++ scope std::vector and Foo::bar, Bad:: prose, ratio 3:2.",
            "Math 1 + 2 = 3 and +5 points, score +12.",
            "emails without domain: user@localhost, @handle, a@b",
        };
        for (String text : clean) {
            assertEquals(List.of(), detector.detect(text), text);
        }
    }

    @Test
    void mixedCorpusFindsOnlyTheRealItems() {
        String text = "Ticket 2024-01-15T10:30:45Z v1.2.3.4.5: customer ann@example.com paid with 4111-1111-1111-1111 "
                + "(not 4111-1111-1111-1112) from 203.0.113.7, IBAN DE89370400440532013000 (not DE89370400440532013001), "
                + "SSN 078-05-1121, phone +49 30 901820, key AKIAIOSFODNN7EXAMPLE, order 1700000000000.";
        assertEquals(
                List.of(
                        PiiCategory.EMAIL,
                        PiiCategory.CREDIT_CARD,
                        PiiCategory.IP_ADDRESS,
                        PiiCategory.IBAN,
                        PiiCategory.US_SSN,
                        PiiCategory.PHONE,
                        PiiCategory.API_KEY),
                categories(text));
    }

    @Test
    void categoriesLimitWhatIsSearched() {
        String text = "ann@example.com 4111111111111111";
        assertEquals(
                1, detector.detect(text, EnumSet.of(PiiCategory.CREDIT_CARD)).size());
        assertEquals(
                PiiCategory.CREDIT_CARD,
                detector.detect(text, EnumSet.of(PiiCategory.CREDIT_CARD))
                        .get(0)
                        .category());
        assertTrue(detector.detect(text, EnumSet.noneOf(PiiCategory.class)).isEmpty());
    }

    @Test
    void overlappingFindingsKeepTheHigherPrecedenceOne() {
        // the key contains a digit run that is not itself reported
        List<PiiFinding> f = detector.detect("sk-proj-4111111111111111abcdefghij");
        assertEquals(1, f.size());
        assertEquals(PiiCategory.API_KEY, f.get(0).category());
    }

    @Test
    void redactReplacesEachFindingAndKeepsTheRest() {
        String text = "a ann@example.com b 10.0.0.1 c";
        assertEquals("a [REDACTED:EMAIL] b [REDACTED:IP_ADDRESS] c", PiiDetector.redact(text, detector.detect(text)));
        assertEquals("no pii", PiiDetector.redact("no pii", detector.detect("no pii")));
    }

    @Test
    void cardNumbersAreFoundIffTheirLuhnDigitIsRight() {
        qt().forAll(longs().between(0, 99_999_999_999_999L)).checkAssert(n -> {
            String body = "4" + String.format("%014d", n);
            int check = luhnDigit(body);
            String valid = body + check;
            String invalid = body + ((check + 1) % 10);
            assertEquals(List.of(PiiCategory.CREDIT_CARD), categories("pay " + valid + " now"), valid);
            assertFalse(categories("pay " + invalid + " now").contains(PiiCategory.CREDIT_CARD), invalid);
        });
    }

    private static int luhnDigit(String body) {
        for (int d = 0; d < 10; d++) {
            if (Checksums.luhn(body + d)) {
                return d;
            }
        }
        throw new AssertionError();
    }
}
