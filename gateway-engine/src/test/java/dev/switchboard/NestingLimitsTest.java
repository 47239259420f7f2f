package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import org.junit.jupiter.api.Test;

/** Issue 15, defect 8: a config built in code nested 5,000 levels deep ended in a StackOverflowError. */
class NestingLimitsTest {
    /** Fallbacks inside fallbacks: every level is an object and a targets array. */
    private static ObjectNode nestedFallbacks(int levels) {
        ObjectNode root = Json.object();
        ObjectNode n = root;
        for (int i = 0; i < levels; i++) {
            n.putObject("strategy").put("mode", "fallback");
            ArrayNode targets = n.putArray("targets");
            n = targets.addObject();
        }
        n.put("provider", "openai").put("api_key", "sk-test");
        return root;
    }

    @Test
    void aConfigNestedFiveThousandLevelsIsAConfigExceptionNamingTheLimit() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Gateway.builder().config(nestedFallbacks(2500)).build());
        assertEquals(1, e.problems().size());
        ConfigException.Problem p = e.problems().get(0);
        assertTrue(p.path().startsWith("/targets/0/targets/0/"), p.path());
        assertTrue(p.found().contains("nested deeper than 256 levels"), p.found());
        assertTrue(p.expected().contains("at most 256 levels of nesting"), p.expected());
    }

    @Test
    void deepButAllowedOverrideParamsStillCompile() {
        ObjectNode config = nestedFallbacks(3);
        ObjectNode deep = Json.object();
        ObjectNode n = deep;
        for (int i = 0; i < 200; i++) {
            n = n.putObject("a");
        }
        config.set("override_params", Json.object().set("response_format", deep));
        assertTrue(Gateway.builder().config(config).build() != null);
    }
}
