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

class MutatorsTest {

    private static CheckContext chat(String messagesJson) {
        ObjectNode req = (ObjectNode) Json.parse("{\"model\":\"m\",\"messages\":" + messagesJson + "}");
        return CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.CHAT_COMPLETIONS).request(req).build();
    }

    @Test
    void addPrefixPrependsToTheLastUserMessageWithoutTouchingTheOriginal() {
        CheckContext ctx = chat("[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":\"second\"}]");
        CheckOutcome o = new AddPrefixMutator().check(ctx, params("{\"prefix\":\"Be brief. \"}"));
        assertTrue(o.verdict());
        assertEquals("Be brief. second", o.transformedRequest().at("/messages/2/content").asText());
        assertEquals("first", o.transformedRequest().at("/messages/0/content").asText());
        assertEquals("second", ctx.request().at("/messages/2/content").asText(), "context body is not mutated");
    }

    @Test
    void addPrefixCreatesASystemMessageWhenNoneExists() {
        CheckOutcome o = new AddPrefixMutator().check(chat("[{\"role\":\"user\",\"content\":\"q\"}]"),
                params("{\"prefix\":\"You are terse.\",\"applyToRole\":\"system\"}"));
        assertEquals("system", o.transformedRequest().at("/messages/0/role").asText());
        assertEquals("You are terse.", o.transformedRequest().at("/messages/0/content").asText());
        assertEquals(2, o.transformedRequest().path("messages").size());
    }

    @Test
    void addPrefixWithoutAddToExistingInsertsANewMessageBeforeTheTarget() {
        CheckOutcome o = new AddPrefixMutator().check(chat("[{\"role\":\"user\",\"content\":\"q\"}]"),
                params("{\"prefix\":\"P\",\"addToExisting\":false}"));
        assertEquals("P", o.transformedRequest().at("/messages/0/content").asText());
        assertEquals("q", o.transformedRequest().at("/messages/1/content").asText());
    }

    @Test
    void addPrefixOnlyIfEmptySkipsWhenTheRoleHasAMessage() {
        CheckOutcome o = new AddPrefixMutator().check(chat("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"q\"}]"),
                params("{\"prefix\":\"P\",\"applyToRole\":\"system\",\"onlyIfEmpty\":true}"));
        assertTrue(o.verdict());
        assertFalse(o.transformed());
    }

    @Test
    void addPrefixHandlesContentPartsAndCompletionPrompts() {
        CheckOutcome parts = new AddPrefixMutator().check(
                chat("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"q\"}]}]"),
                params("{\"prefix\":\"P: \"}"));
        assertEquals("P: q", parts.transformedRequest().at("/messages/0/content/1/text").asText());
        CheckContext completion = CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.COMPLETIONS)
                .request((ObjectNode) Json.parse("{\"prompt\":\"tell me\"}")).build();
        assertEquals("P: tell me", new AddPrefixMutator().check(completion, params("{\"prefix\":\"P: \"}"))
                .transformedRequest().path("prompt").asText());
        assertThrows(IllegalArgumentException.class, () -> new AddPrefixMutator().check(completion, params("{}")));
        assertThrows(IllegalArgumentException.class,
                () -> new AddPrefixMutator().check(completion, params("{\"prefix\":\"x\",\"applyToRole\":\"robot\"}")));
    }

    @Test
    void regexReplaceRedactsTheRequestBeforeAndTheAnswerAfter() {
        CheckOutcome before = new RegexReplaceMutator().check(before("card 1234 and 5678"), params("{\"rule\":\"\\\\d{4}\"}"));
        assertTrue(before.verdict());
        assertEquals("card [REDACTED] and [REDACTED]", before.transformedRequest().at("/messages/0/content").asText());
        assertEquals(2, before.data().path("matchCount").asInt());
        assertNull(before.transformedResponse());

        CheckOutcome after = new RegexReplaceMutator().check(after("call 555"), params("{\"rule\":\"\\\\d+\",\"redactText\":\"#\"}"));
        assertEquals("call #", after.transformedResponse().at("/choices/0/message/content").asText());
        assertNull(after.transformedRequest());
    }

    @Test
    void regexReplaceFailsOnlyWithFailOnDetectionAndAMatch() {
        String p = "{\"rule\":\"secret\",\"failOnDetection\":true}";
        assertFalse(new RegexReplaceMutator().check(before("a secret"), params(p)).verdict());
        CheckOutcome clean = new RegexReplaceMutator().check(before("nothing"), params(p));
        assertTrue(clean.verdict());
        assertFalse(clean.transformed());
    }

    @Test
    void regexReplaceTreatsReplacementLiterally() {
        CheckOutcome o = new RegexReplaceMutator().check(before("pay 5"), params("{\"rule\":\"\\\\d\",\"redactText\":\"$1\\\\\"}"));
        assertEquals("pay $1\\", o.transformedRequest().at("/messages/0/content").asText());
    }

    @Test
    void piiRedactReplacesFindingsWithTheirCategoryAndNeverReportsValues() {
        String text = "Mail ann.lee@example.com or call (415) 555-2671, card 4111 1111 1111 1111.";
        CheckOutcome o = new PiiRedactMutator().check(before(text), params("{}"));
        assertTrue(o.verdict());
        assertEquals("Mail [REDACTED:EMAIL] or call [REDACTED:PHONE], card [REDACTED:CREDIT_CARD].",
                o.transformedRequest().at("/messages/0/content").asText());
        String data = o.data().toString();
        assertFalse(data.contains("ann.lee") || data.contains("4111") || data.contains("2671"), data);
        assertEquals(1, o.data().path("detected").path("EMAIL").asInt());
    }

    @Test
    void piiRedactHonoursCategoriesAndFailOnDetection() {
        String text = "ann@example.com 4111111111111111";
        CheckOutcome o = new PiiRedactMutator().check(after(text), params("{\"categories\":\"EMAIL\",\"failOnDetection\":true}"));
        assertFalse(o.verdict());
        assertEquals("[REDACTED:EMAIL] 4111111111111111", o.transformedResponse().at("/choices/0/message/content").asText());
        assertThrows(IllegalArgumentException.class, () -> new PiiRedactMutator().check(after(text), params("{\"categories\":[\"DNA\"]}")));
    }

    @Test
    void piiCheckFailsWhenEnabledCategoriesAreFoundAndCountsThem() {
        var check = new PiiCheck();
        CheckOutcome found = check.check(before("my ssn is 123-45-6789 and ip 10.1.2.3"), params("{}"));
        assertFalse(found.verdict());
        assertEquals(1, found.data().path("detected").path("US_SSN").asInt());
        assertEquals(1, found.data().path("detected").path("IP_ADDRESS").asInt());
        assertFalse(found.data().toString().contains("6789"));
        assertTrue(check.check(before("my ssn is 123-45-6789"), params("{\"categories\":[\"email\"]}")).verdict());
        assertTrue(check.check(before("nothing personal here"), params("{}")).verdict());
    }
}
