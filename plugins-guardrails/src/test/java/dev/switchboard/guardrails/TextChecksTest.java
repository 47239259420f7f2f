package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.after;
import static dev.switchboard.guardrails.Contexts.before;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.HookEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The text checks on the edges where JavaScript and Java differ, each expectation as Portkey 1.15.2
 * answers it (the differential script in {@code tools/portkey-diff} compares them with the real one).
 */
class TextChecksTest {

    private static CheckContext chatBefore(String requestJson) {
        return CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.CHAT_COMPLETIONS)
                .request((ObjectNode) Json.parse(requestJson))
                .build();
    }

    @Test
    void regexMatchUsesTheRuleAsAJavaScriptPatternWithoutFlags() {
        CheckOutcome o = new RegexMatchCheck().check(before("order 1234 please"), params("{\"rule\":\"\\\\d{4}\"}"));
        assertTrue(o.verdict());
        assertEquals("1234", o.data().path("matchDetails").path("matchedText").asText());
        assertEquals(6, o.data().path("matchDetails").path("index").asInt());
        assertFalse(
                new RegexMatchCheck()
                        .check(before("ABC"), params("{\"rule\":\"/abc/i\"}"))
                        .verdict(),
                "regexMatch reads no /pattern/flags form: it is the literal text /abc/i");
        assertTrue(new RegexMatchCheck()
                .check(before("a /abc/i b"), params("{\"rule\":\"/abc/i\"}"))
                .verdict());
        assertTrue(
                new RegexMatchCheck()
                        .check(before("a\u00a0b"), params("{\"rule\":\"a\\\\sb\"}"))
                        .verdict(),
                "\\s matches a no-break space in JavaScript");
        assertFalse(
                new RegexMatchCheck()
                        .check(before("end\n"), params("{\"rule\":\"end$\"}"))
                        .verdict(),
                "$ does not match before a final line break in JavaScript");
        assertTrue(
                new RegexMatchCheck()
                        .check(before("p{L}"), params("{\"rule\":\"\\\\p{L}\"}"))
                        .verdict(),
                "without u, \\p{L} is the text p{L}");
    }

    @Test
    void regexMatchErrorsOnEmptyTextAndRefusesInvalidRules() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new RegexMatchCheck().check(before(""), params("{\"rule\":\"a\"}")));
        assertEquals("Missing text to match", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new RegexMatchCheck()
                .check(before("x"), params("{\"rule\":\"(?i)x\"}")));
        assertTrue(bad.getMessage().contains("'rule'") && bad.getMessage().contains("Invalid group"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RegexMatchCheck().check(before("x"), params("{}")));
    }

    @Test
    void theTextIsTheLastMessageWithItsNonEmptyPartsJoinedByNewlines() {
        CheckContext parts = chatBefore(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}},{\"type\":\"text\",\"text\":\"b\"}]}]}");
        assertEquals("a\nb", PortkeyText.text(parts));
        assertEquals(
                3,
                new CharacterCountCheck()
                        .check(parts, params("{}"))
                        .data()
                        .path("characterCount")
                        .asInt());
        CheckContext noMessages = chatBefore("{\"messages\":[]}");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new WordCountCheck().check(noMessages, params("{}")));
        assertTrue(e.getMessage().contains("no"), e.getMessage());
    }

    @Test
    void sentenceCountCountsEveryTerminatorAndAcceptsAnEmptyText() {
        assertEquals(3, SentenceCountCheck.count("Hi. How are you? Great!"));
        assertEquals(0, SentenceCountCheck.count("no terminator"));
        assertEquals(5, SentenceCountCheck.count("Wait... what?!"));
        assertEquals(2, SentenceCountCheck.count("e.g. this"));
        var check = new SentenceCountCheck();
        assertTrue(check.check(before("One. Two."), params("{\"minSentences\":2,\"maxSentences\":2}"))
                .verdict());
        assertFalse(check.check(before("One. Two. Three."), params("{\"minSentences\":1,\"maxSentences\":2}"))
                .verdict());
        assertTrue(check.check(before("One. Two. Three."), params("{\"maxSentences\":2,\"not\":true}"))
                .verdict());
        assertTrue(
                check.check(before("One."), params("{\"minSentences\":0.5,\"maxSentences\":1.5}"))
                        .verdict(),
                "any numbers, as typeof === 'number'");
        assertFalse(check.check(before(""), params("{\"minSentences\":1}")).verdict());
    }

    @Test
    void countingChecksRefuseBoundsPortkeyWouldErrorOnOrNoCountMeets() {
        assertThrows(IllegalArgumentException.class, () -> new SentenceCountCheck()
                .check(before("a"), params("{\"minSentences\":3,\"maxSentences\":2}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WordCountCheck()
                .check(before("a"), params("{\"minWords\":1.5}")));
        assertTrue(e.getMessage().contains("'minWords'"));
        assertThrows(IllegalArgumentException.class, () -> new WordCountCheck()
                .check(before("a"), params("{\"maxWords\":\"ten\"}")));
        assertThrows(IllegalArgumentException.class, () -> new CharacterCountCheck()
                .check(before("a"), params("{\"maxCharacters\":-1}")));
        assertTrue(
                new WordCountCheck()
                        .check(before("a"), params("{\"minWords\":-3,\"maxWords\":1}"))
                        .verdict(),
                "a negative minimum is harmless, as in Portkey");
    }

    @Test
    void wordCountTrimsAndSplitsOnJavaScriptWhitespace() {
        assertEquals(0, WordCountCheck.count("   "));
        assertEquals(4, WordCountCheck.count("  one\ttwo\n three  four "));
        assertEquals(2, WordCountCheck.count("héllo\u00a0wörld"), "a no-break space separates words in JavaScript");
        assertEquals(2, WordCountCheck.count("one\ufefftwo"));
        assertEquals(1, WordCountCheck.count("one\u001ctwo"), "U+001C is no JavaScript whitespace (Java strips it)");
        var check = new WordCountCheck();
        assertTrue(check.check(before("one two three"), params("{\"minWords\":3,\"maxWords\":3}"))
                .verdict());
        assertFalse(
                check.check(before("one two three"), params("{\"minWords\":4}")).verdict());
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> check.check(before(" \u00a0\u3000 "), params("{\"maxWords\":0}")));
        assertEquals("Missing text to analyze", e.getMessage());
        assertTrue(check.check(before("1 2 3 4 5"), params("{\"maxWords\":4,\"not\":true}"))
                .verdict());
    }

    @Test
    void characterCountCountsUtf16UnitsAsJavaScriptsLength() {
        var check = new CharacterCountCheck();
        CheckOutcome o = check.check(before("héllo😀"), params("{\"maxCharacters\":6}"));
        assertFalse(o.verdict(), "the emoji counts 2");
        assertEquals(7, o.data().path("characterCount").asInt());
        assertFalse(check.check(before("abc"), params("{\"minCharacters\":4}")).verdict());
        assertTrue(check.check(before("abc"), params("{\"minCharacters\":4,\"not\":true}"))
                .verdict());
        assertThrows(IllegalStateException.class, () -> check.check(before(""), params("{}")));
        assertEquals(
                3,
                check.check(before("  \t"), params("{}"))
                        .data()
                        .path("characterCount")
                        .asInt(),
                "whitespace counts");
    }

    @Test
    void upperAndLowerCaseLookAtAsciiLettersOnly() {
        assertTrue(
                new AllUppercaseCheck()
                        .check(before("HELLO, WORLD 42! äöü"), params("{}"))
                        .verdict(),
                "only A-Z and a-z count, as Portkey's /[^a-zA-Z]/");
        assertFalse(new AllUppercaseCheck()
                .check(before("HELLO world"), params("{}"))
                .verdict());
        assertTrue(new AllUppercaseCheck()
                .check(before("HELLO world"), params("{\"not\":true}"))
                .verdict());
        assertTrue(new AllLowercaseCheck()
                .check(before("straße 12 ËÉ"), params("{}"))
                .verdict());
        assertFalse(
                new AllLowercaseCheck().check(before("Straße"), params("{}")).verdict());
        assertTrue(
                new AllLowercaseCheck().check(before("1234 !!"), params("{}")).verdict(),
                "no letters is trivially true");
        assertThrows(IllegalStateException.class, () -> new AllLowercaseCheck().check(before(""), params("{}")));
    }

    @Test
    void endsWithIsExactAndAcceptsTheSuffixWithAPeriod() {
        var check = new EndsWithCheck();
        assertTrue(check.check(after("Have a nice day, Thanks"), params("{\"suffix\":\"Thanks\"}"))
                .verdict());
        assertTrue(check.check(after("Have a nice day, Thanks."), params("{\"suffix\":\"Thanks\"}"))
                .verdict());
        assertFalse(
                check.check(after("Have a nice day, Thanks.\n"), params("{\"suffix\":\"Thanks\"}"))
                        .verdict(),
                "trailing whitespace counts, as in Portkey");
        assertFalse(check.check(after("Thanks for asking"), params("{\"suffix\":\"Thanks\"}"))
                .verdict());
        assertFalse(check.check(after("Bye. Thanks"), params("{\"suffix\":\"Thanks\",\"not\":true}"))
                .verdict());
        assertThrows(IllegalArgumentException.class, () -> check.check(after("x"), params("{\"suffix\":\"\"}")));
    }

    @Test
    void notNullLooksAtTheContentItself() {
        var check = new NotNullCheck();
        assertTrue(check.check(after("answer"), params("{}")).verdict());
        assertFalse(check.check(after("  \n\u00a0"), params("{}")).verdict());
        assertTrue(check.check(after(""), params("{\"not\":true}")).verdict());
        var withoutChoices = Contexts.afterBuilder("x")
                .response(Contexts.chatResponse("x").put("choices", (String) null), 200)
                .build();
        assertThrows(
                IllegalStateException.class,
                () -> check.check(withoutChoices, params("{}")),
                "an answer without choices is an error, as Portkey's TypeError");
        ObjectNode partsAnswer = Contexts.chatResponse("x");
        ((ObjectNode) partsAnswer.at("/choices/0/message"))
                .putArray("content")
                .addObject()
                .put("type", "text")
                .put("text", "hi");
        assertThrows(
                IllegalStateException.class,
                () -> check.check(
                        Contexts.afterBuilder("x").response(partsAnswer, 200).build(), params("{}")));
        assertEquals(Set.of(HookEvent.AFTER_REQUEST), check.supportedEvents());
    }

    @Test
    void containsFollowsPortkeysOperatorsIncludingEmptyWordsAndLists() {
        var check = new ContainsCheck();
        String text = "I like Apple and Banana";
        assertTrue(
                check.check(after(text), params("{\"words\":[\"Apple\",\"Cherry\"]}"))
                        .verdict(),
                "any is the default");
        assertFalse(check.check(after(text), params("{\"words\":[\"Apple\",\"Cherry\"],\"operator\":\"all\"}"))
                .verdict());
        CheckOutcome none = check.check(after(text), params("{\"words\":[\"Apple\"],\"operator\":\"none\"}"));
        assertFalse(none.verdict());
        assertEquals("Apple", none.data().path("foundWords").path(0).asText());
        assertFalse(check.check(after(text), params("{\"words\":[\"apple\"]}")).verdict(), "case-sensitive");
        assertFalse(
                check.check(after(text), params("{\"words\":[\"\"],\"operator\":\"none\"}"))
                        .verdict(),
                "the empty word is in every text");
        assertFalse(check.check(after(text), params("{\"words\":[],\"operator\":\"any\"}"))
                .verdict());
        assertTrue(check.check(after(text), params("{\"words\":[],\"operator\":\"all\"}"))
                .verdict());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> check.check(after(text), params("{\"words\":[\"a\"],\"operator\":\"some\"}")));
        assertTrue(e.getMessage().contains("'operator'"));
    }

    @Test
    void containsCodeReadsFencesAsPortkeysRegexAndTable() {
        var check = new ContainsCodeCheck();
        String sql = "Run this:\n```sql\nSELECT 1;\n```\nand this\n```\nplain\n```";
        assertTrue(check.check(after(sql), params("{\"format\":\"SQL\"}")).verdict());
        assertFalse(check.check(after(sql), params("{\"format\":\"Python\"}")).verdict());
        assertTrue(
                check.check(after("```gyp\nx\n```"), params("{\"format\":\"Python\"}"))
                        .verdict(),
                "gyp is Python in the table");
        assertFalse(check.check(after("```python3\nx\n```"), params("{\"format\":\"Python\"}"))
                .verdict());
        assertTrue(
                check.check(after("```bash\nls\n```"), params("{\"format\":\"bash\"}"))
                        .verdict(),
                "a tag outside the table is itself");
        assertFalse(
                check.check(after("```py \nprint(1)\n```"), params("{\"format\":\"Python\"}"))
                        .verdict(),
                "a space after the tag: no block");
        assertFalse(check.check(after("```py\r\nprint(1)\r\n```"), params("{\"format\":\"Python\"}"))
                .verdict());
        assertFalse(check.check(after("no code at all"), params("{\"format\":\"Java\"}"))
                .verdict());
        assertTrue(check.check(after("no code at all"), params("{\"format\":\"Java\",\"not\":true}"))
                .verdict());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> check.check(after(sql), params("{\"format\":\"python\"}")));
        assertTrue(e.getMessage().contains("'format'") && e.getMessage().contains("Python"), e.getMessage());
    }

    @Test
    void textChecksReadTheRequestBeforeAndTheAnswerAfter() {
        var check = new ContainsCheck();
        var ctx = Contexts.afterBuilder("the answer")
                .request(Contexts.chatRequest("the question"))
                .build();
        assertTrue(check.check(ctx, params("{\"words\":[\"answer\"]}")).verdict());
        assertTrue(new RegexMatchCheck()
                .check(before("the question"), params("{\"rule\":\"question\"}"))
                .verdict());
    }
}
