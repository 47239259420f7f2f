package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.after;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.CheckOutcome;
import org.junit.jupiter.api.Test;

class JsonChecksTest {
    private static final String PERSON_SCHEMA = "{\"schema\":{\"type\":\"object\",\"required\":[\"name\",\"age\"],"
            + "\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\",\"minimum\":0}}}}";

    @Test
    void extractsJsonFromTaggedAndUntaggedFencesBeforeBraceSpans() {
        assertEquals(1, JsonCandidates.extract("x ```json\n{\"a\":1}\n``` y {\"b\":2}").size());
        assertEquals(1, JsonCandidates.extract("```\n{\"a\":1}\n```").get(0).path("a").asInt());
        assertEquals(2, JsonCandidates.extract("first {\"a\":{\"n\":\"}\"}} then {\"b\":2} end").size());
        assertEquals(1, JsonCandidates.extract("```python\n{\"a\":1}\n```").size(),
                "a python fence is not a JSON fence, but the brace span inside it is still found");
        assertTrue(JsonCandidates.extract("no json { here").isEmpty());
    }

    @Test
    void jsonSchemaPassesWhenAFencedDocumentValidates() {
        String text = "Sure!\n```json\n{\"name\":\"Ann\",\"age\":31}\n```";
        CheckOutcome o = new JsonSchemaCheck().check(after(text), params(PERSON_SCHEMA));
        assertTrue(o.verdict());
        assertEquals("Ann", o.data().path("matchedJson").path("name").asText());
    }

    @Test
    void jsonSchemaPassesWhenAnyCandidateValidates() {
        String text = "bad {\"name\":\"Bob\"} good {\"name\":\"Ann\",\"age\":3}";
        assertTrue(new JsonSchemaCheck().check(after(text), params(PERSON_SCHEMA)).verdict());
    }

    @Test
    void jsonSchemaFailsWithValidationErrorsNamingThePath() {
        CheckOutcome o = new JsonSchemaCheck().check(after("{\"name\":\"Ann\",\"age\":-1}"), params(PERSON_SCHEMA));
        assertFalse(o.verdict());
        assertEquals(1, o.data().path("validationErrors").size());
        assertTrue(o.data().path("validationErrors").path(0).path("path").asText().contains("age"),
                o.data().toString());
    }

    @Test
    void jsonSchemaWithoutJsonFailsAndNotInverts() {
        assertFalse(new JsonSchemaCheck().check(after("plain words"), params(PERSON_SCHEMA)).verdict());
        String notSchema = PERSON_SCHEMA.substring(0, PERSON_SCHEMA.length() - 1) + ",\"not\":true}";
        assertTrue(new JsonSchemaCheck().check(after("plain words"), params(notSchema)).verdict());
        assertFalse(new JsonSchemaCheck().check(after("{\"name\":\"A\",\"age\":1}"), params(notSchema)).verdict());
    }

    @Test
    void jsonSchemaUsesDraft202012Keywords() {
        String schema = "{\"schema\":{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}],\"items\":false}}";
        assertTrue(new JsonSchemaCheck().check(after("```json\n[\"only\"]\n```"), params(schema)).verdict());
        assertFalse(new JsonSchemaCheck().check(after("```json\n[\"only\", 2]\n```"), params(schema)).verdict());
    }

    @Test
    void jsonSchemaRequiresASchemaObject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JsonSchemaCheck().check(after("{}"), params("{\"schema\":\"string\"}")));
        assertTrue(e.getMessage().contains("'schema'"));
    }

    @Test
    void jsonKeysAppliesOperatorsToTopLevelKeys() {
        var check = new JsonKeysCheck();
        String text = "```json\n{\"name\":\"Ann\",\"age\":3}\n```";
        assertTrue(check.check(after(text), params("{\"keys\":[\"name\",\"email\"]}")).verdict());
        CheckOutcome all = check.check(after(text), params("{\"keys\":[\"name\",\"email\"],\"operator\":\"all\"}"));
        assertFalse(all.verdict());
        assertEquals("email", all.data().path("missingKeys").path(0).asText());
        assertTrue(check.check(after(text), params("{\"keys\":[\"email\"],\"operator\":\"none\"}")).verdict());
        assertFalse(check.check(after("no json"), params("{\"keys\":[\"email\"],\"operator\":\"none\"}")).verdict());
        assertThrows(IllegalArgumentException.class, () -> check.check(after(text), params("{}")));
    }

    @Test
    void jsonSchemaNeverFetchesRemoteReferences() throws Exception {
        try (LocalServer server = new LocalServer().answer("/s.json", 200, "{\"type\":\"string\"}")) {
            String schema = "{\"schema\":{\"$ref\":\"" + server.uri("/s.json") + "\"}}";
            try {
                new JsonSchemaCheck().check(after("{\"a\":1}"), params(schema));
            } catch (RuntimeException expected) {
                // an unresolvable reference is a configuration error; what matters is that nothing was fetched
            }
            assertTrue(server.received.isEmpty(), "a schema in a config must not make the gateway call out");
        }
    }
}
