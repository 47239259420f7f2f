package dev.switchboard.internal.config;

import static dev.switchboard.internal.config.ConfigFixtures.compile;
import static dev.switchboard.internal.config.ConfigFixtures.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ConfigException.Problem;
import dev.switchboard.api.HookResult.HookPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookParsingTest {

    @Test
    void rawHookKeepsEveryField() {
        HookSpec hook = compile(
                        """
                {'provider':'openai','after_request_hooks':[{'id':'g1','type':'mutator','deny':true,'async':true,
                  'sequential':true,'on_fail':{'feedback':{'value':-1}},'on_success':{'feedback':{'value':1}},
                  'checks':[{'id':'default.regexMatch','parameters':{'rule':'\\\\d{4}'},'is_enabled':false}]}]}""")
                .root()
                .settings()
                .afterHooks()
                .get(0);
        assertEquals("g1", hook.id());
        assertEquals(HookSpec.Type.MUTATOR, hook.type());
        assertEquals(HookPhase.AFTER_REQUEST, hook.phase());
        assertTrue(hook.deny() && hook.async() && hook.sequential());
        assertEquals(-1, hook.onFail().get("feedback").get("value").asInt());
        assertEquals(1, hook.onSuccess().get("feedback").get("value").asInt());
        CheckSpec check = hook.checks().get(0);
        assertEquals("default.regexMatch", check.id());
        assertEquals("\\d{4}", check.parameters().get("rule").asText());
        assertFalse(check.enabled());
    }

    @Test
    void rawHookDefaultsToASyncNonDenyingGuardrailWithAGeneratedId() {
        HookSpec hook = compile(
                        "{'provider':'openai','before_request_hooks':[{'type':'guardrail','checks':[{'id':'default.contains'}]}]}")
                .root()
                .settings()
                .beforeHooks()
                .get(0);
        assertEquals("before_request_hook_0", hook.id());
        assertEquals(HookSpec.Type.GUARDRAIL, hook.type());
        assertFalse(hook.deny() || hook.async() || hook.sequential());
        assertNull(hook.onFail());
        assertTrue(hook.checks().get(0).enabled());
        assertTrue(hook.checks().get(0).parameters().isEmpty());
    }

    @Test
    void aRawHookWithoutTypeRunsNoCheckAsInPortkeyAndTheBuildWarns() {
        CompiledConfig compiled = compile("{'provider':'openai','before_request_hooks':[{'id':'h','deny':true,"
                + "'checks':[{'id':'default.contains'}]}]}");
        HookSpec hook = compiled.root().settings().beforeHooks().get(0);
        assertEquals("h", hook.id());
        assertTrue(hook.checks().isEmpty(), "Portkey runs no check of a hook without type");
        assertEquals(1, compiled.warnings().size(), compiled.warnings().toString());
        assertTrue(
                compiled.warnings().get(0).contains("/before_request_hooks/0/type")
                        && compiled.warnings().get(0).contains("\"type\": \"guardrail\""),
                compiled.warnings().get(0));
        assertEquals(
                "/before_request_hooks/0/checks/0/id",
                problem("{'provider':'openai','before_request_hooks':[{'checks':[{'id':'default.regexMatc'}]}]}")
                        .path(),
                "its checks are still validated");
    }

    @Test
    void shorthandTurnsReservedKeysIntoHookFieldsAndOtherKeysIntoChecks() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'single'},'targets':[{'provider':'openai',
                  'output_guardrails':[{'contains':{'operator':'none','words':['Apple'],'is_enabled':false},
                                        'acme.redact':{},'deny':true,'on_fail':{'x':1}}]}]}""")
                .root();
        HookSpec hook = root.targets().get(0).settings().afterHooks().get(0);
        assertEquals("output_guardrail_targets_0_0", hook.id());
        assertEquals(HookPhase.AFTER_REQUEST, hook.phase());
        assertTrue(hook.deny());
        assertEquals(1, hook.onFail().get("x").asInt());
        assertEquals(
                List.of("default.contains", "acme.redact"),
                hook.checks().stream().map(CheckSpec::id).toList());
        CheckSpec contains = hook.checks().get(0);
        assertFalse(contains.enabled());
        assertFalse(contains.parameters().has("is_enabled"), "is_enabled is a check flag, not a parameter");
        assertEquals("none", contains.parameters().get("operator").asText());
    }

    @Test
    void generatedIdsAreStableAcrossCompilations() {
        String config = "{'provider':'openai','input_guardrails':[{'contains':{}},{'regexMatch':{}}]}";
        List<String> first = compile(config).root().settings().beforeHooks().stream()
                .map(HookSpec::id)
                .toList();
        List<String> second = compile(config).root().settings().beforeHooks().stream()
                .map(HookSpec::id)
                .toList();
        assertEquals(List.of("input_guardrail_0", "input_guardrail_1"), first);
        assertEquals(first, second);
    }

    @Test
    void unknownCheckSuggestsTheNearestRegisteredCheck() {
        Problem raw = problem("{'provider':'openai','before_request_hooks':[{'checks':[{'id':'default.regexMatc'}]}]}");
        assertEquals("/before_request_hooks/0/checks/0/id", raw.path());
        assertEquals("default.regexMatch", raw.suggestion());
        Problem shorthand = problem("{'provider':'openai','input_guardrails':[{'regexMatc':{}}]}");
        assertEquals("/input_guardrails/0/regexMatc", shorthand.path());
        assertEquals("default.regexMatch", shorthand.suggestion());
    }

    @Test
    void checkThatDoesNotSupportThePhaseIsAProblem() {
        Problem p = problem("{'provider':'openai','input_guardrails':[{'jsonSchema':{'schema':{}}}]}");
        assertEquals("/input_guardrails/0/jsonSchema", p.path());
        assertTrue(p.expected().contains("beforeRequestHook"), p.expected());
    }

    @Test
    void badHookShapesAreProblemsAtTheirPointers() {
        assertEquals(
                "/before_request_hooks/0/checks",
                problem("{'provider':'openai','before_request_hooks':[{}]}").path());
        assertEquals(
                "/before_request_hooks/0/type",
                problem(
                                """
                {'provider':'openai','before_request_hooks':[{'type':'guardrial','checks':[]}]}""")
                        .path());
        assertEquals(
                "guardrail",
                problem(
                                """
                {'provider':'openai','before_request_hooks':[{'type':'guardrial','checks':[]}]}""")
                        .suggestion());
        assertEquals(
                "/before_request_hooks/0/chekcs",
                problem("""
                {'provider':'openai','before_request_hooks':[{'checks':[],'chekcs':[]}]}""")
                        .path());
        assertEquals(
                "/input_guardrails/0",
                problem("{'provider':'openai','input_guardrails':['pg-saved-id']}")
                        .path());
        assertEquals(
                "/input_guardrails/0",
                problem("{'provider':'openai','input_guardrails':[{'deny':true}]}")
                        .path());
        assertEquals(
                "/input_guardrails/0/contains",
                problem("{'provider':'openai','input_guardrails':[{'contains':true}]}")
                        .path());
        assertEquals(
                "/output_mutators",
                problem("{'provider':'openai','output_mutators':{}}").path());
        assertEquals(
                "/input_guardrails/0/deny",
                problem("{'provider':'openai','input_guardrails':[{'contains':{},'deny':'yes'}]}")
                        .path());
    }
}
