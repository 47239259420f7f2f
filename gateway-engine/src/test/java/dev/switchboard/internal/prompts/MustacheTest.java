package dev.switchboard.internal.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prompt templates' Mustache: rendering rules, edge cases, compile and render errors, properties. */
class MustacheTest {
    private static String render(String template, String vars) {
        return Mustache.compile(template).render(Json.parse(vars));
    }

    @Test
    void variablesInsertValuesAsIsWithoutHtmlEscaping() {
        assertEquals("Hi <b>Ada</b> & co", render("Hi {{name}} & co", "{\"name\":\"<b>Ada</b>\"}"));
        assertEquals("<b>", render("{{{x}}}", "{\"x\":\"<b>\"}"));
        assertEquals("<b>", render("{{& x}}", "{\"x\":\"<b>\"}"));
        assertEquals("42 true 1.5", render("{{n}} {{b}} {{f}}", "{\"n\":42,\"b\":true,\"f\":1.5}"));
        assertEquals("{\"a\":[1,2]}", render("{{o}}", "{\"o\":{\"a\":[1,2]}}"));
        assertEquals("  Ada  ", render("{{  name  }}", "{\"name\":\"  Ada  \"}"), "tag spaces trimmed, value kept");
    }

    @Test
    void aValueIsNeverReadAsATemplate() {
        assertEquals("{{secret}}", render("{{x}}", "{\"x\":\"{{secret}}\",\"secret\":\"no\"}"));
    }

    @Test
    void dottedNamesReachIntoObjectsAndTheContextStack() {
        assertEquals(
                "Ada Lovelace",
                render("{{user.first}} {{user.last}}", "{\"user\":{\"first\":\"Ada\",\"last\":\"Lovelace\"}}"));
        // inside a section, a name not on the element is looked up further out
        assertEquals(
                "a@acme b@acme ",
                render(
                        "{{#users}}{{name}}@{{company}} {{/users}}",
                        "{\"company\":\"acme\",\"users\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"));
        // a dotted name resolves its first part up the stack, the rest only inside it
        Mustache.MissingVariable e = assertThrows(
                Mustache.MissingVariable.class,
                () -> render("{{#a}}{{b.c}}{{/a}}", "{\"a\":{\"b\":{}},\"b\":{\"c\":1}}"));
        assertEquals("b.c", e.name());
    }

    @Test
    void sectionsIterateListsRenderTruthyOnceAndSkipFalsy() {
        assertEquals("1,2,3,", render("{{#xs}}{{.}},{{/xs}}", "{\"xs\":[1,2,3]}"));
        assertEquals("[Ada]", render("{{#u}}[{{name}}]{{/u}}", "{\"u\":{\"name\":\"Ada\"}}"));
        assertEquals("yes", render("{{#flag}}yes{{/flag}}", "{\"flag\":true}"));
        assertEquals("x=7", render("{{#n}}x={{.}}{{/n}}", "{\"n\":7}"));
        assertEquals("zero is truthy", render("{{#n}}zero is truthy{{/n}}", "{\"n\":0}"));
        for (String falsy : new String[] {"false", "null", "[]", "\"\""}) {
            assertEquals("", render("{{#x}}shown{{/x}}", "{\"x\":" + falsy + "}"), falsy);
            assertEquals("inverted", render("{{^x}}inverted{{/x}}", "{\"x\":" + falsy + "}"), falsy);
        }
        assertEquals("", render("{{#missing}}shown{{/missing}}", "{}"), "a missing section is false");
        assertEquals("none", render("{{^missing}}none{{/missing}}", "{}"));
        assertEquals("", render("{{^xs}}empty{{/xs}}", "{\"xs\":[0]}"));
        assertEquals("a-b-", render("{{#o}}{{#xs}}{{.}}-{{/xs}}{{/o}}", "{\"o\":{\"xs\":[\"a\",\"b\"]}}"));
    }

    @Test
    void commentsRenderNothing() {
        assertEquals("ab", render("a{{! a note }}b", "{}"));
        assertEquals("ab", render("a{{! spans\nlines }}b", "{}"));
    }

