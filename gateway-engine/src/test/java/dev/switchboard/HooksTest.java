package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hooks in the request pipeline: 446 before and after, 246, 200 with hook_results, mutators, async, streams. */
class HooksTest {
    private StubUpstream stub;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private String leaf(String hooks) {
        return "{" + hooks + (hooks.isEmpty() ? "" : ",") + "\"provider\":\"openai\",\"api_key\":\"sk-test\","
                + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}";
    }

    private static GatewayRequest ask(String text) {
        return GatewayRequest.chat(Json.object()
                        .put("model", "gpt-4o-mini")
                        .set(
                                "messages",
                                Json.array()
                                        .add(Json.object().put("role", "user").put("content", text))))
                .build();
    }

    @Test
    void aFailingDenyHookBeforeTheRequestAnswers446AndTheProviderIsNeverCalled() {
        Gateway g = Gateway.fromConfig(leaf(
                "\"input_guardrails\":[{\"default.regexMatch\":{\"rule\":\"\\\\d{4}\",\"not\":true},\"deny\":true}]"));
        GatewayResponse r = g.execute(ask("my pin is 1234"));
        assertEquals(446, r.status());
        assertEquals("hooks_failed", r.json().path("error").path("type").asText());
        JsonNode before = r.json().path("hook_results").path("before_request_hooks");
        assertEquals(1, before.size());
        assertFalse(before.path(0).path("verdict").asBoolean());
        assertEquals(0, stub.hits());
        assertEquals("hooks_failed", r.trace().attempts().get(0).errorClass());
    }

    @Test
    void aFailingDenyHookAfterTheAnswerAnswers446AndDiscardsTheProviderBody() {
        stub.enqueue(StubResponse.chatCompletion("I recommend Apple products"));
        Gateway g = Gateway.fromConfig(
                leaf(
                        "\"output_guardrails\":[{\"default.contains\":{\"operator\":\"none\",\"words\":[\"Apple\"]},\"deny\":true}]"));
        GatewayResponse r = g.execute(ask("what phone?"));
        assertEquals(446, r.status());
        assertFalse(r.json().has("choices"), "the provider body is discarded");
        assertEquals(
                1, r.json().path("hook_results").path("after_request_hooks").size());
        assertEquals(1, stub.hits());
    }

    @Test
    void aFailingHookWithoutDenyAnswers246WithTheProviderBody() {
        stub.enqueue(StubResponse.chatCompletion("I recommend Apple products"));
        Gateway g = Gateway.fromConfig(
                leaf("\"output_guardrails\":[{\"default.contains\":{\"operator\":\"none\",\"words\":[\"Apple\"]}}]"));
        GatewayResponse r = g.execute(ask("what phone?"));
        assertEquals(246, r.status());
        assertEquals(
                "I recommend Apple products",
                r.json().path("choices").path(0).path("message").path("content").asText());
        assertFalse(r.json()
                .path("hook_results")
                .path("after_request_hooks")
                .path(0)
                .path("verdict")
                .asBoolean());
    }

    @Test
    void aFailingNonDenyInputHookAlsoGives246() {
        Gateway g = Gateway.fromConfig(leaf("\"input_guardrails\":[{\"default.wordCount\":{\"minWords\":10}}]"));
        GatewayResponse r = g.execute(ask("too short"));
        assertEquals(246, r.status());
        assertEquals(1, stub.hits());
    }

    @Test
    void passingHooksAnswer200WithHookResultsInTheBody() {
        Gateway g = Gateway.fromConfig(
                leaf("\"input_guardrails\":[{\"default.wordCount\":{\"minWords\":1,\"maxWords\":50}}],"
                        + "\"output_guardrails\":[{\"default.notNull\":{}}]"));
        GatewayResponse r = g.execute(ask("hello there"));
        assertEquals(200, r.status());
        assertTrue(r.json()
                .path("hook_results")
                .path("before_request_hooks")
                .path(0)
                .path("verdict")
                .asBoolean());
        assertTrue(r.json()
                .path("hook_results")
                .path("after_request_hooks")
                .path(0)
                .path("verdict")
                .asBoolean());
        assertEquals(2, r.trace().hookResults().size());
    }

    @Test
    void noHooksMeansNoHookResultsField() {
        GatewayResponse r = Gateway.fromConfig(leaf("")).execute(ask("hi"));
        assertFalse(r.json().has("hook_results"));
    }

    @Test
    void aMutatorRewritesTheRequestBeforeTheProviderSeesIt() {
        Gateway g = Gateway.fromConfig(
                leaf(
                        "\"input_mutators\":[{\"default.regexReplace\":{\"rule\":\"\\\\b\\\\d{16}\\\\b\",\"redactText\":\"[CARD]\"}}]"));
        g.execute(ask("charge 4111111111111111 please"));
        assertEquals(
                "charge [CARD] please",
                stub.lastRequest()
                        .json()
                        .path("messages")
                        .path(0)
                        .path("content")
                        .asText());
    }

    @Test
    void piiRedactionHidesAnEmailFromTheProvider() {
        Gateway g =
                Gateway.fromConfig(leaf("\"input_mutators\":[{\"default.piiRedact\":{\"categories\":[\"EMAIL\"]}}]"));
        g.execute(ask("mail me at jane.doe@example.com"));
        String sent = stub.lastRequest()
                .json()
                .path("messages")
                .path(0)
                .path("content")
                .asText();
        assertFalse(sent.contains("jane.doe@example.com"), sent);
        assertTrue(sent.contains("[REDACTED"), sent);
    }

    /** A check that throws: the hook passes (fail-open) unless failOnError. */
    static final class Exploding implements GuardrailCheck {
        @Override
        public String id() {
            return "test.exploding";
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            throw new IllegalStateException("kaboom");
        }
    }

    @Test
    void aCheckThatThrowsPassesUnlessFailOnError() {
        Gateway open = Gateway.builder()
                .config(leaf("\"input_guardrails\":[{\"test.exploding\":{},\"deny\":true}]"))
                .register(new Exploding())
                .build();
        GatewayResponse r = open.execute(ask("hi"));
        assertEquals(200, r.status());
        assertTrue(
                r.json().path("hook_results").toString().contains("kaboom"),
                r.json().toString());

        Gateway closed = Gateway.builder()
                .config(leaf("\"input_guardrails\":[{\"test.exploding\":{\"failOnError\":true},\"deny\":true}]"))
                .register(new Exploding())
                .build();
        assertEquals(446, closed.execute(ask("hi")).status());
    }

    /** A check whose answer never comes. */
    static final class NeverAnswers implements GuardrailCheck {
        @Override
        public String id() {
            return "test.never";
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            throw new UnsupportedOperationException("async only");
        }

        @Override
        public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
            return new CompletableFuture<>();
        }
    }

    @Test
    void asyncHooksDoNotDelayTheAnswer() {
        Gateway g = Gateway.builder()
                .config(leaf("\"before_request_hooks\":[{\"id\":\"slow\",\"async\":true,"
                        + "\"checks\":[{\"id\":\"test.never\"}]}]"))
                .register(new NeverAnswers())
                .build();
        GatewayResponse r = g.execute(ask("hi"));
        assertEquals(200, r.status());
        assertEquals(1, stub.hits());
    }

    @Test
    void retryUntilTheOutputGuardrailPassesWhen446IsListed() {
        stub.enqueue(StubResponse.chatCompletion("Apple!"));
        stub.enqueue(StubResponse.chatCompletion("a neutral answer"));
        Gateway g = Gateway.builder()
                .config(
                        leaf(
                                "\"retry\":{\"attempts\":2,\"on_status_codes\":[446]},"
                                        + "\"output_guardrails\":[{\"default.contains\":{\"operator\":\"none\",\"words\":[\"Apple\"]},\"deny\":true}]"))
                .sleeper(new ManualSleeper(null))
                .build();
        GatewayResponse r = g.execute(ask("hi"));
        assertEquals(200, r.status());
        assertEquals(2, stub.hits());
        assertEquals(446, r.trace().attempts().get(0).status());
        assertEquals("1", r.header("x-portkey-retry-attempt-count").orElseThrow());
    }

    @Test
    void afterHooksOnAStreamRunOnTheAssembledTextAndADenyEndsTheStreamWithAnError() {
        stub.enqueue(StubResponse.chatStream("buy ", "Apple ", "now"));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = Gateway.builder()
                .config(leaf("\"output_guardrails\":[{\"default.contains\":{\"operator\":\"none\","
                        + "\"words\":[\"Apple\"]},\"deny\":true}]"))
                .logSink(sink)
                .build();
        GatewayResponse r = g.execute(StreamingTest.streamChat(false));
        List<String> events = StreamingTest.drain(r.stream());
        JsonNode last = Json.parse(events.get(events.size() - 2));
        assertEquals("hooks_failed", last.path("error").path("type").asText(), events.toString());
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals("hooks_failed", sink.traces().get(0).attempts().get(0).errorClass());
        assertFalse(sink.traces().get(0).hookResults().get(0).verdict());
    }

    @Test
    void afterHooksOnAPassingStreamEndCleanly() {
        stub.enqueue(StubResponse.chatStream("all ", "good"));
        Gateway g = Gateway.fromConfig(leaf("\"output_guardrails\":[{\"default.contains\":{\"operator\":\"none\","
                + "\"words\":[\"Apple\"]},\"deny\":true}]"));
        List<String> events = StreamingTest.drain(g.execute(StreamingTest.streamChat(false)).stream());
        assertFalse(String.join("", events).contains("\"error\""));
        assertEquals("[DONE]", events.get(events.size() - 1));
    }

    @Test
    void beforeHooksApplyToStreamsUnchanged() {
        Gateway g = Gateway.fromConfig(
                leaf("\"input_guardrails\":[{\"default.regexMatch\":{\"rule\":\"hi\",\"not\":true},\"deny\":true}]"));
        GatewayResponse r = g.execute(StreamingTest.streamChat(false));
        assertFalse(r.isStream());
        assertEquals(446, r.status());
        assertEquals(0, stub.hits());
    }

    /** Two classes claiming one id. */
    static final class Twin implements GuardrailCheck {
        @Override
        public String id() {
            return "test.exploding";
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            return CheckOutcome.pass(null);
        }
    }

    @Test
    void aDuplicateCheckIdIsAnErrorNamingBothClasses() {
        ConfigException e = assertThrows(ConfigException.class, () -> Gateway.builder()
                .config(leaf(""))
                .register(new Exploding())
                .register(new Twin())
                .build());
        assertTrue(
                e.getMessage().contains(Exploding.class.getName())
                        && e.getMessage().contains(Twin.class.getName()),
                e.getMessage());
    }

    @Test
    void feedbackFromOnFailAppearsInHookResults() {
        Gateway g = Gateway.fromConfig(leaf("\"before_request_hooks\":[{\"id\":\"fb\",\"type\":\"guardrail\","
                + "\"checks\":[{\"id\":\"default.wordCount\",\"parameters\":{\"minWords\":5}}],"
                + "\"on_fail\":{\"feedback\":{\"value\":-1,\"weight\":1}}}]"));
        GatewayResponse r = g.execute(ask("two words"));
        assertEquals(246, r.status());
        assertEquals(
                -1,
                r.json()
                        .path("hook_results")
                        .path("before_request_hooks")
                        .path(0)
                        .path("feedback")
                        .path("value")
                        .asInt(),
                r.json().toString());
    }
}
