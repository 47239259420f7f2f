package dev.switchboard.internal.runtime;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads how long a provider asks us to wait: {@code retry-after-ms}, {@code x-ms-retry-after-ms}
 * (milliseconds), then {@code retry-after} as seconds or an HTTP-date (relative to the clock).
 */
final class RetryAfter {
    private RetryAfter() {}

    static OptionalLong millis(Map<String, String> headers, Clock clock) {
        for (String h : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String v = headers.get(h);
            if (v != null) {
                try {
                    double ms = Double.parseDouble(v.trim());
                    if (ms >= 0 && !Double.isNaN(ms) && !Double.isInfinite(ms)) {
                        return OptionalLong.of((long) Math.ceil(ms));
                    }
                } catch (NumberFormatException ignored) {
                    // fall through to the next header
                }
            }
        }
        String v = headers.get("retry-after");
        if (v == null) {
            return OptionalLong.empty();
        }
        v = v.trim();
        try {
            double s = Double.parseDouble(v);
            if (s >= 0 && !Double.isNaN(s) && !Double.isInfinite(s)) {
                return OptionalLong.of((long) Math.ceil(s * 1000));
            }
            return OptionalLong.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                long ms = at.toInstant().toEpochMilli() - clock.millis();
                return OptionalLong.of(Math.max(0, ms));
            } catch (DateTimeParseException e) {
                return OptionalLong.empty();
            }
        }
    }
}
