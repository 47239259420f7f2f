package dev.switchboard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the custom HTTP provider example: Acme's wire format both ways, answers valid against OpenAI's schema. */
class CustomHttpProviderTest {
    @Test
    void acmeRequestsAnswersStreamsAndErrorsAreTranslated() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CustomHttpProvider.Outcome o = CustomHttpProvider.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);

        JsonNode sent = o.acmeRequests().get(0);
        assertEquals(
                "user: What is the capital of France?\n", sent.path("prompt").asText());
        assertEquals(false, sent.path("stream").asBoolean(true));
        assertTrue(o.acmeRequests().get(1).path("stream").asBoolean());
        assertEquals(List.of("acme-test-key", "acme-test-key", "acme-test-key"), o.acmeKeys());

        GatewayResponse whole = o.answers().get(0);
        assertEquals(200, whole.status());
        List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", whole.json());
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(
                "Paris is the capital of France.",
                whole.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText());
        assertEquals("acme-large", whole.json().path("model").asText());
        assertEquals(Usage.of(9, 6), whole.trace().attempts().get(0).usage());
        assertEquals(
                0,
                new BigDecimal("0.000027").compareTo(whole.trace().totalCost().usd()));
        assertTrue(whole.trace().attempts().get(0).notes().contains("dropped temperature: not supported by acme"));

        List<JsonNode> chunks = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("   data: {")) {
                chunks.add(Json.parse(line.substring("   data: ".length())));
            }
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) {
            List<String> p = OpenAiSchemas.shared().validate("CreateChatCompletionStreamResponse", c);
            assertTrue(p.isEmpty(), p + " in " + c);
            text.append(c.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertEquals("Bonjour tout le monde", text.toString());
        assertTrue(out.contains("   data: [DONE]"), out);
        assertEquals(
                Usage.of(5, 3), o.answers().get(1).trace().attempts().get(0).usage());

        GatewayResponse refused = o.answers().get(2);
        assertEquals(429, refused.status());
        assertEquals(
                "acme error: slow down: 10 requests per minute",
                refused.json().path("error").path("message").asText());
        assertEquals(
                "rate_limit_error", refused.json().path("error").path("type").asText());
    }
}
