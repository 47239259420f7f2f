package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.after;
import static dev.switchboard.guardrails.Contexts.before;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.HookEvent;
import org.junit.jupiter.api.Test;

/** The mutators, with Portkey's rewriting rules (regexReplace, addPrefix) and Switchboard's own PII redaction. */
class MutatorsTest {

    private static CheckContext chat(String messagesJson) {
        ObjectNode req = (ObjectNode) Json.parse("{\"model\":\"m\",\"messages\":" + messagesJson + "}");
        return CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.CHAT_COMPLETIONS)
                .request(req)
                .build();
    }

    @Test
    void addPrefixPrependsToTheFirstMessageOfTheRoleWithoutTouchingTheOriginal() {
        CheckContext ctx = chat("[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":\"second\"}]");
        CheckOutcome o = new AddPrefixMutator().check(ctx, params("{\"prefix\":\"Be brief. \"}"));
        assertTrue(o.verdict());
        assertEquals(
                "Be brief. first",
                o.transformedRequest().at("/messages/0/content").asText());
        assertEquals("second", o.transformedRequest().at("/messages/2/content").asText());
        assertEquals("first", ctx.request().at("/messages/0/content").asText(), "context body is not mutated");
    }

    @Test
    void addPrefixCreatesASystemMessageWhenNoneExists() {
        CheckOutcome o = new AddPrefixMutator()
                .check(
                        chat("[{\"role\":\"user\",\"content\":\"q\"}]"),
                        params("{\"prefix\":\"You are terse.\",\"applyToRole\":\"system\"}"));
        assertEquals("system", o.transformedRequest().at("/messages/0/role").asText());
        assertEquals(
                "You are terse.",
                o.transformedRequest().at("/messages/0/content").asText());
        assertEquals(2, o.transformedRequest().path("messages").size());
    }

    @Test
    void addPrefixWithoutAddToExistingInsertsANewMessageBeforeTheTarget() {
        CheckOutcome o = new AddPrefixMutator()
                .check(
                        chat("[{\"role\":\"user\",\"content\":\"q\"}]"),
                        params("{\"prefix\":\"P\",\"addToExisting\":false}"));
        assertEquals("P", o.transformedRequest().at("/messages/0/content").asText());
        assertEquals("q", o.transformedRequest().at("/messages/1/content").asText());
    }

    @Test
    void addPrefixOnlyIfEmptyLooksAtTheTargetsContent() {
        CheckContext ctx = chat("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"q\"}]");
        CheckOutcome kept = new AddPrefixMutator()
                .check(ctx, params("{\"prefix\":\"P\",\"applyToRole\":\"system\",\"onlyIfEmpty\":true}"));
        assertTrue(kept.verdict());
        assertEquals(ctx.request(), kept.transformedRequest(), "Portkey answers the request unchanged");
        CheckOutcome blank = new AddPrefixMutator()
                .check(
                        chat("[{\"role\":\"system\",\"content\":\" \\t\"},{\"role\":\"user\",\"content\":\"q\"}]"),
                        params("{\"prefix\":\"P\",\"applyToRole\":\"system\",\"onlyIfEmpty\":true}"));
        assertEquals(
                "P \t",
                blank.transformedRequest().at("/messages/0/content").asText(),
                "a blank content counts as empty");
        assertThrows(
                IllegalArgumentException.class,
                () -> new AddPrefixMutator().check(ctx, params("{\"prefix\":\"P\",\"onlyIfEmpty\":\"true\"}")),
                "Portkey compares with === true: the string would silently mean false");
    }

    @Test
    void addPrefixOnTheLastMessageWritesIntoItsFirstPartAsPortkeyDoes() {
        CheckOutcome parts = new AddPrefixMutator()
                .check(
                        chat(
                                "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"q\"}]}]"),
                        params("{\"prefix\":\"P: \"}"));
        assertEquals(
                "P: ",
                parts.transformedRequest().at("/messages/0/content/0/text").asText());
        assertEquals(
                "q", parts.transformedRequest().at("/messages/0/content/1/text").asText());
        CheckOutcome earlier = new AddPrefixMutator()
                .check(
                        chat(
                                "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]},{\"role\":\"assistant\",\"content\":\"a\"}]"),
                        params("{\"prefix\":\"P: \"}"));
        assertEquals(
                "{\"type\":\"text\",\"text\":\"P: \"}",
                earlier.transformedRequest().at("/messages/0/content/0").toString(),
                "an earlier message whose first part is not text gets a new first text part");
    }

    @Test
    void addPrefixHandlesCompletionPromptsAndLeavesOtherEndpointsAlone() {
        CheckContext completion = CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.COMPLETIONS)
                .request((ObjectNode) Json.parse("{\"prompt\":[\"tell me\",\"more\"]}"))
                .build();
        CheckOutcome o = new AddPrefixMutator().check(completion, params("{\"prefix\":\"P: \"}"));
        assertEquals(
                "[\"P: tell me\",\"more\"]",
                o.transformedRequest().path("prompt").toString());
        CheckContext embed = CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.EMBEDDINGS)
                .request((ObjectNode) Json.parse("{\"input\":\"x\"}"))
                .build();
        CheckOutcome skipped = new AddPrefixMutator().check(embed, params("{\"prefix\":\"P\"}"));
        assertTrue(skipped.verdict());
        assertFalse(skipped.transformed());
        assertThrows(IllegalArgumentException.class, () -> new AddPrefixMutator().check(completion, params("{}")));
        assertThrows(IllegalArgumentException.class, () -> new AddPrefixMutator()
                .check(completion, params("{\"prefix\":\"x\",\"applyToRole\":\"robot\"}")));
    }

    @Test
    void regexReplaceReplacesTheFirstMatchUnlessTheRuleIsAGlobalLiteral() {
        CheckOutcome first =
                new RegexReplaceMutator().check(before("card 1234 and 5678"), params("{\"rule\":\"\\\\d{4}\"}"));
        assertTrue(first.verdict());
        assertEquals(
                "card [REDACTED] and 5678",
                first.transformedRequest().at("/messages/0/content").asText());
        assertNull(first.transformedResponse());
        CheckOutcome all =
                new RegexReplaceMutator().check(before("card 1234 and 5678"), params("{\"rule\":\"/\\\\d{4}/g\"}"));
        assertEquals(
                "card [REDACTED] and [REDACTED]",
                all.transformedRequest().at("/messages/0/content").asText());
        CheckOutcome insensitive = new RegexReplaceMutator()
                .check(before("Secret and SECRET"), params("{\"rule\":\"/secret/gi\",\"redactText\":\"#\"}"));
        assertEquals(
                "# and #",
                insensitive.transformedRequest().at("/messages/0/content").asText());

        CheckOutcome answer = new RegexReplaceMutator()
                .check(after("call 555"), params("{\"rule\":\"\\\\d+\",\"redactText\":\"#\"}"));
        assertEquals(
                "call #",
                answer.transformedResponse().at("/choices/0/message/content").asText());
        assertNull(answer.transformedRequest());
    }

    @Test
    void regexReplaceUsesJavaScriptReplacementSyntax() {
        CheckOutcome o = new RegexReplaceMutator()
                .check(
                        before("John Smith"),
                        params("{\"rule\":\"(?<first>\\\\w+) (\\\\w+)\",\"redactText\":\"$2, $<first> [$&] $$1 $3\"}"));
        assertEquals(
                "Smith, John [John Smith] $1 $3",
                o.transformedRequest().at("/messages/0/content").asText());
        CheckOutcome empty =
                new RegexReplaceMutator().check(before("a b"), params("{\"rule\":\"b\",\"redactText\":\"\"}"));
        assertEquals(
                "a [REDACTED]",
                empty.transformedRequest().at("/messages/0/content").asText(),
                "\"\" counts as absent");
    }

    @Test
    void regexReplaceRewritesEachTextPartOfTheLastMessageOnItsOwn() {
        CheckContext ctx = chat(
                "[{\"role\":\"user\",\"content\":\"1111 first\"},{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"a 1111\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}},{\"type\":\"text\",\"text\":\"2222 b\"}]}]");
        CheckOutcome o = new RegexReplaceMutator().check(ctx, params("{\"rule\":\"^\\\\d+|\\\\d+$\"}"));
        assertEquals(
                "1111 first", o.transformedRequest().at("/messages/0/content").asText(), "only the last message");
        assertEquals(
                "a [REDACTED]",
                o.transformedRequest().at("/messages/1/content/0/text").asText());
        assertEquals(
                "u",
                o.transformedRequest().at("/messages/1/content/1/image_url/url").asText());
        assertEquals(
                "[REDACTED] b",
                o.transformedRequest().at("/messages/1/content/2/text").asText(),
                "^ anchors at each part's start: parts are not joined");
    }

    @Test
    void regexReplaceErrorsWithoutContentAndFailsOnlyWithFailOnDetectionAndAMatch() {
        String p = "{\"rule\":\"secret\",\"failOnDetection\":true}";
        assertFalse(
                new RegexReplaceMutator().check(before("a secret"), params(p)).verdict());
        CheckOutcome clean = new RegexReplaceMutator().check(before("nothing"), params(p));
        assertTrue(clean.verdict());
        assertFalse(clean.transformed());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new RegexReplaceMutator().check(before(""), params(p)));
        assertEquals("Missing text to match", e.getMessage());
        CheckOutcome sticky =
                new RegexReplaceMutator().check(before("aab"), params("{\"rule\":\"/a/y\",\"redactText\":\"!\"}"));
        assertEquals(
                "a!b",
                sticky.transformedRequest().at("/messages/0/content").asText(),
                "as Portkey: match() moves a sticky regex's lastIndex before replace() runs");
    }

    @Test
    void piiRedactReplacesFindingsWithTheirCategoryAndNeverReportsValues() {
        String text = "Mail ann.lee@example.com or call (415) 555-2671, card 4111 1111 1111 1111.";
        CheckOutcome o = new PiiRedactMutator().check(before(text), params("{}"));
        assertTrue(o.verdict());
        assertEquals(
                "Mail [REDACTED:EMAIL] or call [REDACTED:PHONE], card [REDACTED:CREDIT_CARD].",
                o.transformedRequest().at("/messages/0/content").asText());
        String data = o.data().toString();
        assertFalse(data.contains("ann.lee") || data.contains("4111") || data.contains("2671"), data);
        assertEquals(1, o.data().path("detected").path("EMAIL").asInt());
    }

    @Test
    void piiRedactHonoursCategoriesAndFailOnDetection() {
        String text = "ann@example.com 4111111111111111";
        CheckOutcome o = new PiiRedactMutator()
                .check(after(text), params("{\"categories\":\"EMAIL\",\"failOnDetection\":true}"));
        assertFalse(o.verdict());
        assertEquals(
                "[REDACTED:EMAIL] 4111111111111111",
                o.transformedResponse().at("/choices/0/message/content").asText());
        assertThrows(IllegalArgumentException.class, () -> new PiiRedactMutator()
                .check(after(text), params("{\"categories\":[\"DNA\"]}")));
    }

    @Test
    void piiCheckFailsWhenEnabledCategoriesAreFoundAndCountsThem() {
        var check = new PiiCheck();
        CheckOutcome found = check.check(before("my ssn is 123-45-6789 and ip 10.1.2.3"), params("{}"));
        assertFalse(found.verdict());
        assertEquals(1, found.data().path("detected").path("US_SSN").asInt());
        assertEquals(1, found.data().path("detected").path("IP_ADDRESS").asInt());
        assertFalse(found.data().toString().contains("6789"));
        assertTrue(check.check(before("my ssn is 123-45-6789"), params("{\"categories\":[\"email\"]}"))
                .verdict());
        assertTrue(check.check(before("nothing personal here"), params("{}")).verdict());
    }
}
