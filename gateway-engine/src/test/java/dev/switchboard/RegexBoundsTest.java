package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 6: conditional routing's {@code $regex} runs under a step budget, its pattern length
 * is capped when the config is built, and per-request overrides are compiled once per distinct config.
 * Each test is bounded so that a regression fails instead of hanging the build.
 */
class RegexBoundsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private StubUpstream a;
    private StubUpstream b;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private String conditional(String regex) {
        return "{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"metadata.v\":{\"$regex\":"
                + Json.text(com.fasterxml.jackson.databind.node.TextNode.valueOf(regex)) + "}},\"then\":\"x\"}],"
                + "\"default\":\"y\"},\"targets\":[" + RoutingTest.target(a, "\"name\":\"x\"") + ","
                + RoutingTest.target(b, "\"name\":\"y\"") + "]}";
    }

    private static GatewayRequest withMetadata(String value) {
        return RoutingTest.chat().toBuilder().metadata("v", value).build();
    }

    @Test
    void nestedQuantifiersOnALongValueStopAtTheBudgetAndTheConditionDoesNotMatch() {
        Gateway g = Gateway.fromConfig(conditional("(a+)+$"));
        String hostile = "a".repeat(40_000) + "!";
        GatewayResponse r = assertTimeoutPreemptively(BOUND, () -> g.execute(withMetadata(hostile)));
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow(),
                "a regex over budget does not match: the default target answers");
        assertEquals(0, a.hits());
        // an ordinary value still matches
        assertEquals(
                "config.targets[0]",
                g.execute(withMetadata("aaa"))
                        .header("x-portkey-last-used-option-index")
                        .orElseThrow());
    }

    @Test
    void exponentialBacktrackingOnAShortValueStopsAtTheBudget() {
        Gateway g = Gateway.fromConfig(conditional("(.*a){10}$"));
        String hostile = "a".repeat(47) + "!";
        GatewayResponse r = assertTimeoutPreemptively(BOUND, () -> g.execute(withMetadata(hostile)));
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(
                "config.targets[0]",
                g.execute(withMetadata("aaaaaaaaaa"))
                        .header("x-portkey-last-used-option-index")
                        .orElseThrow());
    }

    @Test
    void aHugeRegexIsAConfigErrorAtItsPointerWithoutCompilingIt() {
        String huge = "(a|b)".repeat(20_000);
        ConfigException e = assertTimeoutPreemptively(
                BOUND, () -> assertThrows(ConfigException.class, () -> Gateway.fromConfig(conditional(huge))));
        ConfigException.Problem p = e.problems().get(0);
        assertEquals("/strategy/conditions/0/query/metadata.v/$regex", p.path());
        assertTrue(p.found().contains("100000 characters") && p.expected().contains("at most 10000"), p.toString());
        assertTrue(e.getMessage().length() < 2_000, "the pattern is not quoted back");
    }

    @Test
    void aHugeRegexInAPerRequestOverrideAnswers400Quickly() {
        Gateway g = Gateway.fromConfig(RoutingTest.target(a, ""));
        ObjectNode override = (ObjectNode) Json.parse(conditional("(a|b)".repeat(20_000)));
        GatewayResponse r = assertTimeoutPreemptively(
                BOUND,
                () -> g.execute(
                        RoutingTest.chat().toBuilder().configOverride(override).build()));
        assertEquals(400, r.status());
        assertTrue(
                r.json().path("error").path("message").asText().contains("at most 10000"),
                r.json().toString());
    }

    @Test
    void aPerRequestOverrideIsCompiledOncePerDistinctConfigAndTheCacheStaysBounded() {
        GuardrailParametersTest.CountingRegex check = new GuardrailParametersTest.CountingRegex();
        Gateway g = Gateway.builder()
                .config(RoutingTest.target(a, ""))
                .register(check)
                .build();
        assertEquals(0, check.prepared.get());
        ObjectNode first = override(0);
        for (int i = 0; i < 3; i++) {
            g.execute(RoutingTest.chat().toBuilder().configOverride(first).build());
        }
        assertEquals(3, check.ran.get());
        assertEquals(1, check.prepared.get(), "the same override is compiled once");
        // 300 other overrides: more than the cache holds; the most recent stay cached
        for (int i = 1; i <= 300; i++) {
            g.execute(RoutingTest.chat().toBuilder().configOverride(override(i)).build());
        }
        assertEquals(301, check.prepared.get());
        g.execute(RoutingTest.chat().toBuilder().configOverride(override(300)).build());
        assertEquals(301, check.prepared.get(), "a recent override is still cached");
        g.execute(RoutingTest.chat().toBuilder().configOverride(first).build());
        assertEquals(302, check.prepared.get(), "the least recently used override was evicted");
    }

    private ObjectNode override(int i) {
        return (ObjectNode) Json.parse(RoutingTest.target(
                a, "\"input_guardrails\":[{\"test.countingRegex\":" + "{\"rule\":\"x" + i + "\"}}]"));
    }
}
