package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ConfigException.Problem;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.guardrails.RegexMatchCheck;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guardrail parameters are checked when the gateway is built (every hook form, nested targets,
 * disabled checks, per-request overrides) and prepared once, not per request.
 */
class GuardrailParametersTest {
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

    private static List<Problem> problems(Gateway.Builder builder) {
        return assertThrows(ConfigException.class, builder::build).problems();
    }

    private static Problem only(List<Problem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void aWordCountOfFiveInTheHooksFormFailsTheBuildAtTheParametersPointer() {
        String config = leaf("\"before_request_hooks\":[{\"deny\":true,\"checks\":["
                + "{\"id\":\"default.regexMatch\",\"parameters\":{\"rule\":\"\\\\d\"}},"
                + "{\"id\":\"default.wordCount\",\"parameters\":{\"maxWords\":\"five\"}}]}]");
        ConfigException e = assertThrows(
                ConfigException.class, () -> Gateway.builder().config(config).build());
        assertTrue(e.getMessage().contains("/before_request_hooks/0/checks/1/parameters/maxWords"), e.getMessage());
        assertTrue(e.getMessage().contains("five"), e.getMessage());
        Problem p = only(e.problems());
        assertEquals("\"five\"", p.found());
        assertEquals("a non-negative integer", p.expected());
    }

    @Test
    void aWordCountOfFiveInTheShorthandFormFailsTheBuildBelowTheShorthandEntry() {
        String config = leaf("\"input_guardrails\":[{\"default.wordCount\":{\"maxWords\":\"five\"},\"deny\":true}]");
        ConfigException e = assertThrows(
                ConfigException.class, () -> Gateway.builder().config(config).build());
        assertTrue(e.getMessage().contains("/input_guardrails/0/default.wordCount/maxWords"), e.getMessage());
        assertTrue(e.getMessage().contains("five"), e.getMessage());
    }

    @Test
    void aMisspeltParameterGetsDidYouMeanAndAnUnrelatedUnknownOneIsAccepted() {
        Problem p = only(
                problems(Gateway.builder().config(leaf("\"input_guardrails\":[{\"wordCount\":{\"maxWord\":5}}]"))));
        assertEquals("/input_guardrails/0/wordCount/maxWord", p.path());
        assertEquals("maxWords", p.suggestion());
        assertTrue(p.toString().contains("did you mean \"maxWords\"?"), p.toString());

        // Portkey configs carry parameters a check does not read: far from every known name, they pass
        Gateway g = Gateway.builder()
                .config(leaf("\"input_guardrails\":[{\"wordCount\":{\"maxWords\":5,\"portkeyOnly\":1}}]"))
                .build();
        assertEquals(200, g.execute(ask("hi")).status());
    }

    @Test
    void anOperatorOutsideAnyAllNoneNamesTheNearest() {
        Problem p = only(problems(Gateway.builder()
                .config(leaf("\"output_guardrails\":[{\"contains\":{\"words\":[\"x\"],\"operator\":\"al\"}}]"))));
        assertEquals("/output_guardrails/0/contains/operator", p.path());
        assertEquals("all", p.suggestion());
        assertEquals("\"al\"", p.found());
    }

    @Test
    void everyBadParameterOfEveryHookFormAndNestedTargetIsReportedAtOnce() {
        String config =
                """
                {"strategy": {"mode": "fallback"},
                 "after_request_hooks": [{"checks": [{"id": "default.regexMatch", "parameters": {"rule": "("}}]}],
                 "targets": [
                   {"provider": "openai", "api_key": "sk-a",
                    "input_guardrails": [{"default.wordCount": {"minWords": 10, "maxWords": 5}}]},
                   {"strategy": {"mode": "single"}, "targets": [
                     {"provider": "openai", "api_key": "sk-b",
                      "output_mutators": [{"regexReplace": {"redactText": 3}}],
                      "input_mutators": [{"addPrefix": {"prefix": "x", "applyToRole": "robot"}}]}]}]}""";
        List<Problem> problems = problems(Gateway.builder().config(config));
        List<String> paths = problems.stream().map(Problem::path).toList();
        assertTrue(paths.contains("/after_request_hooks/0/checks/0/parameters/rule"), paths.toString());
        assertTrue(paths.contains("/targets/0/input_guardrails/0/default.wordCount/minWords"), paths.toString());
        assertTrue(paths.contains("/targets/1/targets/0/output_mutators/0/regexReplace/rule"), paths.toString());
        assertTrue(paths.contains("/targets/1/targets/0/output_mutators/0/regexReplace/redactText"), paths.toString());
        assertTrue(paths.contains("/targets/1/targets/0/input_mutators/0/addPrefix/applyToRole"), paths.toString());
        assertEquals(5, problems.size(), problems.toString());
        Problem regex = problems.get(paths.indexOf("/after_request_hooks/0/checks/0/parameters/rule"));
        assertTrue(regex.found().contains("Unclosed group") && regex.found().contains("index 1"), regex.found());
    }

    @Test
    void parametersThatAreNotAnObjectAreOneProblemNotAlsoEveryMissingParameter() {
        Problem p = only(
                problems(
                        Gateway.builder()
                                .config(
                                        leaf(
                                                "\"before_request_hooks\":[{\"checks\":[{\"id\":\"default.regexMatch\",\"parameters\":5}]}]"))));
        assertEquals("/before_request_hooks/0/checks/0/parameters", p.path());
    }

    @Test
    void aDisabledCheckIsValidatedToo() {
        Problem p = only(problems(Gateway.builder()
                .config(leaf("\"input_guardrails\":[{\"wordCount\":{\"maxWords\":-1,\"is_enabled\":false}}]"))));
        assertEquals("/input_guardrails/0/wordCount/maxWords", p.path());
        assertEquals("-1", p.found());
    }

    @Test
    void failOnErrorMustBeABooleanForAnyCheck() {
        Problem p = only(problems(Gateway.builder()
                .config(
                        leaf(
                                "\"before_request_hooks\":[{\"checks\":[{\"id\":\"test.plain\",\"parameters\":{\"failOnError\":\"yes\"}}]}]"))
                .register(new Plain())));
        assertEquals("/before_request_hooks/0/checks/0/parameters/failOnError", p.path());
        assertEquals("true or false", p.expected());
    }

    @Test
    void aBadPerRequestOverrideAnswers400WithThePointerAndAGoodOneRuns() {
        Gateway g = Gateway.builder().config(leaf("")).build();
        ObjectNode bad =
                (ObjectNode) Json.parse(leaf("\"input_guardrails\":[{\"wordCount\":{\"maxWords\":\"five\"}}]"));
        GatewayResponse r = g.execute(
                GatewayRequest.chat(ask("hi").bodyView()).configOverride(bad).build());
        assertEquals(400, r.status());
        String message = r.json().path("error").path("message").asText();
        assertTrue(message.contains("/input_guardrails/0/wordCount/maxWords") && message.contains("five"), message);
        assertEquals(0, stub.hits(), "a bad override never reaches the provider");

        ObjectNode good =
                (ObjectNode) Json.parse(leaf("\"input_guardrails\":[{\"wordCount\":{\"maxWords\":1},\"deny\":true}]"));
        assertEquals(
                446,
                g.execute(GatewayRequest.chat(ask("one two").bodyView())
                                .configOverride(good)
                                .build())
                        .status());
    }

    /** The built-in regex check, counting how often it is prepared and run. */
    static final class CountingRegex implements GuardrailCheck {
        final AtomicInteger prepared = new AtomicInteger();
        final AtomicInteger ran = new AtomicInteger();
        private final RegexMatchCheck regex = new RegexMatchCheck();

        @Override
        public String id() {
            return "test.countingRegex";
        }

        @Override
        public PreparedCheck prepare(ObjectNode parameters) {
            prepared.incrementAndGet();
            PreparedCheck compiled = regex.prepare(parameters);
            return context -> {
                ran.incrementAndGet();
                return compiled.check(context);
            };
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            throw new AssertionError("the gateway runs the prepared check, never check(context, parameters)");
        }
    }

    @Test
    void aRegexIsPreparedOnceAndRunPerRequest() {
        CountingRegex check = new CountingRegex();
        Gateway g = Gateway.builder()
                .config(
                        leaf(
                                "\"input_guardrails\":[{\"test.countingRegex\":{\"rule\":\"\\\\d{4}\",\"not\":true},\"deny\":true}]"))
                .register(check)
                .build();
        assertEquals(1, check.prepared.get(), "prepared when the gateway is built");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, g.execute(ask("no digits here")).status());
        }
        assertEquals(446, g.execute(ask("pin 1234")).status());
        assertEquals(1, check.prepared.get(), "never re-prepared per request");
        assertEquals(6, check.ran.get());
    }

    /** A check written before prepare existed: only id and check. */
    static final class Plain implements GuardrailCheck {
        ObjectNode seen;

        @Override
        public String id() {
            return "test.plain";
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            seen = parameters;
            return CheckOutcome.of(!parameters.path("block").asBoolean(), null);
        }
    }

    @Test
    void aCheckWithoutPrepareAcceptsAnyParametersAndReadsThemPerRequest() {
        Plain plain = new Plain();
        Gateway g = Gateway.builder()
                .config(leaf("\"input_guardrails\":[{\"test.plain\":{\"block\":true,\"anything\":[1]},\"deny\":true}]"))
                .register(plain)
                .build();
        assertEquals(446, g.execute(ask("hi")).status());
        assertEquals("[1]", plain.seen.path("anything").toString());
    }

    /** A check whose prepare fails with an exception that is not InvalidParametersException. */
    static final class Buggy implements GuardrailCheck {
        @Override
        public String id() {
            return "test.buggy";
        }

        @Override
        public PreparedCheck prepare(ObjectNode parameters) {
            throw new IllegalStateException("token sk-secret-123 rejected");
        }

        @Override
        public CheckOutcome check(CheckContext context, ObjectNode parameters) {
            return CheckOutcome.pass(null);
        }
    }

    @Test
    void aCheckWhosePrepareThrowsIsAProblemNamingTheExceptionClassButNotItsMessage() {
        Problem p = only(problems(Gateway.builder()
                .config(leaf("\"input_guardrails\":[{\"test.buggy\":{}}]"))
                .register(new Buggy())));
        assertEquals("/input_guardrails/0/test.buggy", p.path());
        assertTrue(p.found().contains("IllegalStateException"), p.found());
        assertFalse(p.toString().contains("sk-secret-123"), p.toString());
        assertNull(p.suggestion());
    }
}
