package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A check's verdict with its explanation data and, for mutators, the rewritten request or response
 * body (OpenAI format). Errors are thrown by the check, not returned: the gateway records them and
 * counts the check as passed unless its parameters say {@code failOnError: true}.
 */
public record CheckOutcome(
        boolean verdict,
        @Nullable JsonNode data,
        @Nullable ObjectNode transformedRequest,
        @Nullable ObjectNode transformedResponse) {
    /**
     * The check passed.
     *
     * @param data what the check found, shown in the hook result; may be null
     * @return the outcome
     */
    public static CheckOutcome pass(@Nullable JsonNode data) {
        return new CheckOutcome(true, data, null, null);
    }

    /**
     * The check failed: a {@code deny} hook answers 446, a hook without {@code deny} answers 246 with
     * the provider body.
     *
     * @param data what the check found, shown in the hook result; may be null
     * @return the outcome
     */
    public static CheckOutcome fail(@Nullable JsonNode data) {
        return new CheckOutcome(false, data, null, null);
    }

    /**
     * An outcome with the given verdict.
     *
     * @param verdict true when the check passed
     * @param data    what the check found, shown in the hook result; may be null
     * @return the outcome
     */
    public static CheckOutcome of(boolean verdict, @Nullable JsonNode data) {
        return new CheckOutcome(verdict, data, null, null);
    }

    /**
     * A mutator's rewritten request.
     *
     * @param request the new OpenAI-format request body
     * @return a copy of this outcome carrying it
     */
    public CheckOutcome withTransformedRequest(ObjectNode request) {
        return new CheckOutcome(verdict, data, request, transformedResponse);
    }

    /**
     * A mutator's rewritten response.
     *
     * @param response the new OpenAI-format response body
     * @return a copy of this outcome carrying it
     */
    public CheckOutcome withTransformedResponse(ObjectNode response) {
        return new CheckOutcome(verdict, data, transformedRequest, response);
    }

    /** {@return whether the outcome carries a rewritten request or response} */
    public boolean transformed() {
        return transformedRequest != null || transformedResponse != null;
    }
}
