package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.after;
import static dev.switchboard.guardrails.Contexts.before;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.HookEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextChecksTest {

    @Test
    void regexMatchPassesWhenTheRuleMatchesAndReportsTheMatch() {
        CheckOutcome o = new RegexMatchCheck().check(before("order 1234 please"), params("{\"rule\":\"\\\\d{4}\"}"));
        assertTrue(o.verdict());
        assertEquals("1234", o.data().path("matchDetails").path("matchedText").asText());
    }

    @Test
    void regexMatchWithNotFailsWhenTheRuleMatches() {
        CheckOutcome o = new RegexMatchCheck().check(before("order 1234"), params("{\"rule\":\"\\\\d{4}\",\"not\":true}"));
        assertFalse(o.verdict());
        assertTrue(new RegexMatchCheck().check(before("no digits"), params("{\"rule\":\"\\\\d{4}\",\"not\":true}")).verdict());
    }

    @Test
    void regexMatchOnEmptyTextIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> new RegexMatchCheck().check(before(""), params("{\"rule\":\"a\"}")));
    }

    @Test
    void regexMatchRejectsAnInvalidRuleNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RegexMatchCheck().check(before("x"), params("{\"rule\":\"(\"}")));
        assertTrue(e.getMessage().contains("'rule'"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new RegexMatchCheck().check(before("x"), params("{}")));
        assertTrue(missing.getMessage().contains("'rule'"));
    }

    @Test
    void sentenceCountCountsTerminatedPiecesAndHonoursBounds() {
        assertEquals(3, SentenceCountCheck.count("Hi. How are you? Great!"));
        assertEquals(1, SentenceCountCheck.count("no terminator"));
        assertEquals(0, SentenceCountCheck.count(""));
        assertEquals(2, SentenceCountCheck.count("Wait... what?!"));
        var check = new SentenceCountCheck();
        assertTrue(check.check(before("One. Two."), params("{\"minSentences\":2,\"maxSentences\":2}")).verdict());
        assertFalse(check.check(before("One. Two. Three."), params("{\"minSentences\":1,\"maxSentences\":2}")).verdict());
        assertTrue(check.check(before("One. Two. Three."), params("{\"maxSentences\":2,\"not\":true}")).verdict());
    }

    @Test
    void countingChecksRejectMinAboveMaxAndNonIntegers() {
        assertThrows(IllegalArgumentException.class,
                () -> new SentenceCountCheck().check(before("a"), params("{\"minSentences\":3,\"maxSentences\":2}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WordCountCheck().check(before("a"), params("{\"minWords\":1.5}")));
        assertTrue(e.getMessage().contains("'minWords'"));
        assertThrows(IllegalArgumentException.class, () -> new WordCountCheck().check(before("a"), params("{\"maxWords\":\"ten\"}")));
    }

    @Test
    void wordCountSplitsOnAnyWhitespaceAndCountsBlankAsZero() {
        assertEquals(0, WordCountCheck.count("   "));
        assertEquals(4, WordCountCheck.count("  one\ttwo\n three  four "));
        assertEquals(2, WordCountCheck.count("héllo wörld"));
        var check = new WordCountCheck();
        assertTrue(check.check(before("one two three"), params("{\"minWords\":3,\"maxWords\":3}")).verdict());
        assertFalse(check.check(before("one two three"), params("{\"minWords\":4}")).verdict());
        assertTrue(check.check(before(""), params("{\"maxWords\":0}")).verdict());
        assertTrue(check.check(before("1 2 3 4 5"), params("{\"maxWords\":4,\"not\":true}")).verdict());
    }

    @Test
    void characterCountCountsCodePointsSoEmojiAreOneCharacter() {
        var check = new CharacterCountCheck();
        CheckOutcome o = check.check(before("héllo😀"), params("{\"maxCharacters\":6}"));
        assertTrue(o.verdict());
        assertEquals(6, o.data().path("characterCount").asInt());
        assertFalse(check.check(before("abc"), params("{\"minCharacters\":4}")).verdict());
        assertTrue(check.check(before("abc"), params("{\"minCharacters\":4,\"not\":true}")).verdict());
        assertTrue(check.check(before(""), params("{}")).verdict());
    }

    @Test
    void upperAndLowerCaseCompareLettersOnlyIncludingNonAscii() {
        assertTrue(new AllUppercaseCheck().check(before("HELLO, WORLD 42! ÄÖÜ"), params("{}")).verdict());
        assertFalse(new AllUppercaseCheck().check(before("HELLO world"), params("{}")).verdict());
        assertTrue(new AllUppercaseCheck().check(before("HELLO world"), params("{\"not\":true}")).verdict());
        assertTrue(new AllLowercaseCheck().check(before("straße 12 ëé"), params("{}")).verdict());
        assertFalse(new AllLowercaseCheck().check(before("Straße"), params("{}")).verdict());
        assertTrue(new AllLowercaseCheck().check(before("1234 !!"), params("{}")).verdict(), "no letters is trivially true");
    }

    @Test
    void endsWithAcceptsSuffixFollowedByPeriodAndTrailingWhitespace() {
        var check = new EndsWithCheck();
        assertTrue(check.check(after("Have a nice day, Thanks"), params("{\"suffix\":\"Thanks\"}")).verdict());
        assertTrue(check.check(after("Have a nice day, Thanks.\n"), params("{\"suffix\":\"Thanks\"}")).verdict());
        assertFalse(check.check(after("Thanks for asking"), params("{\"suffix\":\"Thanks\"}")).verdict());
        assertFalse(check.check(after("Bye. Thanks"), params("{\"suffix\":\"Thanks\",\"not\":true}")).verdict());
        assertThrows(IllegalArgumentException.class, () -> check.check(after("x"), params("{\"suffix\":\"\"}")));
    }

    @Test
    void notNullFailsOnEmptyOrBlankAnswer() {
        var check = new NotNullCheck();
        assertTrue(check.check(after("answer"), params("{}")).verdict());
        assertFalse(check.check(after("  \n"), params("{}")).verdict());
        assertTrue(check.check(after(""), params("{\"not\":true}")).verdict());
        var nullContent = Contexts.afterBuilder("x").response(Contexts.chatResponse("x").put("choices", (String) null), 200).build();
        assertFalse(check.check(nullContent, params("{}")).verdict());
        assertEquals(Set.of(HookEvent.AFTER_REQUEST), check.supportedEvents());
    }

    @Test
    void containsAppliesAnyAllAndNoneCaseSensitively() {
        var check = new ContainsCheck();
        String text = "I like Apple and Banana";
        assertTrue(check.check(after(text), params("{\"words\":[\"Apple\",\"Cherry\"]}")).verdict());
        assertFalse(check.check(after(text), params("{\"words\":[\"Apple\",\"Cherry\"],\"operator\":\"all\"}")).verdict());
        assertTrue(check.check(after(text), params("{\"words\":[\"Apple\",\"Banana\"],\"operator\":\"all\"}")).verdict());
        CheckOutcome none = check.check(after(text), params("{\"words\":[\"Apple\"],\"operator\":\"none\"}"));
        assertFalse(none.verdict());
        assertEquals("Apple", none.data().path("foundWords").path(0).asText());
        assertFalse(check.check(after(text), params("{\"words\":[\"apple\"]}")).verdict(), "case-sensitive");
        assertTrue(check.check(after(""), params("{\"words\":[\"x\"],\"operator\":\"none\"}")).verdict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.check(after(text), params("{\"words\":[\"a\"],\"operator\":\"some\"}")));
        assertTrue(e.getMessage().contains("'operator'"));
        assertThrows(IllegalArgumentException.class, () -> check.check(after(text), params("{\"words\":[]}")));
    }

    @Test
    void containsCodeLooksAtFenceLanguageTags() {
        var check = new ContainsCodeCheck();
        String sql = "Run this:\n```sql\nSELECT 1;\n```\nand this\n```\nplain\n```";
        assertTrue(check.check(after(sql), params("{\"format\":\"SQL\"}")).verdict());
        assertFalse(check.check(after(sql), params("{\"format\":\"Python\"}")).verdict());
        assertTrue(check.check(after("```py\nprint(1)\n```"), params("{\"format\":\"Python\"}")).verdict());
        assertFalse(check.check(after(sql), params("{\"format\":\"SQL\",\"not\":true}")).verdict());
        assertFalse(check.check(after("no code at all"), params("{\"format\":\"Java\"}")).verdict());
        assertTrue(check.check(after("no code at all"), params("{\"format\":\"Java\",\"not\":true}")).verdict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.check(after(sql), params("{\"format\":\"COBOL\"}")));
        assertTrue(e.getMessage().contains("'format'"));
    }

    @Test
    void textChecksReadTheRequestBeforeAndTheAnswerAfter() {
        var check = new ContainsCheck();
        var ctx = Contexts.afterBuilder("the answer").request(Contexts.chatRequest("the question")).build();
        assertTrue(check.check(ctx, params("{\"words\":[\"answer\"]}")).verdict());
        assertTrue(new RegexMatchCheck().check(before("the question"), params("{\"rule\":\"question\"}")).verdict());
    }
}
