package dev.switchboard.internal.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.CheckResult;
import dev.switchboard.api.HookResult;
import dev.switchboard.api.HookResult.HookPhase;
import dev.switchboard.api.Json;
import dev.switchboard.internal.config.CheckSpec;
import dev.switchboard.internal.config.HookSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookResultsJsonTest {
    private static final CheckResult PASSED = new CheckResult(
            "default.regexMatch", true, Json.object().put("explanation", "matched"), null, 2, false, false);
    private static final CheckResult FAILED =
            new CheckResult("default.contains", false, Json.object(), null, 1, false, false);
    private static final CheckResult ERRORED =
            new CheckResult("default.webhook", false, null, "webhook returned HTTP 500", 5, false, true);

    private static HookResult hook(String id, boolean verdict, CheckResult... checks) {
        return new HookResult(
                id, "guardrail", HookPhase.BEFORE_REQUEST, verdict, true, false, false, false, List.of(checks), 8);
    }

    @Test
    void rendersPortkeysHookResultsShapeWithSnakeCaseKeys() {
        ObjectNode json = HookResultsJson.toJson(List.of(hook("g1", false, PASSED, ERRORED)), List.of());
        assertEquals(List.of("before_request_hooks", "after_request_hooks"), fieldNames(json));
        assertEquals(0, json.get("after_request_hooks").size());
        JsonNode h = json.at("/before_request_hooks/0");
        assertEquals(
                List.of("verdict", "id", "type", "checks", "transformed", "execution_time", "async", "deny"),
                fieldNames(h));
        assertFalse(h.get("verdict").asBoolean());
        assertEquals("guardrail", h.get("type").asText());
        assertEquals(8, h.get("execution_time").asLong());
        JsonNode ok = h.at("/checks/0");
        assertEquals(List.of("verdict", "id", "data", "execution_time", "transformed"), fieldNames(ok));
        assertEquals("matched", ok.at("/data/explanation").asText());
        JsonNode err = h.at("/checks/1");
        assertEquals("Check error", err.at("/error/name").asText());
        assertEquals("webhook returned HTTP 500", err.at("/error/message").asText());
        assertTrue(err.get("fail_on_error").asBoolean());
        assertTrue(err.get("data").isNull());
    }

    @Test
    void addsFeedbackFromOnFailOrOnSuccessWithCheckIdLists() {
        JsonNode onFail = Json.parse("{\"feedback\":{\"value\":-1,\"weight\":1,\"metadata\":{\"team\":\"ml\"}}}");
        JsonNode onSuccess = Json.parse("{\"feedback\":{\"value\":1,\"weight\":0.5}}");
        HookSpec spec = new HookSpec(
                "g1",
                HookSpec.Type.GUARDRAIL,
                HookPhase.BEFORE_REQUEST,
                List.of(new CheckSpec("default.contains", Json.object(), true)),
                true,
                false,
                false,
                onFail,
                onSuccess);
        ObjectNode failed = HookResultsJson.toJson(
                List.of(hook("g1", false, PASSED, FAILED, ERRORED)), List.of(), Map.of("g1", spec));
        JsonNode fb = failed.at("/before_request_hooks/0/feedback");
        assertEquals(-1, fb.get("value").asInt());
        assertEquals("ml", fb.at("/metadata/team").asText());
        assertEquals("default.regexMatch", fb.at("/metadata/successfulChecks").asText());
        assertEquals("default.contains", fb.at("/metadata/failedChecks").asText());
        assertEquals("default.webhook", fb.at("/metadata/erroredChecks").asText());
        assertEquals(-1, onFail.at("/feedback/value").asInt(), "the config's object is not modified");
        assertFalse(onFail.at("/feedback/metadata").has("failedChecks"));

        ObjectNode passed = HookResultsJson.toJson(List.of(), List.of(hook("g1", true, PASSED)), Map.of("g1", spec));
        assertEquals(0.5, passed.at("/after_request_hooks/0/feedback/weight").asDouble());
        assertEquals(
                "default.regexMatch",
                passed.at("/after_request_hooks/0/feedback/metadata/successfulChecks")
                        .asText());
    }

    @Test
    void leavesFeedbackOutWithoutASpecOrConfiguredFeedback() {
        assertFalse(HookResultsJson.toJson(List.of(hook("g1", true, PASSED)), List.of())
                .at("/before_request_hooks/0")
                .has("feedback"));
        HookSpec bare = new HookSpec(
                "g1", HookSpec.Type.GUARDRAIL, HookPhase.BEFORE_REQUEST, List.of(), true, false, false, null, null);
        assertFalse(HookResultsJson.toJson(List.of(hook("g1", false)), List.of(), Map.of("g1", bare))
                .at("/before_request_hooks/0")
                .has("feedback"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
