package dev.switchboard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when told to, so TTLs, windows and backoffs are tested exactly and
 * instantly. Zone UTC; thread-safe. Clocks derived with {@link #withZone} share the same time.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.start();          // 2026-01-01T00:00:00Z
 * Gateway gateway = Gateway.builder().config(json).clock(clock).build();
 * clock.advance(Duration.ofMinutes(5));             // the cache entry is now expired
 * }</pre>
 */
public final class ManualClock extends Clock {
    /** Where {@link #start()} begins: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * A clock standing at a given instant.
     *
     * @param instant where the clock stands
     * @return the clock, zone UTC
     */
    public static ManualClock at(Instant instant) {
        return new ManualClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
    }

    /** {@return a clock standing at {@link #DEFAULT_START}, zone UTC} */
    public static ManualClock start() {
        return at(DEFAULT_START);
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far; not negative
     * @return the new instant
     * @throws IllegalArgumentException if {@code duration} is negative (time never runs backwards;
     *                                  use {@link #set} to jump)
     */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot advance a clock by a negative duration: " + duration);
        }
        return now.updateAndGet(i -> i.plus(duration));
    }

    /**
     * Puts the clock at an instant, in any direction.
     *
     * @param instant the new time
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time (advancing one advances both). */
    @Override
    public ManualClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(this.zone) ? this : new ManualClock(now, zone);
    }

    @Override
    public String toString() {
        return "ManualClock{" + now.get() + ", " + zone + "}";
    }
}
