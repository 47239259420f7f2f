package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.after;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.CheckOutcome;
import org.junit.jupiter.api.Test;

/** jsonSchema and jsonKeys with Portkey's candidate extraction, and the schema rules of this gateway. */
class JsonChecksTest {
    private static final String PERSON_SCHEMA = "{\"schema\":{\"type\":\"object\",\"required\":[\"name\",\"age\"],"
            + "\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\",\"minimum\":0}}}}";

    @Test
    void extractsAsPortkeyDoesFencesFirstForTheSchemaAndBothForTheKeys() {
        assertEquals(
                1,
                JsonCandidates.extract("x ```json\n{\"a\":1}\n``` y {\"b\":2}", true)
                        .size(),
                "jsonSchema: bare JSON only without any fence");
        assertEquals(
                3,
                JsonCandidates.extract("x ```json\n{\"a\":1}\n``` y {\"b\":2}", false)
                        .size(),
                "jsonKeys: the block, then every bare object (also the one inside the block)");
        assertEquals(
                1,
                JsonCandidates.extract("```\n{\"a\":1}\n```", true)
                        .get(0)
                        .path("a")
                        .asInt());
        assertTrue(
                JsonCandidates.extract("```JSON\n{\"a\":1}\n```", true).isEmpty(),
                "an upper-case tag stays in the block's text, which does not parse");
        assertTrue(
                JsonCandidates.extract("```python\n{\"a\":1}\n```", true).isEmpty(),
                "a fenced block of another language hides the JSON inside it from jsonSchema");
        assertEquals(
                1, JsonCandidates.extract("```python\n{\"a\":1}\n```", false).size(), "jsonKeys still finds it bare");
        assertEquals(42, JsonCandidates.extract("```json\n42\n```", true).get(0).asInt(), "any JSON value in a fence");
        assertTrue(JsonCandidates.extract("no json { here", true).isEmpty());
        assertTrue(JsonCandidates.extract("{\"a\":1} trailing} {\"b\"", true).size() == 1);
    }

    @Test
    void aBareObjectWithANestedObjectIsTakenWhole() {
        // the documented difference: Portkey's /{[\s\S]*?}/ stops at the first }, so this never parses there
        assertEquals(
                2,
                JsonCandidates.extract("first {\"a\":{\"n\":\"}\"}} then {\"b\":2} end", true)
                        .size());
        assertEquals(
                "x",
                JsonCandidates.extract("{\"user\":{\"name\":\"x\"}}", true)
                        .get(0)
                        .at("/user/name")
                        .asText());
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
        assertTrue(
                new JsonSchemaCheck().check(after(text), params(PERSON_SCHEMA)).verdict());
    }

    @Test
    void jsonSchemaFailsWithValidationErrorsNamingThePath() {
        CheckOutcome o = new JsonSchemaCheck().check(after("{\"name\":\"Ann\",\"age\":-1}"), params(PERSON_SCHEMA));
        assertFalse(o.verdict());
        assertEquals(1, o.data().path("validationErrors").size());
        assertTrue(
                o.data().path("validationErrors").path(0).path("path").asText().contains("age"),
                o.data().toString());
    }

    @Test
    void jsonSchemaWithoutJsonFailsWhateverNotSays() {
        assertFalse(new JsonSchemaCheck()
                .check(after("plain words"), params(PERSON_SCHEMA))
                .verdict());
        String notSchema = PERSON_SCHEMA.substring(0, PERSON_SCHEMA.length() - 1) + ",\"not\":true}";
        assertFalse(
                new JsonSchemaCheck()
                        .check(after("plain words"), params(notSchema))
                        .verdict(),
                "as in Portkey");
        assertFalse(new JsonSchemaCheck()
                .check(after("{\"name\":\"A\",\"age\":1}"), params(notSchema))
                .verdict());
        assertTrue(new JsonSchemaCheck()
                .check(after("{\"name\":\"A\"}"), params(notSchema))
                .verdict());
    }

    @Test
    void jsonSchemaReportsNothingWhenTheDocumentKeptIsFalsy() {
        CheckOutcome zero =
                new JsonSchemaCheck().check(after("```json\n0\n```"), params("{\"schema\":{\"type\":\"number\"}}"));
        assertFalse(zero.verdict(), "Portkey drops a kept 0, false, \"\" or null, valid or not");
        assertNull(zero.data());
    }

    @Test
    void jsonSchemaAssertsFormatsAndUsesDraft202012Keywords() {
        String email = "{\"schema\":{\"type\":\"string\",\"format\":\"email\"}}";
        assertFalse(new JsonSchemaCheck()
                .check(after("```json\n\"not an email\"\n```"), params(email))
                .verdict());
        assertTrue(new JsonSchemaCheck()
                .check(after("```json\n\"ann@example.com\"\n```"), params(email))
                .verdict());
        String schema = "{\"schema\":{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}],\"items\":false}}";
        assertTrue(new JsonSchemaCheck()
                .check(after("```json\n[\"only\"]\n```"), params(schema))
                .verdict());
        assertFalse(new JsonSchemaCheck()
                .check(after("```json\n[\"only\", 2]\n```"), params(schema))
                .verdict());
    }

    @Test
    void jsonSchemaRequiresASchemaObject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JsonSchemaCheck()
                .check(after("{}"), params("{\"schema\":\"string\"}")));
        assertTrue(e.getMessage().contains("'schema'"));
    }

    @Test
    void jsonKeysAppliesOperatorsAsPortkeysHandler() {
        var check = new JsonKeysCheck();
        String text = "```json\n{\"name\":\"Ann\",\"age\":3}\n```";
        assertTrue(check.check(after(text), params("{\"keys\":[\"name\",\"email\"],\"operator\":\"any\"}"))
                .verdict());
        CheckOutcome all = check.check(after(text), params("{\"keys\":[\"name\",\"email\"],\"operator\":\"all\"}"));
        assertFalse(all.verdict());
        assertEquals("email", all.data().path("missingKeys").path(0).asText());
        assertTrue(check.check(after(text), params("{\"keys\":[\"email\"],\"operator\":\"none\"}"))
                .verdict());
        assertFalse(check.check(after("no json"), params("{\"keys\":[\"email\"],\"operator\":\"none\"}"))
                .verdict());
        assertTrue(
                check.check(after("```json\n[1,2]\n```"), params("{\"keys\":[\"length\"],\"operator\":\"all\"}"))
                        .verdict(),
                "an array has its indices and length, as hasOwnProperty answers");
        IllegalStateException nullDoc = assertThrows(
                IllegalStateException.class,
                () -> check.check(after("```json\nnull\n```"), params("{\"keys\":[\"a\"],\"operator\":\"any\"}")));
        assertTrue(nullDoc.getMessage().contains("null"));
        assertThrows(
                IllegalStateException.class,
                () -> check.check(after(""), params("{\"keys\":[\"a\"],\"operator\":\"any\"}")));
        assertThrows(
                IllegalArgumentException.class,
                () -> check.check(after(text), params("{\"keys\":[\"a\"]}")),
                "operator is required (Portkey errors without it)");
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
