package dev.switchboard.providers.common;

import static dev.switchboard.providers.common.ProviderTesting.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.ProviderReply;
import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {
    /** {@link OpenAiErrors#normalize}, with the envelope read by the OpenAI SDK. */
    private static ProviderReply normalized(String providerId, dev.switchboard.spi.HttpReply reply) {
        ProviderReply r = OpenAiErrors.normalize(providerId, reply);
        OpenAiSdkCheck.error(r.body());
        return r;
    }

    @Test
    void openAiEnvelopeKeepsStatusTypeCodeAndExtraFields() {
        ProviderReply r = normalized(
                "azure-openai",
                reply(
                        400,
                        """
                {"error":{"message":"filtered","type":null,"param":"prompt","code":"content_filter",
                  "innererror":{"code":"ResponsibleAIPolicyViolation"}}}"""));
        assertEquals(400, r.status());
        JsonNode e = r.body().get("error");
        assertEquals("azure-openai error: filtered", e.get("message").asText());
        assertEquals("invalid_request_error", e.get("type").asText());
        assertEquals("prompt", e.get("param").asText());
        assertEquals("content_filter", e.get("code").asText());
        assertEquals(
                "ResponsibleAIPolicyViolation",
                e.path("innererror").path("code").asText());
        assertEquals("azure-openai", r.body().get("provider").asText());
        assertFalse(r.overloaded());
    }

    @Test
    void cohereMessageBodyBecomesRateLimitEnvelopeOn429() {
        ProviderReply r = normalized("cohere", reply(429, "{\"id\":\"x\",\"message\":\"trial key limit\"}"));
        assertEquals(429, r.status());
        assertEquals(
                "cohere error: trial key limit",
                r.body().path("error").path("message").asText());
        assertEquals("rate_limit_error", r.body().path("error").path("type").asText());
    }

    @Test
    void fastApiValidationDetailIsJoinedWithLocations() {
        ProviderReply r = normalized(
                "mistral-ai",
                reply(
                        422,
                        """
                {"detail":[{"loc":["body","temperature"],"msg":"must be <= 1.5","type":"value_error"}]}"""));
        assertEquals(422, r.status());
        assertEquals(
                "mistral-ai error: body.temperature: must be <= 1.5",
                r.body().path("error").path("message").asText());
    }

    @Test
    void nonJsonBodyIsWrappedAsTextAndIntegerCodesBecomeText() {
        ProviderReply html = normalized("groq", reply(503, "<html>Service Unavailable</html>"));
        assertEquals(503, html.status());
        assertTrue(html.body().path("error").path("message").asText().contains("Service Unavailable"));
        assertEquals("api_error", html.body().path("error").path("type").asText());

        ProviderReply or =
                normalized("openrouter", reply(402, "{\"error\":{\"code\":402,\"message\":\"no credits\"}}"));
        assertEquals("402", or.body().path("error").path("code").asText());
        assertEquals("insufficient_quota", or.body().path("error").path("type").asText());

        ProviderReply ollama = normalized("ollama", reply(500, "{\"error\":\"model not loaded\"}"));
        assertEquals(
                "ollama error: model not loaded",
                ollama.body().path("error").path("message").asText());

        ProviderReply empty = normalized("x-ai", reply(504, ""));
        assertEquals(
                "x-ai error: HTTP 504",
                empty.body().path("error").path("message").asText());
    }
}
