package dev.switchboard.internal.accounting;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** A calendar window of the gateway clock, in UTC; counters are keyed by the window's start. */
enum LimitWindow {
    MINUTE("minute"),
    HOUR("hour"),
    DAY("day"),
    MONTH("month"),
    /** Never resets. */
    TOTAL("total");

    private final String label;

    LimitWindow(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** "per day", "in total". */
    String phrase() {
        return this == TOTAL ? "in total" : "per " + label;
    }

    /** "this day", "so far". */
    String currentPhrase() {
        return this == TOTAL ? "so far" : "this " + label;
    }

    Instant start(Instant now) {
        switch (this) {
            case MINUTE:
                return now.truncatedTo(ChronoUnit.MINUTES);
            case HOUR:
                return now.truncatedTo(ChronoUnit.HOURS);
            case DAY:
                return now.truncatedTo(ChronoUnit.DAYS);
            case MONTH:
                return ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.DAYS)
                        .withDayOfMonth(1)
                        .toInstant();
            default:
                return Instant.EPOCH;
        }
    }

    /** End of the window that starts at {@code start}; null for {@link #TOTAL}. */
    Instant end(Instant start) {
        switch (this) {
            case MINUTE:
                return start.plus(1, ChronoUnit.MINUTES);
            case HOUR:
                return start.plus(1, ChronoUnit.HOURS);
            case DAY:
                return start.plus(1, ChronoUnit.DAYS);
            case MONTH:
                return ZonedDateTime.ofInstant(start, ZoneOffset.UTC)
                        .plusMonths(1)
                        .toInstant();
            default:
                return null;
        }
    }
}
