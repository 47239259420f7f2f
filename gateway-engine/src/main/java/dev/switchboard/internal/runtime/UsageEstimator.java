package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;

/** Estimates usage for an attempt whose real usage never arrived (a cut or cancelled stream). */
@FunctionalInterface
public interface UsageEstimator {
    /**
     * An estimate of the tokens spent.
     *
     * @param provider    the provider id
     * @param model       the model, or null
     * @param requestBody the request sent, or null
     * @param answerChars characters of the answer streamed so far (0 when the text was not collected)
     * @return the estimate
     */
    Usage estimate(String provider, String model, ObjectNode requestBody, int answerChars);
}
