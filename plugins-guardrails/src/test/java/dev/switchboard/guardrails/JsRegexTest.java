package dev.switchboard.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link JsRegex} against JavaScript itself: {@code js-regex-cases.json} holds what Node 20.20.2
 * (V8, the engine Portkey 1.15.2 runs on) answered for each pattern, flags and text — the index of
 * {@code exec} and the result of {@code text.replace(regex, replacement)}, or the SyntaxError —
 * written by {@code js-regex-cases.js} beside it ({@code node js-regex-cases.js > js-regex-cases.json}).
 */
class JsRegexTest {
    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = JsRegexTest.class.getResourceAsStream("js-regex-cases.json")) {
            JsonNode all = Json.newMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            all.forEach(out::add);
            return out.stream();
        }
    }

    @ParameterizedTest(name = "/{0}/")
    @MethodSource("cases")
    void answersAsJavaScriptDoes(JsonNode c) throws Exception {
        String pattern = c.get("pattern").asText();
        String flags = c.get("flags").asText();
        if (!c.get("ok").asBoolean()) {
            JsRegex.SyntaxError e = assertThrows(
                    JsRegex.SyntaxError.class,
                    () -> JsRegex.compile(pattern, flags),
                    "JavaScript: " + c.get("error").asText());
            assertFalse(e.getMessage().isEmpty());
            return;
        }
        if (!c.has("text")) {
            JsRegex.compile(pattern, flags);
            return;
        }
        String text = c.get("text").asText();
        JsRegex regex = JsRegex.compile(pattern, flags);
        JsRegex.Match m = JsRegex.compile(pattern, flags.replace("g", "")).exec(text, 0);
        assertEquals(c.get("index").asInt(), m == null ? -1 : m.start(), "exec index, java: " + regex.pattern());
        assertEquals(
                c.get("replaced").asText(),
                regex.replace(text, c.get("replacement").asText()),
                "replace, java: " + regex.pattern());
    }

    @Test
    void theLiteralFormIsReadOnlyWhenTheWholeRuleHasIt() throws Exception {
        assertEquals("gi", JsRegex.parseRule("/a/b/gi").flags());
        assertEquals("a/b", JsRegex.parseRule("/a/b/gi").source());
        assertEquals("", JsRegex.parseRule("/a/").flags());
        assertEquals("/a/x", JsRegex.parseRule("/a/x").source(), "x is no flag: the rule is a pattern");
        assertEquals("/a\n/g", JsRegex.parseRule("/a\n/g").source(), "a line break before the slash: a pattern");
        assertThrows(JsRegex.SyntaxError.class, () -> JsRegex.parseRule("/a/gg"));
    }

    @Test
    void stickyRulesReplaceWherePortkeysMatchLeftLastIndex() throws Exception {
        assertEquals(
                "a!b",
                JsRegex.parseRule("/a/y").matchThenReplace("aab", "!"),
                "match() takes the first a and moves lastIndex; replace() then takes the second");
        assertEquals("abc", JsRegex.parseRule("/a/y").matchThenReplace("abc", "!"), "nothing at lastIndex 1");
        assertEquals(null, JsRegex.parseRule("/a/y").matchThenReplace("ba", "!"), "sticky: only at 0");
        assertEquals(
                "!!ba",
                JsRegex.parseRule("/a/gy").matchThenReplace("aaba", "!"),
                "global and sticky: the contiguous matches from 0");
    }

    @Test
    void aGroupThatDidNotTakePartOrComesLaterMatchesEmptyInABackreference() throws Exception {
        assertEquals(0, JsRegex.compile("(a)?\\1x", "").exec("x", 0).start());
        assertEquals(1, JsRegex.compile("\\k<x>(?<x>a)", "").exec("ba", 0).start(), "a forward reference is empty");
        assertEquals("b", JsRegex.compile("(?:\\1b|(a))+", "").exec("b", 0).matched());
    }
}
