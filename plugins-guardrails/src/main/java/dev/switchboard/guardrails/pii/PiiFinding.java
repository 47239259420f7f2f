package dev.switchboard.guardrails.pii;

/**
 * Where a piece of PII sits in a text: {@code [start, end)} in UTF-16 indices. The value itself is
 * deliberately not held, so a finding can be logged or returned without leaking it.
 */
public record PiiFinding(PiiCategory category, int start, int end) {
    public PiiFinding {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
        }
    }

    boolean overlaps(PiiFinding other) {
        return start < other.end && other.start < end;
    }
}
