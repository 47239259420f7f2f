package dev.switchboard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Usage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the in-process provider example: the fallback lands on the echo provider, its rules, its stream. */
class InProcessEchoTest {
    @Test
    void theFailingStubFallsBackToTheEchoProviderWhichAnswersByRulesAndStreamsWordByWord() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<GatewayResponse> answers = InProcessEcho.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);

        GatewayResponse hello = answers.get(0);
        assertEquals(200, hello.status());
        assertEquals(
                "config.targets[1]",
                hello.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(
                "Hello! I am the echo provider.",
                hello.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText());
        List<Attempt> attempts = hello.trace().attempts();
        assertEquals(List.of(503, 200), attempts.stream().map(Attempt::status).toList());
        assertEquals("openai", attempts.get(0).provider());
        assertEquals("echo", attempts.get(1).provider());
        assertEquals("echo-1", attempts.get(1).model());
        assertEquals(Usage.of(2, 6), attempts.get(1).usage(), "usage in words");
        assertEquals(
                0,
                new BigDecimal("0.00001").compareTo(attempts.get(1).cost().usd()),
                attempts.get(1).cost().toString());

        assertEquals(
                "desserts",
                answers.get(1)
                        .json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText());

        GatewayResponse streamed = answers.get(2);
        assertTrue(streamed.isStream());
        assertTrue(out.contains("[You ][said: ][stream ][me ][word ][by ][word] then [DONE]"), out);
        Attempt echoed =
                streamed.trace().attempts().get(streamed.trace().attempts().size() - 1);
        assertEquals(Usage.of(5, 7), echoed.usage(), "the stream's usage reached the trace");
        assertTrue(echoed.cost().known());
        assertTrue(streamed.trace().finished());
        assertFalse(out.contains("sk-stub"), "no key in the output");
    }
}
