package dev.switchboard.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class RegexBudgetTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void ordinaryMatchesBehaveAsOnThePlainText() {
        Pattern p = Pattern.compile("(?<y>\\d{4})-(\\d{2})");
        Matcher m = p.matcher(RegexBudget.DEFAULT.bound("on 2024-05 and 2025-06"));
        assertTrue(m.find());
        assertEquals("2024-05", m.group());
        assertEquals("2024", m.group("y"));
        assertEquals(3, m.start());
        assertEquals(
                "on X and X",
                p.matcher(RegexBudget.DEFAULT.bound("on 2024-05 and 2025-06")).replaceAll("X"));
    }

    @Test
    void catastrophicBacktrackingThrowsInsteadOfRunning() {
        Pattern p = Pattern.compile("(.*a){10}$");
        CharSequence text = RegexBudget.DEFAULT.bound("a".repeat(47) + "!");
        RegexBudgetExceededException e = assertTimeoutPreemptively(
                BOUND,
                () -> assertThrows(RegexBudgetExceededException.class, () -> p.matcher(text)
                        .find()));
        assertTrue(e.getMessage().contains("step budget") && !e.getMessage().contains("aaa"), e.getMessage());
    }

    @Test
    void theBudgetGrowsWithTheTextAndSaturates() {
        assertEquals(1_000_000 + 100L * 40_000, RegexBudget.DEFAULT.steps(40_000));
        assertEquals(Long.MAX_VALUE, new RegexBudget(10, 10, 5, Long.MAX_VALUE).steps(3));
        CharSequence small = new RegexBudget(10, 100, 10, 0).bound("abcdefghijkl");
        for (int i = 0; i < 10; i++) {
            small.charAt(i);
        }
        assertThrows(RegexBudgetExceededException.class, () -> small.charAt(10));
    }

    @Test
    void tooLongInputsAndPatternsAreRefusedWithTheirSizes() {
        RegexBudget b = new RegexBudget(5, 8, 100, 1);
        RegexBudgetExceededException e = assertThrows(RegexBudgetExceededException.class, () -> b.bound("123456789"));
        assertTrue(e.getMessage().contains("9 characters") && e.getMessage().contains("at most 8"), e.getMessage());
        assertNull(b.patternProblem("abcde"));
        assertEquals("a pattern of 6 characters (at most 5 allowed)", b.patternProblem("abcdef"));
        PatternSyntaxException p = assertThrows(PatternSyntaxException.class, () -> b.compile("abcdef", 0));
        assertTrue(p.getDescription().contains("at most 5"));
        assertThrows(IllegalArgumentException.class, () -> new RegexBudget(0, 1, 1, 1));
    }

    @Test
    void anInterruptedThreadStopsMatching() {
        CharSequence text = RegexBudget.DEFAULT.bound("x".repeat(100_000));
        Thread.currentThread().interrupt();
        try {
            RegexBudgetExceededException e = assertThrows(
                    RegexBudgetExceededException.class,
                    () -> Pattern.compile("y").matcher(text).find());
            assertTrue(e.getMessage().contains("interrupted"));
        } finally {
            Thread.interrupted();
        }
    }
}
