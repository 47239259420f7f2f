package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Issue 15, defect 8: trees built in code nested 5,000 levels deep ended in a StackOverflowError in build(). */
class GatewayRequestNestingTest {
    @Test
    void aBodyNestedFiveThousandLevelsIsRejectedNamingTheLimit() {
        ObjectNode body = JsonLimitsTest.nested(5000);
        body.put("model", "gpt-4o");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GatewayRequest.chat(body).build());
        assertTrue(e.getMessage().startsWith("request body nests deeper than 256 levels"), e.getMessage());
    }

    @Test
    void aConfigOverrideNestedFiveThousandLevelsIsRejectedNamingTheLimit() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GatewayRequest.chat("{\"model\":\"m\"}")
                        .configOverride(JsonLimitsTest.nested(5000))
                        .build());
        assertTrue(e.getMessage().startsWith("config override nests deeper than 256 levels"), e.getMessage());
    }

    @Test
    void providerOptionsNestedTooDeepAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ProviderCredentials.builder("openai")
                        .options(JsonLimitsTest.nested(5000))
                        .build());
        assertTrue(e.getMessage().startsWith("provider options object nests deeper than 256 levels"), e.getMessage());
    }

    @Test
    void aBodyAtTheLimitIsAccepted() {
        ObjectNode body = JsonLimitsTest.nested(Json.MAX_NESTING_DEPTH);
        assertEquals(1, GatewayRequest.chat(body).build().bodyView().size());
    }
}
