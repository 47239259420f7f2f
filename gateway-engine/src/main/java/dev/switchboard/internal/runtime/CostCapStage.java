package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.internal.accounting.TokenEstimator;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.spi.PricingCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cost cap of one attempt: {@code max_cost_usd} from the config (inherited like
 * {@code request_timeout}) and the {@value #HEADER} request header — the lower of the two when both
 * are set, so a caller can tighten the operator's cap but never loosen it.
 *
 * <p>Before the call: the estimate — prompt tokens (counted as admission counts them) × input price
 * + max output tokens ({@code max_tokens}, else the model's output limit) × the higher of output and
 * reasoning price, from the pricing catalog — above the cap refuses the attempt with 412
 * {@code cost_cap_exceeded}; the provider is not called, the attempt is recorded, and a fallback moves
 * on (the cap is checked per target, so a cheaper target can serve the request). A model without a
 * price cannot be capped: 412 {@code cost_cap_unenforceable}.
 *
 * <p>During a stream: a {@link CostMeter} follows the running cost; the chunk that passes the cap is
 * the caller's last, then an error event {@code cost_cap_exceeded}, and the attempt is recorded as
 * failed with that error class.
 *
 * <p>Chat, legacy completions and Responses requests are capped; other endpoints are not (their
 * costs are not token estimates). A cache hit costs nothing and is never refused.
 */
final class CostCapStage implements LeafStage {
    /** The request header that sets (or lowers) the cap, in US dollars. */
    static final String HEADER = "x-switchboard-max-cost-usd";

    private final PricingCatalog catalog;

    CostCapStage(PricingCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        Endpoint e = call.request.endpoint;
        if (call.served != null
                || call.body == null
                || (e != Endpoint.CHAT_COMPLETIONS && e != Endpoint.COMPLETIONS && e != Endpoint.RESPONSES)) {
            return chain.proceed(call);
        }
        BigDecimal configured = call.target.settings().maxCostUsd();
        String header = call.request.request.header(HEADER).orElse(null);
        BigDecimal asked = null;
        if (header != null) {
            try {
                asked = new BigDecimal(header.trim());
            } catch (NumberFormatException x) {
                asked = BigDecimal.ZERO.subtract(BigDecimal.ONE);
            }
            if (asked.signum() <= 0) {
                String shown = header.length() <= 40 ? header : header.substring(0, 40) + "…";
                return refuse(
                        call,
                        400,
                        "invalid_request_error",
                        "invalid_max_cost",
                        "request header " + HEADER + ": found \"" + shown
                                + "\", expected a positive number of US dollars such as 0.05");
            }
        }
        BigDecimal cap = configured == null ? asked : asked == null ? configured : configured.min(asked);
        if (cap == null) {
            return chain.proceed(call);
        }
        String source = cap == asked
                ? "header " + HEADER
                : "max_cost_usd at "
                        + pointer(call.target.settings().inheritedFrom().get("max_cost_usd"));
        String provider = call.target.provider();
        String model = call.model();
        Optional<ModelPrice> price =
                catalog == null || model == null ? Optional.empty() : catalog.price(provider, model);
        if (price.isEmpty()
                || price.get().inputPerToken() == null
                || price.get().outputPerToken() == null) {
            return refuse(
                    call,
                    412,
                    "cost_cap_unenforceable",
                    "cost_cap_unenforceable",
                    "cannot enforce the cost cap $"
                            + usd(cap) + " (" + source + "): no price for model " + model + " of provider " + provider
                            + (catalog == null ? "" : " in catalog " + catalog.version())
                            + "; add one with DefaultPricingCatalog.withOverride (target " + call.target.path() + ")");
        }
        ModelPrice p = price.get();
        TokenEstimator.Estimate est = TokenEstimator.estimate(provider, model, call.body, p.maxOutputTokens());
        BigDecimal output = p.outputPerToken();
        if (p.reasoningPerToken() != null && p.reasoningPerToken().compareTo(output) > 0) {
            output = p.reasoningPerToken();
        }
        BigDecimal estimate = p.inputPerToken()
                .multiply(BigDecimal.valueOf(est.promptTokens()))
                .add(output.multiply(BigDecimal.valueOf(est.maxOutputTokens())));
        if (estimate.compareTo(cap) > 0) {
            String msg = "estimated cost $" + usd(estimate) + " (" + est.promptTokens() + " prompt tokens + "
                    + est.maxOutputTokens() + " max output tokens"
                    + (est.unsetMax() != null ? " (no max_tokens: the model's limit)" : "") + " of " + model
                    + " at " + provider + "'s prices) exceeds the cost cap $" + usd(cap) + " (" + source
                    + "); lower max_tokens, shorten the prompt or raise the cap (target " + call.target.path() + ")";
            ObjectNode body = envelope(msg, estimate, cap);
            return CompletableFuture.completedFuture(
                    LeafResult.failed(412, body, Failure.refused("cost_cap_exceeded", msg), provider, model));
        }
        if (call.body.path("stream").asBoolean(false)) {
            return chain.proceed(call.metered(
                    new CostMeter(cap, source, p.inputPerToken(), p.outputPerToken(), est.promptTokens(), model)));
        }
        return chain.proceed(call);
    }

    private static String pointer(String p) {
        return p == null || p.isEmpty() ? "/" : p;
    }

    private static CompletableFuture<LeafResult> refuse(
            LeafCall call, int status, String type, String code, String msg) {
        return CompletableFuture.completedFuture(LeafResult.failed(
                status,
                ErrorBody.of(msg, type, null, code),
                Failure.refused(code, msg),
                call.target.provider(),
                call.model()));
    }

    /** The OpenAI envelope of a cap refusal, with the estimate and the cap as numbers beside the message. */
    static ObjectNode envelope(String message, BigDecimal estimate, BigDecimal cap) {
        ObjectNode body = ErrorBody.of(message, "cost_cap_exceeded", null, "cost_cap_exceeded");
        ObjectNode err = (ObjectNode) body.get("error");
        err.put("estimated_cost_usd", estimate.setScale(8, RoundingMode.UP).stripTrailingZeros());
        err.put("max_cost_usd", cap.stripTrailingZeros());
        return body;
    }

    /** Dollars for people: at least two decimals, at most eight. */
    static String usd(BigDecimal v) {
        BigDecimal r = v.setScale(8, RoundingMode.UP).stripTrailingZeros();
        return (r.scale() < 2 ? r.setScale(2) : r).toPlainString();
    }
}
