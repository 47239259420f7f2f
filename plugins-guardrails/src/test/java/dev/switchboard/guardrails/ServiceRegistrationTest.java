package dev.switchboard.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {
    private static final Set<String> EXPECTED = Set.of(
            "default.regexMatch",
            "default.sentenceCount",
            "default.wordCount",
            "default.characterCount",
            "default.jsonSchema",
            "default.jsonKeys",
            "default.contains",
            "default.validUrls",
            "default.containsCode",
            "default.webhook",
            "default.log",
            "default.alluppercase",
            "default.alllowercase",
            "default.endsWith",
            "default.modelWhitelist",
            "default.modelRules",
            "default.jwt",
            "default.requiredMetadataKeys",
            "default.allowedRequestTypes",
            "default.notNull",
            "default.addPrefix",
            "default.regexReplace",
            "default.pii",
            "default.piiRedact");

    @Test
    void serviceLoaderFindsEveryBuiltInCheckOnceWithUniqueIds() {
        List<GuardrailCheck> checks = ServiceLoader.load(GuardrailCheck.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        Set<String> ids = new HashSet<>();
        for (GuardrailCheck c : checks) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id());
        }
        assertEquals(new TreeSet<>(EXPECTED), new TreeSet<>(ids));
    }

    @Test
    void supportedEventsFollowPortkeysTable() {
        var byId = ServiceLoader.load(GuardrailCheck.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(GuardrailCheck::id, GuardrailCheck::supportedEvents));
        Set<HookEvent> before = Set.of(HookEvent.BEFORE_REQUEST);
        Set<HookEvent> after = Set.of(HookEvent.AFTER_REQUEST);
        for (String id : List.of(
                "default.modelWhitelist",
                "default.modelRules",
                "default.jwt",
                "default.requiredMetadataKeys",
                "default.allowedRequestTypes",
                "default.addPrefix")) {
            assertEquals(before, Set.copyOf(byId.get(id)), id);
        }
        for (String id : List.of(
                "default.jsonSchema",
                "default.jsonKeys",
                "default.contains",
                "default.validUrls",
                "default.containsCode",
                "default.log",
                "default.notNull")) {
            assertEquals(after, Set.copyOf(byId.get(id)), id);
        }
        for (String id : List.of(
                "default.regexMatch", "default.wordCount", "default.webhook", "default.regexReplace", "default.pii")) {
            assertEquals(Set.of(HookEvent.values()), Set.copyOf(byId.get(id)), id);
        }
    }
}
