package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A check's verdict with its explanation data and, for mutators, the rewritten request or response
 * body (OpenAI format). Errors are thrown by the check, not returned: the gateway records them and
 * counts the check as passed unless its parameters say {@code failOnError: true}.
 */
public record CheckOutcome(boolean verdict, JsonNode data, ObjectNode transformedRequest, ObjectNode transformedResponse) {
    public static CheckOutcome pass(JsonNode data) {
        return new CheckOutcome(true, data, null, null);
    }

    public static CheckOutcome fail(JsonNode data) {
        return new CheckOutcome(false, data, null, null);
    }

    public static CheckOutcome of(boolean verdict, JsonNode data) {
        return new CheckOutcome(verdict, data, null, null);
    }

    public CheckOutcome withTransformedRequest(ObjectNode request) {
        return new CheckOutcome(verdict, data, request, transformedResponse);
    }

    public CheckOutcome withTransformedResponse(ObjectNode response) {
        return new CheckOutcome(verdict, data, transformedRequest, response);
    }

    public boolean transformed() {
        return transformedRequest != null || transformedResponse != null;
    }
}
