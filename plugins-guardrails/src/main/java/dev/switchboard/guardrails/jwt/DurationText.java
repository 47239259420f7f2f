package dev.switchboard.guardrails.jwt;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written the way JWT libraries accept them: {@code "30s"}, {@code "30m"},
 * {@code "2h"}, {@code "1d"}, {@code "1w"}, long forms ({@code "2 hours"}), or a bare number of seconds.
 *
 * <pre>{@code DurationText.parse("1d")  // PT24H}</pre>
 */
public final class DurationText {
    private static final Pattern FORM =
            Pattern.compile("(\\d+)\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)?");

    private DurationText() {}

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 30s, 30m, 2h, 1d)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit.charAt(0)) {
            case 's':
                return Duration.ofSeconds(n);
            case 'm':
                return Duration.ofMinutes(n);
            case 'h':
                return Duration.ofHours(n);
            case 'd':
                return Duration.ofDays(n);
            default:
                return Duration.ofDays(7 * n);
        }
    }
}
