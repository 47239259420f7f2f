package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.before;
import static dev.switchboard.guardrails.Contexts.beforeBuilder;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.HookEvent;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request checks: model lists and rules, metadata keys, request types — with Portkey's fallbacks and errors. */
class RequestChecksTest {

    @Test
    void modelWhitelistAllowsListedModelsAndNotTurnsItIntoABlockList() {
        var check = new ModelWhitelistCheck();
        assertTrue(check.check(before("hi"), params("{\"models\":[\"gpt-4o-mini\"]}"))
                .verdict());
        assertFalse(
                check.check(before("hi"), params("{\"models\":[\"gpt-4o\"]}")).verdict());
        assertFalse(check.check(before("hi"), params("{\"models\":[\"gpt-4o-mini\"],\"not\":true}"))
                .verdict());
        assertEquals(Set.of(HookEvent.BEFORE_REQUEST), check.supportedEvents());
        assertFalse(check.check(before("hi"), params("{\"models\":[]}")).verdict(), "an empty list allows nothing");
        assertTrue(check.check(before("hi"), params("{\"models\":[],\"not\":true}"))
                .verdict());
    }

    @Test
    void modelWhitelistErrorsOnARequestWithoutModel() {
        CheckContext ctx = CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.CHAT_COMPLETIONS)
                .request(Json.object())
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ModelWhitelistCheck()
                .check(ctx, params("{\"models\":[\"gpt-4o\"]}")));
        assertEquals("Missing model in request", e.getMessage());
    }

    @Test
    void modelRulesUseMetadataRulesElseDefaults() {
        String rules =
                "{\"rules\":{\"defaults\":[\"gpt-4o-mini\"],\"metadata\":{\"plan\":{\"paid\":[\"gpt-4o\"],\"trial\":[]}}}}";
        var check = new ModelRulesCheck();
        assertTrue(check.check(before("hi"), params(rules)).verdict(), "defaults allow gpt-4o-mini");
        CheckContext paid = beforeBuilder("hi").metadata(Map.of("plan", "paid")).build();
        CheckOutcome o = check.check(paid, params(rules));
        assertFalse(o.verdict(), "the paid rule replaces the defaults");
        assertTrue(o.data().path("explanation").asText().contains("not allowed"));
        CheckContext free = beforeBuilder("hi").metadata(Map.of("plan", "free")).build();
        assertTrue(check.check(free, params(rules)).verdict(), "no rule for plan=free: defaults");
        CheckContext trial =
                beforeBuilder("hi").metadata(Map.of("plan", "trial")).build();
        assertTrue(
                check.check(trial, params(rules)).verdict(), "a rule that lists no model falls back to the defaults");
        assertFalse(check.check(before("hi"), params(rules.replace("}}}}", "}}},\"not\":true}")))
                .verdict());
        IllegalStateException none = assertThrows(
                IllegalStateException.class,
                () -> check.check(
                        trial, params("{\"rules\":{\"metadata\":{\"plan\":{\"paid\":[\"gpt-4o\"],\"trial\":[]}}}}")));
        assertEquals("No allowed models resolved from rules", none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> check.check(before("hi"), params("{}")));
        assertThrows(
                IllegalArgumentException.class,
                () -> check.check(before("hi"), params("{\"rules\":{}}")),
                "rules naming no model error on every request in Portkey");
        assertThrows(
                IllegalArgumentException.class,
                () -> check.check(paid, params("{\"rules\":{\"metadata\":{\"plan\":{\"paid\":\"gpt-4o\"}}}}")));
    }

    @Test
    void requiredMetadataKeysNeedsAnOperatorAndSeesPrototypeNames() {
        var check = new RequiredMetadataKeysCheck();
        CheckContext ctx = beforeBuilder("hi").metadata(Map.of("user_id", "u1")).build();
        assertFalse(check.check(ctx, params("{\"metadataKeys\":[\"user_id\",\"team\"],\"operator\":\"all\"}"))
                .verdict());
        assertTrue(check.check(ctx, params("{\"metadataKeys\":[\"user_id\",\"team\"],\"operator\":\"any\"}"))
                .verdict());
        assertTrue(check.check(ctx, params("{\"metadataKeys\":[\"team\"],\"operator\":\"none\"}"))
                .verdict());
        CheckOutcome o = check.check(ctx, params("{\"metadataKeys\":[\"team\"],\"operator\":\"all\"}"));
        assertEquals("team", o.data().path("missing_metadata_keys").path(0).asText());
        assertTrue(
                check.check(ctx, params("{\"metadataKeys\":[\"toString\"],\"operator\":\"all\"}"))
                        .verdict(),
                "Portkey tests `key in metadata`, which every object's toString satisfies");
        assertThrows(IllegalArgumentException.class, () -> check.check(ctx, params("{\"metadataKeys\":[\"team\"]}")));
    }

    @Test
    void allowedRequestTypesUsesPortkeyEndpointNames() {
        var check = new AllowedRequestTypesCheck();
        CheckContext chat = before("hi");
        CheckContext embed = CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.EMBEDDINGS)
                .request(Json.object())
                .build();
        assertTrue(check.check(chat, params("{\"allowedTypes\":[\"chatComplete\",\"embed\"]}"))
                .verdict());
        assertFalse(check.check(chat, params("{\"allowedTypes\":\"embed, complete\"}"))
                .verdict());
        assertFalse(check.check(embed, params("{\"blockedTypes\":[\"embed\"]}")).verdict());
        assertTrue(check.check(chat, params("{\"blockedTypes\":[\"embed\"]}")).verdict());
        assertTrue(check.check(chat, params("{}")).verdict(), "no restriction passes");
    }

    @Test
    void allowedRequestTypesTakesEachMissingListFromTheMetadata() {
        var check = new AllowedRequestTypesCheck();
        CheckContext blocked = beforeBuilder("hi")
                .metadata(Map.of("blocked_endpoints", "chatComplete"))
                .build();
        assertFalse(check.check(blocked, params("{}")).verdict());
        assertThrows(
                IllegalStateException.class,
                () -> check.check(blocked, params("{\"allowedTypes\":[\"chatComplete\"]}")),
                "allowedTypes given, blockedTypes not: the metadata's block list still applies, here in conflict");
        assertFalse(
                check.check(blocked, params("{\"allowedTypes\":[\"embed\"]}")).verdict());
        CheckContext allowed = beforeBuilder("hi")
                .metadata(Map.of("supported_endpoints", "chatComplete,embed"))
                .build();
        CheckOutcome o = check.check(allowed, params("{}"));
        assertTrue(o.verdict());
        assertEquals("metadata", o.data().path("source").asText());
        CheckContext both = beforeBuilder("hi")
                .metadata(Map.of("supported_endpoints", "chatComplete", "blocked_endpoints", "chatComplete"))
                .build();
        IllegalStateException conflict =
                assertThrows(IllegalStateException.class, () -> check.check(both, params("{}")));
        assertTrue(conflict.getMessage().startsWith("Conflict detected"), conflict.getMessage());
    }

    @Test
    void allowedRequestTypesRejectsATypeBothAllowedAndBlocked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AllowedRequestTypesCheck()
                .check(before("hi"), params("{\"allowedTypes\":[\"embed\"],\"blockedTypes\":\"embed\"}")));
        assertTrue(e.getMessage().contains("embed"));
    }
}
