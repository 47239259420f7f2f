package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.before;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.Json;
import dev.switchboard.regex.RegexBudgetExceededException;
import dev.switchboard.spi.PreparedCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 6: {@code regexMatch} and {@code regexReplace} run under {@link JsRegex#BUDGET}; a
 * runaway match throws (the check errors: fail-open unless {@code failOnError}) instead of holding the
 * thread for seconds, and an oversized rule is refused when the check is prepared.
 */
class RegexBoundsCheckTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static String rule(String pattern) {
        return "{\"rule\":" + Json.text(TextNode.valueOf(pattern)) + "}";
    }

    @Test
    void regexMatchWithNestedQuantifiersOnALongTextErrorsQuickly() throws Exception {
        PreparedCheck check = new RegexMatchCheck().prepare(params(rule("(a+)+$")));
        String hostile = "a".repeat(40_000) + "!";
        RegexBudgetExceededException e = assertTimeoutPreemptively(
                BOUND, () -> assertThrows(RegexBudgetExceededException.class, () -> check.check(before(hostile))));
        assertTrue(e.getMessage().contains("step budget") && !e.getMessage().contains("aaaa"), e.getMessage());
        assertTrue(check.check(before("aaa")).verdict(), "an ordinary text still matches");
    }

    @Test
    void regexMatchWithExponentialBacktrackingOnAShortTextErrorsQuickly() throws Exception {
        PreparedCheck check = new RegexMatchCheck().prepare(params(rule("(.*a){10}$")));
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThrows(
                        RegexBudgetExceededException.class, () -> check.check(before("a".repeat(47) + "!"))));
        assertTrue(check.check(before("a".repeat(10))).verdict());
    }

    @Test
    void regexReplaceStopsAtTheBudgetToo() throws Exception {
        PreparedCheck check = new RegexReplaceMutator().prepare(params(rule("/(.*a){10}$/g")));
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThrows(
                        RegexBudgetExceededException.class, () -> check.check(before("a".repeat(47) + "!"))));
        assertEquals(
                "[REDACTED]",
                check.check(before("a".repeat(10)))
                        .transformedRequest()
                        .at("/messages/0/content")
                        .asText());
    }

    @Test
    void anOversizedRuleIsRefusedWhenPreparedWithoutQuotingIt() {
        String huge = "(a|b)".repeat(20_000);
        for (dev.switchboard.spi.GuardrailCheck c :
                new dev.switchboard.spi.GuardrailCheck[] {new RegexMatchCheck(), new RegexReplaceMutator()}) {
            IllegalArgumentException e = assertTimeoutPreemptively(
                    BOUND, () -> assertThrows(IllegalArgumentException.class, () -> c.prepare(params(rule(huge)))));
            assertTrue(
                    e.getMessage().contains("100000 characters")
                            && e.getMessage().contains("at most 10000"),
                    e.getMessage());
            assertTrue(e.getMessage().length() < 1_000, "the rule is not quoted back");
        }
    }

    @Test
    void aTextPastTheInputCapErrors() {
        PreparedCheck check = new RegexMatchCheck().prepare(params(rule("x")));
        RegexBudgetExceededException e = assertThrows(
                RegexBudgetExceededException.class,
                () -> check.check(before("y".repeat(JsRegex.BUDGET.maxInputLength() + 1))));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }
}
