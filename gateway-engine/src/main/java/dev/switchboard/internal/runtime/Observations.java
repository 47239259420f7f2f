package dev.switchboard.internal.runtime;

import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway observed of each target, by its option index ({@code config.targets[0]}; shared
 * with per-request configs, as circuit breakers are): time to first byte (a whole answer: the time
 * to the whole answer; a stream: to its first event), total time, whether attempts failed, and the
 * quota the provider reported in its {@code x-ratelimit-*} headers. Samples are timed with the
 * gateway's clock, so tests drive them with a manual one. Readers weigh samples by age with their
 * own half-life ({@link #view}). Thread-safe.
 */
final class Observations {
    /** How many recent samples are kept per kind and target. */
    static final int KEPT = 128;

    private final Clock clock;
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();

    Observations(Clock clock) {
        this.clock = clock;
    }

    /** {@return the gateway's clock, in epoch ms} */
    long now() {
        return clock.millis();
    }

    private Target target(String path) {
        return targets.computeIfAbsent(path, p -> new Target());
    }

    /** A successful answer (or first event) after {@code ttfbMs}. */
    void firstByte(String path, long ttfbMs) {
        Target t = target(path);
        synchronized (t) {
            t.ttfb.add(now(), Math.max(0, ttfbMs));
        }
    }

    /** A whole answer, or a stream that ended, after {@code totalMs}; {@code error}: it failed on the target's side. */
    void outcome(String path, long totalMs, boolean error) {
        Target t = target(path);
        synchronized (t) {
            long now = now();
            t.outcomes.add(now, error ? 1 : 0);
            if (!error && totalMs >= 0) {
                t.total.add(now, totalMs);
            }
        }
    }

    /** Reads the provider's quota headers of an answer (any status) of the target. */
    void quota(String path, Map<String, String> headers) {
        Quota.Reading requests = Quota.read(headers, "requests");
        Quota.Reading tokens = Quota.read(headers, "tokens");
        if (requests == null && tokens == null) {
            return;
        }
        Target t = target(path);
        long now = now();
        synchronized (t) {
            if (requests != null) {
                t.requests.update(requests, now);
            }
            if (tokens != null) {
                t.tokens.update(tokens, now);
            }
        }
    }

    /**
     * The {@code percentile} of the target's recent times to first byte, or -1 when fewer than
     * {@code minSamples} were observed; {@code count[0]} gets how many there are.
     */
    long percentile(String path, double percentile, int minSamples, int[] count) {
        Target t = targets.get(path);
        if (t == null) {
            count[0] = 0;
            return -1;
        }
        double[] values;
        synchronized (t) {
            values = t.ttfb.values();
        }
        count[0] = values.length;
        if (values.length < minSamples || values.length == 0) {
            return -1;
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(percentile / 100.0 * values.length) - 1; // nearest rank
        return Math.round(values[Math.max(0, Math.min(values.length - 1, rank))]);
    }

    /** What is known of a target now, samples weighed by age with {@code halfLifeMs}. */
    View view(String path, long halfLifeMs) {
        Target t = targets.get(path);
        long now = now();
        if (t == null) {
            return new View(Ring.Decayed.NONE, Ring.Decayed.NONE, Ring.Decayed.NONE, -1, -1, null);
        }
        synchronized (t) {
            Quota.State requests = t.requests.at(now);
            Quota.State tokens = t.tokens.at(now);
            String quota = requests == null && tokens == null
                    ? null
                    : String.join(
                                    ", ",
                                    requests == null ? "" : requests.describe("requests", now),
                                    tokens == null ? "" : tokens.describe("tokens", now))
                            .replaceAll("^, |, $", "");
            return new View(
                    t.ttfb.decayed(now, halfLifeMs),
                    t.total.decayed(now, halfLifeMs),
                    t.outcomes.decayed(now, halfLifeMs),
                    requests == null ? -1 : requests.fraction(),
                    tokens == null ? -1 : tokens.fraction(),
                    quota);
        }
    }

    /**
     * A target's observations at one moment.
     *
     * @param ttfb              decayed mean and weight of the times to first byte
     * @param total             decayed mean and weight of the total times
     * @param outcomes          decayed mean (the error rate) and weight of the attempts
     * @param requestsRemaining remaining requests as a fraction of the limit, -1 when unknown or reset
     * @param tokensRemaining   remaining tokens as a fraction of the limit, -1 when unknown or reset
     * @param quota             the quota as people read it, or null when unknown
     */
    record View(
            Ring.Decayed ttfb,
            Ring.Decayed total,
            Ring.Decayed outcomes,
            double requestsRemaining,
            double tokensRemaining,
            String quota) {}

    private static final class Target {
        final Ring ttfb = new Ring();
        final Ring total = new Ring();
        final Ring outcomes = new Ring();
        final Quota requests = new Quota();
        final Quota tokens = new Quota();
    }

    /** The last {@link #KEPT} samples of one kind, with when each was taken. Not thread-safe. */
    static final class Ring {
        private final long[] at = new long[KEPT];
        private final double[] value = new double[KEPT];
        private int size;
        private int next;

        void add(long now, double v) {
            at[next] = now;
            value[next] = v;
            next = (next + 1) % KEPT;
            size = Math.min(KEPT, size + 1);
        }

        double[] values() {
            return Arrays.copyOf(value, size); // order does not matter to a percentile
        }

        /**
         * The mean with each sample weighed {@code 2^(-age/halfLife)}, and the sum of the weights (how
         * much recent evidence there is: 1 per fresh sample).
         */
        Decayed decayed(long now, long halfLifeMs) {
            double w = 0;
            double sum = 0;
            for (int i = 0; i < size; i++) {
                double weight = Math.pow(2, -Math.max(0, now - at[i]) / (double) halfLifeMs);
                w += weight;
                sum += weight * value[i];
            }
            return w == 0 ? Decayed.NONE : new Decayed(sum / w, w);
        }

        /**
         * A decayed mean.
         *
         * @param mean   the weighed mean
         * @param weight the sum of the weights; 0 when nothing was observed
         */
        record Decayed(double mean, double weight) {
            static final Decayed NONE = new Decayed(0, 0);
        }
    }

    /**
     * One quota (requests or tokens) as the provider last reported it: remaining, limit (the header,
     * else the largest remaining seen since the last reset) and when it resets.
     */
    static final class Quota {
        private long remaining = -1;
        private long limit = -1;
        private long largestSeen = -1;
        private long resetAt = -1;
        private long seenAt = -1;

        /**
         * One answer's headers for one quota.
         *
         * @param remaining {@code x-ratelimit-remaining-*}
         * @param limit     {@code x-ratelimit-limit-*}, or -1
         * @param resetMs   ms until {@code x-ratelimit-reset-*}, or -1
         */
        record Reading(long remaining, long limit, long resetMs) {}

        /** What one quota looks like now. */
        record State(long remaining, long limit, long resetAt) {
            double fraction() {
                return limit <= 0 ? (remaining <= 0 ? 0 : 1) : Math.min(1, remaining / (double) limit);
            }

            String describe(String what, long now) {
                return remaining + (limit > 0 ? "/" + limit : "") + " " + what
                        + (resetAt > 0 ? String.format(Locale.ROOT, " (resets in %d ms)", resetAt - now) : "");
            }
        }

        /**
         * The {@code x-ratelimit-remaining-<kind>} headers (and {@code -limit-}, {@code -reset-}) of an
         * answer, or null when it has none.
         */
        static Reading read(Map<String, String> headers, String kind) {
            long remaining = number(headers.get("x-ratelimit-remaining-" + kind));
            if (remaining < 0) {
                return null;
            }
            return new Reading(
                    remaining,
                    number(headers.get("x-ratelimit-limit-" + kind)),
                    duration(headers.get("x-ratelimit-reset-" + kind)));
        }

        void update(Reading r, long now) {
            if (resetAt > 0 && now >= resetAt) {
                largestSeen = -1; // a new window
            }
            remaining = r.remaining();
            limit = r.limit();
            largestSeen = Math.max(largestSeen, r.remaining());
            resetAt = r.resetMs() >= 0 ? now + r.resetMs() : -1;
            seenAt = now;
        }

        /**
         * The quota now, or null when unknown or past its reset time. Without a reset header a
         * reading is trusted for a minute.
         */
        State at(long now) {
            if (remaining < 0) {
                return null;
            }
            long until = resetAt > 0 ? resetAt : seenAt + 60_000;
            if (now >= until) {
                return null;
            }
            return new State(remaining, limit > 0 ? limit : largestSeen, resetAt);
        }

        private static long number(String v) {
            if (v == null) {
                return -1;
            }
            try {
                long n = Math.round(Double.parseDouble(v.trim()));
                return n < 0 ? -1 : n;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /**
         * A reset header in ms: OpenAI's and Groq's durations ({@code 1s}, {@code 6m0s},
         * {@code 20ms}, {@code 1h2m3.5s}) or plain seconds ({@code 12}, {@code 0.5}); -1 when unreadable.
         */
        static long duration(String v) {
            if (v == null || v.isBlank()) {
                return -1;
            }
            String s = v.trim().toLowerCase(Locale.ROOT);
            try {
                return Math.round(Double.parseDouble(s) * 1000);
            } catch (NumberFormatException ignored) {
                // a Go-style duration
            }
            return goDuration(s);
        }

        private static long goDuration(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)")
                    .matcher(s);
            double ms = 0;
            int end = 0;
            while (m.find()) {
                if (m.start() != end) {
                    return -1;
                }
                end = m.end();
                double n = Double.parseDouble(m.group(1));
                ms += switch (m.group(2)) {
                    case "h" -> n * 3_600_000;
                    case "m" -> n * 60_000;
                    case "s" -> n * 1000;
                    default -> n;
                };
            }
            return end == s.length() && end > 0 ? Math.round(ms) : -1;
        }
    }
}