    @Test
    void standaloneSectionLinesLeaveNoBlankLines() {
        String t = "Orders:\n{{#orders}}\n- {{id}}\n{{/orders}}\n{{! end }}\nBye";
        assertEquals("Orders:\n- 1\n- 2\nBye", render(t, "{\"orders\":[{\"id\":1},{\"id\":2}]}"));
        assertEquals("Orders:\nBye", render(t, "{\"orders\":[]}"));
        // a tag sharing its line with text is not standalone
        assertEquals("a  b\n", render("a {{#x}}{{/x}} b\n", "{\"x\":true}"));
    }

    @Test
    void aMissingOrNullVariableIsAnErrorNamingIt() {
        Mustache.MissingVariable e =
                assertThrows(Mustache.MissingVariable.class, () -> render("Hi {{customer.name}}", "{\"customer\":{}}"));
        assertEquals("customer.name", e.name());
        assertEquals(3, e.offset());
        assertTrue(e.getMessage().contains("\"customer.name\" is missing"), e.getMessage());
        e = assertThrows(Mustache.MissingVariable.class, () -> render("{{x}}", "{\"x\":null}"));
        assertTrue(e.getMessage().contains("is null"), e.getMessage());
    }

    @Test
    void malformedTemplatesFailToCompileAtTheOffsetOfTheProblem() {
        assertSyntax("Hi {{name", 3, "unclosed tag");
        assertSyntax("{{#a}}x", 0, "never closed");
        assertSyntax("x{{#a}}{{/b}}", 7, "expected {{/a}}");
        assertSyntax("ab{{/a}}", 2, "no open section");
        assertSyntax("{{}}", 0, "empty tag");
        assertSyntax("{{a b}}", 0, "variable name");
        assertSyntax("{{a..b}}", 0, "variable name");
        assertSyntax("{{> partial}}", 0, "partials are not supported");
        assertSyntax("{{=<% %>=}}", 0, "delimiter");
        assertSyntax("{{{x}}", 0, "closed by \"}}\", expected \"}}}\"");
        assertSyntax("{{{x", 0, "unclosed");
        assertSyntax("{{#.}}x{{/.}}", 0, "section");
    }

    private static void assertSyntax(String template, int offset, String words) {
        Mustache.SyntaxError e = assertThrows(Mustache.SyntaxError.class, () -> Mustache.compile(template), template);
        assertEquals(offset, e.offset(), template + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(words), template + ": " + e.getMessage());
    }

    /** Property: text without tags renders to itself, whatever the variables. */
    @Test
    void textWithoutTagsRendersToItself() {
        Random r = new Random(17);
        String alphabet = "ab {}\n\t#^/!&.é\\\"";
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            while (text.contains("{{")) {
                text = text.replace("{{", "{ {");
            }
            assertEquals(text, render(text, "{\"a\":1}"), text);
        }
    }

    /** Property: a variable renders to exactly the string given, whatever characters it holds. */
    @Test
    void anyStringValueIsInsertedExactly() {
        Random r = new Random(42);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(30);
            for (int i = 0; i < len; i++) {
                sb.append((char) (r.nextBoolean() ? r.nextInt(128) : 0x80 + r.nextInt(0x2000)));
            }
            String value = sb.toString();
            JsonNode vars = Json.object().put("v", value);
            assertEquals("<" + value + ">", Mustache.compile("<{{v}}>").render(vars));
            assertEquals(
                    value + value,
                    Mustache.compile("{{#xs}}{{v}}{{/xs}}")
                            .render(Json.object().put("v", value).set("xs", Json.parse("[1,2]"))));
        }
    }

    /** Property: a list section renders its body once per element, in order. */
    @Test
    void listSectionsRenderOncePerElement() {
        Random r = new Random(7);
        for (int n = 0; n < 200; n++) {
            int size = r.nextInt(20);
            StringBuilder expected = new StringBuilder();
            var xs = Json.array();
            for (int i = 0; i < size; i++) {
                int v = r.nextInt(1000);
                xs.add(v);
                expected.append('[').append(v).append(']');
            }
            JsonNode vars = Json.object().set("xs", xs);
            assertEquals(
                    expected.toString(),
                    Mustache.compile("{{#xs}}[{{.}}]{{/xs}}").render(vars));
        }
    }
}
