package dev.switchboard.internal.accounting;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an admission charged against a virtual key's counters, to be settled exactly once with
 * {@link LimitEnforcer#reconcile} (the call happened) or {@link LimitEnforcer#release} (it failed
 * or was cancelled). Opaque to the pipeline apart from the estimate it reserved.
 */
final class Reservation {
    /** The reservation of a key without limits: nothing to settle. */
    static Reservation none(String slug) {
        return new Reservation(slug, List.of(), 0, 0, 0);
    }

    enum Kind {
        REQUESTS,
        TOKENS,
        BUDGET
    }

    /**
     * One counter charged: its store key, what it counts, the amount, when its window ends (null:
     * never), and the counter's limit.
     */
    record Held(String key, Kind kind, long amount, Instant windowEnd, long limit) {}

    private final String slug;
    private final List<Held> held;
    private final long estimatedPromptTokens;
    private final long estimatedMaxOutputTokens;
    private final long estimatedMicros;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(
            String slug,
            List<Held> held,
            long estimatedPromptTokens,
            long estimatedMaxOutputTokens,
            long estimatedMicros) {
        this.slug = slug;
        this.held = List.copyOf(held);
        this.estimatedPromptTokens = estimatedPromptTokens;
        this.estimatedMaxOutputTokens = estimatedMaxOutputTokens;
        this.estimatedMicros = estimatedMicros;
    }

    String slug() {
        return slug;
    }

    long estimatedPromptTokens() {
        return estimatedPromptTokens;
    }

    long estimatedMaxOutputTokens() {
        return estimatedMaxOutputTokens;
    }

    /** The USD amount reserved against budgets (0 when no budget applies). */
    BigDecimal estimatedCostUsd() {
        return BigDecimal.valueOf(estimatedMicros, 6);
    }

    boolean settled() {
        return settled.get();
    }

    List<Held> held() {
        return held;
    }

    long estimatedMicros() {
        return estimatedMicros;
    }

    /** True for the one caller that gets to settle it. */
    boolean settleOnce() {
        return settled.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "Reservation{" + slug + ", " + held.size() + " counters, tokens="
                + Saturating.add(estimatedPromptTokens, estimatedMaxOutputTokens)
                + ", usd=" + estimatedCostUsd().stripTrailingZeros().toPlainString() + (settled() ? ", settled" : "")
                + "}";
    }
}
