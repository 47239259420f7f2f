package dev.switchboard.guardrails.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds PII in text with patterns plus validation, tuned for precision: card numbers must pass
 * Luhn and carry a known issuer prefix, IBANs must have their country's length and a valid mod-97
 * check, SSNs must respect the area/group/serial rules, IP addresses must be well formed (version
 * strings like {@code 1.2.3.4.5} and clock times like {@code 10:30:45} are not addresses), and
 * phone numbers need separators or a {@code +} country code (a bare digit run is not a phone).
 * Thread-safe and stateless.
 *
 * <pre>{@code
 * PiiDetector d = new PiiDetector();
 * List<PiiFinding> f = d.detect("mail me: ann@example.com", EnumSet.allOf(PiiCategory.class));
 * String safe = PiiDetector.redact(text, f);    // "mail me: [REDACTED:EMAIL]"
 * }</pre>
 */
public final class PiiDetector {
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])");
    private static final Pattern US_PHONE = Pattern.compile(
            "(?<![\\w+-])(?:\\+?1[-.\\s]?)?(?:\\([2-9]\\d{2}\\)\\s?|[2-9]\\d{2}[-.\\s])[2-9]\\d{2}[-.\\s]\\d{4}(?![\\w-]|\\.\\d)");
    private static final Pattern INTL_PHONE =
            Pattern.compile("(?<![\\w+])\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,5}\\)?){1,6}(?![\\w-]|\\.\\d)");
    private static final Pattern CARD = Pattern.compile("(?<![\\d.,-])\\d(?:[ -]?\\d){12,22}(?!\\d|[.,-]\\d)");
    private static final Pattern IBAN_START = Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}");
    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-]|\\.\\d)");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\w|\\.\\w)");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:(?<=:)(?:\\d{1,3}\\.){3}\\d{1,3})?(?![\\w:]|\\.\\w)");
    /** API key formats; group 1, when present, is the secret part of the match. */
    private static final List<Pattern> API_KEYS = List.of(
            Pattern.compile("(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}"),
            Pattern.compile(
                    "(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]*\\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}"),
            Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"),
            Pattern.compile("(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}"),
            Pattern.compile("(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}"),
            Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
            Pattern.compile("(?<![A-Za-z0-9-])xox[baprs]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\bBearer\\s+([A-Za-z0-9._~+/-]{20,}=*)"));

    private static final Map<String, Integer> IBAN_LENGTHS = ibanLengths();

    /** Finds the PII of the given categories; findings never overlap and are sorted by position. */
    public List<PiiFinding> detect(String text, Set<PiiCategory> categories) {
        if (text == null || text.isEmpty() || categories.isEmpty()) {
            return List.of();
        }
        List<PiiFinding> all = new ArrayList<>();
        for (PiiCategory c : categories) {
            switch (c) {
                case API_KEY -> apiKeys(text, all);
                case EMAIL -> simple(EMAIL, c, text, all);
                case CREDIT_CARD -> cards(text, all);
                case IBAN -> ibans(text, all);
                case US_SSN -> ssns(text, all);
                case IP_ADDRESS -> ips(text, all);
                case PHONE -> phones(text, all);
            }
        }
        return resolveOverlaps(all);
    }

    /** Finds PII of every category. */
    public List<PiiFinding> detect(String text) {
        return detect(text, EnumSet.allOf(PiiCategory.class));
    }

    /** Replaces each finding with {@code [REDACTED:<CATEGORY>]}; {@code findings} must come from {@link #detect} on {@code text}. */
    public static String redact(String text, List<PiiFinding> findings) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (PiiFinding f : findings) {
            out.append(text, at, f.start())
                    .append("[REDACTED:")
                    .append(f.category().name())
                    .append(']');
            at = f.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** Counts per category, in category order. */
    public static Map<PiiCategory, Integer> counts(List<PiiFinding> findings) {
        Map<PiiCategory, Integer> counts = new EnumMap<>(PiiCategory.class);
        findings.forEach(f -> counts.merge(f.category(), 1, Integer::sum));
        return counts;
    }

    private static List<PiiFinding> resolveOverlaps(List<PiiFinding> all) {
        all.sort(Comparator.comparing(PiiFinding::category)
                .thenComparingInt(PiiFinding::start)
                .thenComparingInt(f -> f.start() - f.end()));
        List<PiiFinding> kept = new ArrayList<>();
        for (PiiFinding f : all) {
            if (kept.stream().noneMatch(f::overlaps)) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparingInt(PiiFinding::start));
        return kept;
    }

    private static void simple(Pattern p, PiiCategory c, String text, List<PiiFinding> out) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(new PiiFinding(c, m.start(), m.end()));
        }
    }

    private static void apiKeys(String text, List<PiiFinding> out) {
        for (Pattern p : API_KEYS) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                int g = m.groupCount() >= 1 && m.group(1) != null ? 1 : 0;
                out.add(new PiiFinding(PiiCategory.API_KEY, m.start(g), m.end(g)));
            }
        }
    }

    private static void phones(String text, List<PiiFinding> out) {
        simple(US_PHONE, PiiCategory.PHONE, text, out);
        Matcher m = INTL_PHONE.matcher(text);
        while (m.find()) {
            long digits = m.group().chars().filter(Character::isDigit).count();
            if (digits >= 8 && digits <= 15) {
                out.add(new PiiFinding(PiiCategory.PHONE, m.start(), m.end()));
            }
        }
    }

    private static void ssns(String text, List<PiiFinding> out) {
        Matcher m = SSN.matcher(text);
        while (m.find()) {
            int area = Integer.parseInt(m.group(1));
            int group = Integer.parseInt(m.group(3));
            int serial = Integer.parseInt(m.group(4));
            boolean valid = area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
            if (valid) {
                out.add(new PiiFinding(PiiCategory.US_SSN, m.start(), m.end()));
            }
        }
    }

    private static void ips(String text, List<PiiFinding> out) {
        simple(IPV4, PiiCategory.IP_ADDRESS, text, out);
        Matcher m = IPV6.matcher(text);
        while (m.find()) {
            if (isIpv6(m.group())) {
                out.add(new PiiFinding(PiiCategory.IP_ADDRESS, m.start(), m.end()));
            }
        }
    }

    static boolean isIpv6(String s) {
        int groupsNeeded = 8;
        String hexPart = s;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') >= 0) {
            if (!IPV4.matcher(s.substring(lastColon + 1)).matches()) {
                return false;
            }
            groupsNeeded = 6;
            hexPart = s.substring(0, lastColon + 1);
            if (hexPart.endsWith("::")) {
                hexPart = hexPart + "0"; // "::ffff:" + v4 style: keep the split below uniform
                groupsNeeded = 7;
            } else {
                hexPart = hexPart.substring(0, hexPart.length() - 1);
            }
        }
        int doubleColon = hexPart.indexOf("::");
        if (doubleColon != hexPart.lastIndexOf("::") || hexPart.contains(":::")) {
            return false;
        }
        if (doubleColon < 0) {
            String[] groups = hexPart.split(":", -1);
            return groups.length == groupsNeeded && allHexGroups(groups);
        }
        String left = hexPart.substring(0, doubleColon);
        String right = hexPart.substring(doubleColon + 2);
        String[] l = left.isEmpty() ? new String[0] : left.split(":", -1);
        String[] r = right.isEmpty() ? new String[0] : right.split(":", -1);
        if (l.length + r.length == 0 || l.length + r.length > groupsNeeded - 1) {
            return false;
        }
        // "Bad::" or "cafe::" in prose: a single group before a trailing "::" is too weak to call an address
        if (r.length == 0 && l.length < 2) {
            return false;
        }
        return allHexGroups(l) && allHexGroups(r);
    }

    private static boolean allHexGroups(String[] groups) {
        for (String g : groups) {
            if (g.isEmpty() || g.length() > 4) {
                return false;
            }
            for (int i = 0; i < g.length(); i++) {
                if (Character.digit(g.charAt(i), 16) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void cards(String text, List<PiiFinding> out) {
        Matcher m = CARD.matcher(text);
        while (m.find()) {
            // the candidate may run into a following number: try shorter whole-group prefixes too
            String candidate = m.group();
            int end = candidate.length();
            while (end > 0) {
                String digits = candidate.substring(0, end).replaceAll("[ -]", "");
                if (digits.length() >= 13 && digits.length() <= 19 && knownIssuer(digits) && Checksums.luhn(digits)) {
                    out.add(new PiiFinding(PiiCategory.CREDIT_CARD, m.start(), m.start() + end));
                    break;
                }
                int sep = Math.max(candidate.lastIndexOf(' ', end - 1), candidate.lastIndexOf('-', end - 1));
                end = sep;
            }
        }
    }

    /** Issuer prefixes (IIN ranges) with their card lengths; a digit run outside them is not a card. */
    static boolean knownIssuer(String d) {
        int len = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        if (d.charAt(0) == '4') {
            return len == 13 || len == 16 || len == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || p2 == 62) {
            return len >= 16; // Discover, UnionPay
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return len >= 14; // Diners Club
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16; // JCB
        }
        return p2 == 50 || (p2 >= 56 && p2 <= 69); // Maestro
    }

    private static void ibans(String text, List<PiiFinding> out) {
        Matcher m = IBAN_START.matcher(text);
        int from = 0;
        while (m.find(from)) {
            from = m.start() + 1;
            Integer length = IBAN_LENGTHS.get(m.group().substring(0, 2));
            if (length == null) {
                continue;
            }
            // collect exactly `length` alphanumerics, allowing single spaces between them (printed groups of 4)
            StringBuilder iban = new StringBuilder();
            int i = m.start();
            while (i < text.length() && iban.length() < length) {
                char c = text.charAt(i);
                if (isIbanChar(c)) {
                    iban.append(c);
                    i++;
                } else if (c == ' ' && iban.length() > 0 && i + 1 < text.length() && isIbanChar(text.charAt(i + 1))) {
                    i++;
                } else {
                    break;
                }
            }
            boolean endsCleanly = i >= text.length() || !Character.isLetterOrDigit(text.charAt(i));
            if (iban.length() == length && endsCleanly && Checksums.ibanMod97(iban.toString())) {
                out.add(new PiiFinding(PiiCategory.IBAN, m.start(), i));
                from = i;
            }
        }
    }

    private static boolean isIbanChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    }

    private static Map<String, Integer> ibanLengths() {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 "
                + "EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 "
                + "KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 "
                + "QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20";
        Map<String, Integer> m = new java.util.HashMap<>();
        for (String e : table.split(" ")) {
            m.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
        }
        return Map.copyOf(m);
    }
}
