package dev.switchboard.internal.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Cost;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.accounting.Reservation.Held;
import dev.switchboard.internal.accounting.Reservation.Kind;
import dev.switchboard.spi.Charge;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.spi.PricingCatalog;
import dev.switchboard.spi.StateStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Enforces a virtual key's expiry, rate limits and budgets around one provider call:
 * {@link #admit} reserves the request's estimate (1 request, prompt + max output tokens, their
 * price) on every counter that applies, atomically in the {@link StateStore}; after the call
 * {@link #reconcile} replaces the estimate by the real usage and cost, or {@link #release} gives
 * the tokens and money back. So concurrent requests can never overshoot a limit by more than the
 * amount by which their real usage exceeded their estimate.
 *
 * <pre>{@code
 * Admission a = enforcer.admit("@openai-prod", key, "openai", "gpt-4o", body, metadata);
 * if (!a.granted()) return answer(a.status(), a.error());     // 429 / 412 / 401, provider not called
 * try { ...call...; enforcer.reconcile(a.reservation(), usage, cost); }
 * catch (...) { enforcer.release(a.reservation()); }
 * }</pre>
 *
 * <p>Decisions:
 * <ul>
 *   <li>Counters are per key slug (and per metadata value for per-value limits) per calendar window
 *       of the clock in UTC; money is counted in micro-dollars, estimates rounded up.</li>
 *   <li>A model without a price cannot be admitted under a budget (412 {@code budget_unenforceable}):
 *       admitting it at $0 would let a budgeted key spend without bound. Add a price with
 *       {@code DefaultPricingCatalog.withOverride}. Keys without budgets are unaffected.</li>
 *   <li>Estimated cost = prompt tokens (bounded by their UTF-8 bytes, {@link TokenEstimator#promptBound}) × input price + max output × the higher of output and
 *       reasoning price (an upper bound: reasoning tokens are output tokens). Max output is capped at
 *       the model's output limit from the catalog and, without {@code max_tokens}, is that limit
 *       ({@link TokenEstimator}).</li>
 *   <li>No arithmetic wraps around: tokens and micro-dollars saturate at {@code Long.MAX_VALUE}
 *       ({@link Saturating}), so an absurd {@code max_tokens} or {@code n} is "more than any limit" —
 *       refused 429/412 with a message saying the request alone exceeds the limit — never a negative
 *       reservation. Negative usage or cost reported after the call counts as 0.</li>
 *   <li>{@link #release} keeps the request counted (the call was attempted and providers count it
 *       too) but returns the reserved tokens and money.</li>
 *   <li>{@link #reconcile} with unknown usage or cost keeps the estimate for that counter.</li>
 *   <li>A reservation settles once; later calls are ignored.</li>
 * </ul>
 */
public final class LimitEnforcer {
    private static final BigDecimal MICROS_PER_USD = BigDecimal.valueOf(1_000_000);

    private final StateStore store;
    private final PricingCatalog catalog;
    private final Clock clock;

    public LimitEnforcer(StateStore store, PricingCatalog catalog, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Admission admit(
            String slug,
            ProviderCredentials key,
            String providerId,
            String model,
            ObjectNode body,
            Map<String, String> metadata) {
        return admit(slug, key, providerId, model, body, metadata, () -> TokenEstimator.promptBound(body));
    }

    /**
     * As {@link #admit(String, ProviderCredentials, String, String, ObjectNode, Map)}, with the
     * prompt's token bound from {@code promptBound} ({@link TokenEstimator#promptBound}), asked only
     * when a token limit or a budget needs it: a request's attempts share one computation.
     */
    public Admission admit(
            String slug,
            ProviderCredentials key,
            String providerId,
            String model,
            ObjectNode body,
            Map<String, String> metadata,
            java.util.function.LongSupplier promptBound) {
        Instant now = clock.instant();
        Optional<Instant> expiry = key.expiresAt();
        if (expiry.isPresent() && !now.isBefore(expiry.get())) {
            String msg = "virtual key " + slug + " expired at " + expiry.get() + "; register a fresh key";
            return Admission.refused(401, ErrorBody.of(msg, Admission.EXPIRED_KEY, null, Admission.EXPIRED_KEY), null);
        }
        KeyLimits limits = key.limits().orElse(null);
        if (limits == null) {
            return Admission.granted(Reservation.none(slug));
        }
        List<KeyLimits> sets = new ArrayList<>(1 + limits.perValueLimits().size());
        sets.add(limits);
        sets.addAll(limits.perValueLimits());

        boolean needsTokens = false;
        boolean needsBudget = false;
        for (KeyLimits set : sets) {
            needsTokens |=
                    set.tokensPerMinute().isPresent() || set.tokensPerDay().isPresent() || set.hasBudget();
            needsBudget |= set.hasBudget();
        }
        // Only count when a token limit or a budget needs it: request-count limits stay cheap. The
        // prompt is bounded by its UTF-8 bytes, not tokenised (TokenEstimator.promptBound); the
        // provider's usage replaces the bound at reconcile.
        Optional<ModelPrice> price = needsTokens ? catalog.price(providerId, model) : Optional.empty();
        TokenEstimator.Estimate estimate = needsTokens
                ? TokenEstimator.admissionEstimate(
                        model, body, price.map(ModelPrice::maxOutputTokens).orElse(null), promptBound.getAsLong())
                : new TokenEstimator.Estimate(0, 0, false);
        long micros = 0;
        if (needsBudget) {
            if (price.isEmpty()
                    || price.get().inputPerToken() == null
                    || price.get().outputPerToken() == null) {
                String msg = "virtual key " + slug + ": cannot enforce its budget: no price for model " + model
                        + " of provider " + providerId + " in catalog " + catalog.version()
                        + "; add one with DefaultPricingCatalog.withOverride";
                return Admission.refused(
                        412,
                        ErrorBody.of(msg, Admission.BUDGET_UNENFORCEABLE, null, Admission.BUDGET_UNENFORCEABLE),
                        null);
            }
            micros = estimatedMicros(price.get(), estimate);
        }

        List<Charge> charges = new ArrayList<>();
        List<Held> held = new ArrayList<>();
        List<Limit> described = new ArrayList<>();
        for (KeyLimits set : sets) {
            String scope = scope(set, metadata);
            add(
                    set.requestsPerMinute(),
                    Kind.REQUESTS,
                    LimitWindow.MINUTE,
                    1,
                    slug,
                    scope,
                    now,
                    charges,
                    held,
                    described);
            add(set.requestsPerHour(), Kind.REQUESTS, LimitWindow.HOUR, 1, slug, scope, now, charges, held, described);
            add(set.requestsPerDay(), Kind.REQUESTS, LimitWindow.DAY, 1, slug, scope, now, charges, held, described);
            long tokens = estimate.totalTokens();
            add(
                    set.tokensPerMinute(),
                    Kind.TOKENS,
                    LimitWindow.MINUTE,
                    tokens,
                    slug,
                    scope,
                    now,
                    charges,
                    held,
                    described);
            add(set.tokensPerDay(), Kind.TOKENS, LimitWindow.DAY, tokens, slug, scope, now, charges, held, described);
            add(
                    set.budgetUsdPerDay().map(LimitEnforcer::toMicros),
                    Kind.BUDGET,
                    LimitWindow.DAY,
                    micros,
                    slug,
                    scope,
                    now,
                    charges,
                    held,
                    described);
            add(
                    set.budgetUsdPerMonth().map(LimitEnforcer::toMicros),
                    Kind.BUDGET,
                    LimitWindow.MONTH,
                    micros,
                    slug,
                    scope,
                    now,
                    charges,
                    held,
                    described);
            add(
                    set.budgetUsdTotal().map(LimitEnforcer::toMicros),
                    Kind.BUDGET,
                    LimitWindow.TOTAL,
                    micros,
                    slug,
                    scope,
                    now,
                    charges,
                    held,
                    described);
        }
        Optional<Charge> refused = store.tryCharge(charges);
        if (refused.isEmpty()) {
            return Admission.granted(
                    new Reservation(slug, held, estimate.promptTokens(), estimate.maxOutputTokens(), micros));
        }
        int i = charges.indexOf(refused.get());
        return refusal(described.get(i >= 0 ? i : 0), refused.get(), now, estimate.unsetMax());
    }

    /**
     * What a held counter measured: tokens of {@code usage} for a token counter, micro-dollars of
     * {@code cost} for a budget; -1 when the answer does not tell (no usage, an unknown cost). A
     * provider's negative counts are no refund; an absurd one saturates.
     */
    private static long measured(Held h, Usage usage, Cost cost) {
        if (h.kind() == Kind.TOKENS && usage != null) {
            return Saturating.add(Math.max(0, usage.promptTokens()), Math.max(0, usage.completionTokens()));
        }
        if (h.kind() == Kind.BUDGET && cost != null && cost.known()) {
            return Math.max(0, toMicros(cost.usd()));
        }
        return -1;
    }

    /** Replaces the reservation's estimate by the real usage and cost. */
    public void reconcile(Reservation r, Usage actual, Cost actualCost) {
        if (!r.settleOnce()) {
            return;
        }
        Instant now = clock.instant();
        List<Charge> deltas = new ArrayList<>();
        for (Held h : r.held()) {
            long used = measured(h, actual, actualCost);
            if (used < 0) {
                continue;
            }
            long delta = used - h.amount(); // both >= 0: cannot overflow
            if (delta != 0) {
                deltas.add(new Charge(h.key(), delta, Long.MAX_VALUE, ttl(h.windowEnd(), now)));
            }
        }
        if (!deltas.isEmpty()) {
            store.adjust(deltas);
        }
    }

    /**
     * Charges one response of a long-lived session (a Realtime session) on top of the session's
     * reservation, which stays held as room for the next response until {@link #release}. Then
     * checks whether every token and budget counter still fits its limit with that room held.
     *
     * @param r       the session's reservation (from {@link #admit})
     * @param used    the response's usage; null charges no tokens
     * @param cost    the response's cost; null or unknown charges no money
     * @return empty while the session may go on; else why it must end: the kind
     *         ({@link Admission#BUDGET_EXCEEDED} or {@link Admission#RATE_LIMIT_EXCEEDED}) and a
     *         message naming the key and the limit
     */
    public Optional<Exhausted> chargeSession(Reservation r, Usage used, Cost cost) {
        if (r.settled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Charge> deltas = new ArrayList<>();
        for (Held h : r.held()) {
            long amount = measured(h, used, cost);
            if (amount > 0) {
                deltas.add(new Charge(h.key(), amount, Long.MAX_VALUE, ttl(h.windowEnd(), now)));
            }
        }
        if (!deltas.isEmpty()) {
            store.adjust(deltas);
        }
        for (Held h : r.held()) {
            if (h.kind() == Kind.REQUESTS) {
                continue;
            }
            long current = store.current(h.key());
            if (current > h.limit()) {
                long spent = Math.max(0, current - h.amount());
                String who = "virtual key " + r.slug();
                if (h.kind() == Kind.BUDGET) {
                    return Optional.of(new Exhausted(
                            Admission.BUDGET_EXCEEDED,
                            who + ": budget of " + usd(h.limit()) + " has no room for another response (spent "
                                    + usd(spent) + ", a response may cost up to " + usd(h.amount()) + ")"));
                }
                return Optional.of(new Exhausted(
                        Admission.RATE_LIMIT_EXCEEDED,
                        who + ": token limit of " + h.limit() + " tokens has no room for another response (" + spent
                                + " used, a response may use up to " + h.amount() + ")"));
            }
        }
        return Optional.empty();
    }

    /**
     * Why a session must end: a limit has no room for another response.
     *
     * @param type    {@link Admission#BUDGET_EXCEEDED} or {@link Admission#RATE_LIMIT_EXCEEDED}
     * @param message names the key and the limit
     */
    public record Exhausted(String type, String message) {}

    /** Gives back the reserved tokens and money (the request stays counted). */
    public void release(Reservation r) {
        if (!r.settleOnce()) {
            return;
        }
        Instant now = clock.instant();
        List<Charge> deltas = new ArrayList<>();
        for (Held h : r.held()) {
            if (h.kind() != Kind.REQUESTS && h.amount() != 0) {
                deltas.add(new Charge(h.key(), -h.amount(), Long.MAX_VALUE, ttl(h.windowEnd(), now)));
            }
        }
        if (!deltas.isEmpty()) {
            store.adjust(deltas);
        }
    }

    /** What a refused charge was, for the message. */
    private record Limit(String slug, String scope, Kind kind, LimitWindow window, long limit, Instant windowEnd) {}

    private static void add(
            Optional<Long> limit,
            Kind kind,
            LimitWindow window,
            long amount,
            String slug,
            String scope,
            Instant now,
            List<Charge> charges,
            List<Held> held,
            List<Limit> described) {
        if (limit.isEmpty()) {
            return;
        }
        Instant start = window.start(now);
        Instant end = window.end(start);
        String key = "sb:" + slug + ":" + scope + ":" + kind.name().toLowerCase() + ":" + window.label()
                + (window == LimitWindow.TOTAL ? "" : ":" + start.getEpochSecond());
        charges.add(new Charge(key, amount, limit.get(), ttl(end, now)));
        held.add(new Held(key, kind, amount, end, limit.get()));
        described.add(new Limit(slug, scope, kind, window, limit.get(), end));
    }

    private static String scope(KeyLimits set, Map<String, String> metadata) {
        Optional<String> field = set.perMetadataKey();
        if (field.isEmpty()) {
            return "*";
        }
        String value = metadata == null ? null : metadata.get(field.get());
        return field.get() + "=" + (value == null ? KeyLimits.NO_VALUE : value);
    }

    private Admission refusal(Limit l, Charge c, Instant now, String unsetMax) {
        long used = store.current(c.key());
        String who = "virtual key " + l.slug() + ("*".equals(l.scope()) ? "" : " (" + l.scope() + ")");
        // a request that alone needs more than the limit can never fit: say so, and no Retry-After
        boolean never = c.amount() > l.limit();
        Duration retryAfter = l.windowEnd() == null || never ? null : Duration.between(now, l.windowEnd());
        String hint = unsetMax == null ? "" : "; " + unsetMax + ": set max_tokens to reserve less";
        switch (l.kind()) {
            case REQUESTS: {
                String msg = who + ": rate limit of " + l.limit() + " requests "
                        + l.window().phrase() + " reached (" + used + " used "
                        + l.window().currentPhrase() + ")";
                return Admission.refused(
                        429,
                        ErrorBody.of(msg, Admission.RATE_LIMIT_EXCEEDED, null, Admission.RATE_LIMIT_EXCEEDED),
                        retryAfter);
            }
            case TOKENS: {
                String msg = never
                        ? who + ": this request needs up to " + c.amount() + " tokens, more than the token limit of "
                                + l.limit() + " tokens " + l.window().phrase() + " ("
                                + (unsetMax == null
                                        ? "set max_tokens lower, or raise the limit"
                                        : unsetMax + ": set max_tokens to reserve less")
                                + ")"
                        : who + ": token limit of " + l.limit() + " tokens "
                                + l.window().phrase() + " reached ("
                                + used + " used " + l.window().currentPhrase() + ", this request needs up to "
                                + c.amount() + ")" + hint;
                return Admission.refused(
                        429,
                        ErrorBody.of(msg, Admission.RATE_LIMIT_EXCEEDED, null, Admission.RATE_LIMIT_EXCEEDED),
                        retryAfter);
            }
            default: {
                String msg = never
                        ? who + ": this request needs up to " + usd(c.amount()) + ", more than the budget of "
                                + usd(l.limit()) + " " + l.window().phrase() + " ("
                                + (unsetMax == null
                                        ? "set max_tokens lower, or raise the budget"
                                        : unsetMax + ": set max_tokens to reserve less")
                                + ")"
                        : who + ": budget of " + usd(l.limit()) + " "
                                + l.window().phrase() + " exhausted (spent " + usd(used) + ", this request needs up to "
                                + usd(c.amount()) + ")" + hint;
                return Admission.refused(
                        412, ErrorBody.of(msg, Admission.BUDGET_EXCEEDED, null, Admission.BUDGET_EXCEEDED), null);
            }
        }
    }

    static long estimatedMicros(ModelPrice p, TokenEstimator.Estimate e) {
        BigDecimal output = p.outputPerToken();
        if (p.reasoningPerToken() != null && p.reasoningPerToken().compareTo(output) > 0) {
            output = p.reasoningPerToken();
        }
        BigDecimal usd = p.inputPerToken()
                .multiply(BigDecimal.valueOf(e.promptTokens()))
                .add(output.multiply(BigDecimal.valueOf(e.maxOutputTokens())));
        return Math.max(0, toMicros(usd)); // a negative price in a custom catalog is no refund
    }

    /** USD to micro-dollars, rounded up, saturating at the {@code long} range (never an ArithmeticException). */
    static long toMicros(BigDecimal usd) {
        return Saturating.ceil(usd.multiply(MICROS_PER_USD));
    }

    /** "$5.00", "$0.000123". */
    static String usd(long micros) {
        BigDecimal v = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return "$" + (v.scale() < 2 ? v.setScale(2) : v).toPlainString();
    }

    private static Duration ttl(Instant windowEnd, Instant now) {
        if (windowEnd == null) {
            return null;
        }
        Duration d = Duration.between(now, windowEnd);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }
}
