package dev.switchboard.accounting;

import dev.switchboard.internal.accounting.Saturating;
import dev.switchboard.spi.Charge;
import dev.switchboard.spi.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The single-JVM {@link StateStore}: counters in a map behind one lock, so {@link #tryCharge} is
 * atomic over all its charges. A counter created with a TTL is forgotten once the TTL has passed on
 * the injected clock (tests move a manual clock; nothing sleeps). Nothing wraps around: a charge is
 * refused when the exact sum would pass its limit, even past {@code Long.MAX_VALUE}, and
 * {@link #adjust} saturates at the {@code long} range. Values ({@link #putValue}) live in the heap
 * until their TTL passes.
 *
 * <pre>{@code
 * StateStore store = new InMemoryStateStore(Clock.systemUTC());
 * store.tryCharge(List.of(new Charge("rpm:@k:29000000", 1, 60, Duration.ofMinutes(1))));
 * }</pre>
 */
public final class InMemoryStateStore implements StateStore {
    // A full sweep of expired counters every this many writes keeps old window buckets from piling up.
    private static final int SWEEP_EVERY = 4096;

    private final Clock clock;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private int writesSinceSweep;

    /** A store on the system UTC clock. */
    public InMemoryStateStore() {
        this(Clock.systemUTC());
    }

    /**
     * A store whose counters expire on the given clock.
     *
     * @param clock the clock; the gateway's own, so windows and expiry agree
     */
    public InMemoryStateStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Optional<Charge> tryCharge(List<Charge> charges) {
        Instant now = clock.instant();
        // a key named twice is checked against its total, as the Redis store does
        Map<String, Long> pending = charges.size() > 1 ? new HashMap<>() : null;
        for (Charge c : charges) {
            long value = pending != null && pending.containsKey(c.key()) ? pending.get(c.key()) : value(c.key(), now);
            if (Saturating.exceeds(value, c.amount(), c.limit())) {
                return Optional.of(c);
            }
            if (pending != null) {
                pending.put(c.key(), Saturating.add(value, c.amount()));
            }
        }
        add(charges, now);
        return Optional.empty();
    }

    @Override
    public synchronized void adjust(List<Charge> deltas) {
        add(deltas, clock.instant());
    }

    @Override
    public synchronized long current(String key) {
        return value(key, clock.instant());
    }

    @Override
    public synchronized boolean putValue(String key, String value, java.time.Duration ttl) {
        Instant now = clock.instant();
        values.put(key, new Value(value, now.plus(ttl)));
        if (++writesSinceSweep >= SWEEP_EVERY) {
            sweep(now);
        }
        return true;
    }

    @Override
    public synchronized Optional<String> getValue(String key) {
        Value v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(v.expiresAt)) {
            values.remove(key);
            return Optional.empty();
        }
        return Optional.of(v.text);
    }

    @Override
    public synchronized boolean removeValue(String key) {
        Value v = values.remove(key);
        return v != null && clock.instant().isBefore(v.expiresAt);
    }

    /** {@return the number of live counters (for tests and diagnostics)} */
    public synchronized int size() {
        sweep(clock.instant());
        return counters.size();
    }

    private void add(List<Charge> charges, Instant now) {
        for (Charge c : charges) {
            Counter counter = live(c.key(), now);
            if (counter == null) {
                counter = new Counter(c.ttl() == null ? null : now.plus(c.ttl()));
                counters.put(c.key(), counter);
            }
            counter.value = Saturating.add(counter.value, c.amount());
        }
        if (++writesSinceSweep >= SWEEP_EVERY) {
            sweep(now);
        }
    }

    private long value(String key, Instant now) {
        Counter c = live(key, now);
        return c == null ? 0 : c.value;
    }

    private Counter live(String key, Instant now) {
        Counter c = counters.get(key);
        if (c != null && c.expired(now)) {
            counters.remove(key);
            return null;
        }
        return c;
    }

    private void sweep(Instant now) {
        writesSinceSweep = 0;
        for (Iterator<Counter> it = counters.values().iterator(); it.hasNext(); ) {
            if (it.next().expired(now)) {
                it.remove();
            }
        }
        values.values().removeIf(v -> !now.isBefore(v.expiresAt));
    }

    private record Value(String text, Instant expiresAt) {}

    private static final class Counter {
        final Instant expiresAt;
        long value;

        Counter(Instant expiresAt) {
            this.expiresAt = expiresAt;
        }

        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }
}
