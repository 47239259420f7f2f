package dev.switchboard.internal.config;

import static dev.switchboard.internal.config.ConfigFixtures.problem;
import static dev.switchboard.internal.config.ConfigFixtures.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ConfigException;
import dev.switchboard.ConfigException.Problem;
import dev.switchboard.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    @Test
    void misspeltKeySuggestsTheNearestAcceptedKey() {
        Problem p = problem("{'provider':'openai','retyr':{'attempts':2}}");
        assertEquals("/retyr", p.path());
        assertEquals("retry", p.suggestion());
        assertTrue(p.found().contains("retyr"));
    }

    @Test
    void misspeltProviderOptionKeySuggestsTheProvidersField() {
        Problem p = problem("{'provider':'openai','openai_organisation':'o'}");
        assertEquals("/openai_organisation", p.path());
        assertEquals("openai_organization", p.suggestion());
    }

    @Test
    void anotherProvidersOptionKeyIsUnknownOnThisTarget() {
        assertEquals(
                "/resource_name",
                problem("{'provider':'openai','resource_name':'r'}").path());
    }

    @Test
    void unknownProviderSuggestsTheNearestRegisteredId() {
        Problem p = problem("{'strategy':{'mode':'fallback'},'targets':[{'provider':'openai'},{'provider':'opena1'}]}");
        assertEquals("/targets/1/provider", p.path());
        assertEquals("openai", p.suggestion());
        assertEquals("a registered provider id: one of [anthropic, azure-openai, openai]", p.expected());
    }

    @Test
    void unknownVirtualKeySuggestsTheNearestRegisteredKey() {
        Problem p = problem("{'provider':'@openai-prd'}");
        assertEquals("/provider", p.path());
        assertEquals("@openai-prod", p.suggestion());
        Problem alias = problem("{'virtual_key':'claud'}");
        assertEquals("/virtual_key", alias.path());
        assertEquals("@claude", alias.suggestion());
    }

    @Test
    void virtualKeyForAnUnregisteredProviderIsAProblem() {
        assertEquals("/provider", problem("{'provider':'@ghost'}").path());
    }

    @Test
    void providerAndVirtualKeyThatDisagreeAreAProblem() {
        assertEquals(
                "/virtual_key",
                problem("{'provider':'anthropic','virtual_key':'openai-prod'}").path());
    }

    @Test
    void providerValidationMessagesLandOnTheFieldsPointer() {
        Problem p = problem("{'strategy':{'mode':'single'},'targets':[{'provider':'azure-openai','api_key':'k'}]}");
        assertEquals("/targets/0/resource_name", p.path());
        assertEquals("required for azure-openai", p.expected());
        assertEquals("nothing", p.found());
    }

    @Test
    void apiKeyValuesAreMaskedInProblems() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigFixtures.compile(
                        "{'provider':'openai','api_key':42,'retry':{'attempts':'sk-live-9','api_key':'sk-live-9'}}"));
        assertFalse(e.getMessage().contains("42"), e.getMessage());
        assertTrue(e.problems().stream()
                .anyMatch(p -> p.path().equals("/api_key") && p.found().equals("\"****\"")));
        // a non-secret field shows its value; an object that holds a key is masked inside
        Problem notObject = problem("{'provider':'openai','override_params':['x',{'api_key':'sk-zzz'}]}");
        assertFalse(notObject.found().contains("sk-zzz"), notObject.found());
    }

    @Test
    void allProblemsAreReportedTogetherInDocumentOrder() {
        List<Problem> all = problems(
                """
                {'strategy':{'mode':'fallbak'},
                 'targets':[{'provider':'opena1','retry':{'attempts':11}},
                            {'provider':'openai','request_timeout':-5,'custom_host':'ftp://x'}]}""");
        assertEquals(
                List.of(
                        "/strategy/mode",
                        "/targets/0/provider",
                        "/targets/0/retry/attempts",
                        "/targets/1/request_timeout",
                        "/targets/1/custom_host"),
                all.stream().map(Problem::path).toList());
        assertEquals("fallback", all.get(0).suggestion());
    }

    @Test
    void rootMustBeAnObject() {
        Problem p = assertThrows(
                        ConfigException.class, () -> ConfigCompiler.compile(Json.parse("[1]"), ConfigFixtures.CONTEXT))
                .problems()
                .get(0);
        assertEquals("", p.path());
        assertEquals(
                "",
                assertThrows(ConfigException.class, () -> ConfigCompiler.compile(null, ConfigFixtures.CONTEXT))
                        .path());
    }

    @Test
    void legacyOptionsKeyIsRejectedWithAHint() {
        Problem p = problems("{'options':[{'provider':'openai'}]}").get(0);
        assertEquals("/options", p.path());
        assertTrue(p.expected().contains("legacy config format (options) is not supported; use targets"));
    }

    @Test
    void aNodeThatIsBothLeafAndStrategyIsAProblem() {
        Problem p = problem("{'provider':'openai','strategy':{'mode':'single'},'targets':[{'provider':'openai'}]}");
        assertEquals("", p.path());
    }

    @Test
    void aNodeThatIsNeitherLeafNorStrategyIsAProblem() {
        Problem p = problem("{'strategy':{'mode':'single'},'targets':[{'retry':{'attempts':1}}]}");
        assertEquals("/targets/0", p.path());
    }

    @Test
    void strategyWithoutTargetsAndTargetsWithoutStrategyAreProblems() {
        assertEquals("/targets", problem("{'strategy':{'mode':'single'}}").path());
        assertEquals("/strategy", problem("{'targets':[{'provider':'openai'}]}").path());
        assertEquals(
                "/targets",
                problem("{'strategy':{'mode':'single'},'targets':[]}").path());
    }

    @Test
    void unknownModeSuggestsTheNearestMode() {
        Problem p = problem("{'strategy':{'mode':'load-balance'},'targets':[{'provider':'openai'}]}");
        assertEquals("/strategy/mode", p.path());
        assertEquals("loadbalance", p.suggestion());
        assertEquals(
                "/strategy/mode",
                problem("{'strategy':{},'targets':[{'provider':'openai'}]}").path());
    }

    @Test
    void allZeroLoadbalanceWeightsAreAProblem() {
        assertEquals(
                "/targets",
                problem(
                                """
                {'strategy':{'mode':'loadbalance'},'targets':[{'provider':'openai','weight':0},{'provider':'openai','weight':0}]}""")
                        .path());
        assertEquals(
                "/targets/0/weight",
                problem(
                                """
                {'strategy':{'mode':'loadbalance'},'targets':[{'provider':'openai','weight':-1}]}""")
                        .path());
    }

    @Test
    void conditionalNeedsConditionsNamingItsTargets() {
        assertEquals(
                "/strategy/conditions",
                problem(
                                """
                {'strategy':{'mode':'conditional'},'targets':[{'name':'a','provider':'openai'}]}""")
                        .path());
        Problem then = problem(
                """
                {'strategy':{'mode':'conditional','conditions':[{'query':{'metadata.x':'1'},'then':'fast'}]},
                 'targets':[{'name':'fats','provider':'openai'}]}""");
        assertEquals("/strategy/conditions/0/then", then.path());
        assertEquals("fats", then.suggestion());
        Problem dflt = problem(
                """
                {'strategy':{'mode':'conditional','conditions':[{'query':{'metadata.x':'1'},'then':'a'}],'default':'b'},
                 'targets':[{'name':'a','provider':'openai'}]}""");
        assertEquals("/strategy/default", dflt.path());
    }

    @Test
    void conditionsOnANonConditionalModeAreAProblem() {
        assertEquals(
                "/strategy/conditions",
                problem(
                                """
                {'strategy':{'mode':'fallback','conditions':[]},'targets':[{'provider':'openai'}]}""")
                        .path());
    }

    @Test
    void duplicateTargetNamesUnderConditionalAreAProblem() {
        assertEquals(
                "/targets/1/name",
                problem(
                                """
                {'strategy':{'mode':'conditional','conditions':[{'query':{'metadata.x':'1'},'then':'a'}]},
                 'targets':[{'name':'a','provider':'openai'},{'name':'a','provider':'anthropic'}]}""")
                        .path());
    }

    @Test
    void retryValuesAreCheckedWhereTheyAre() {
        assertEquals(
                "/targets/0/retry/attempts",
                problem(
                                """
                {'strategy':{'mode':'single'},'targets':[{'provider':'openai','retry':{'attempts':11}}]}""")
                        .path());
        assertEquals(
                "/retry/attempts", problem("{'provider':'openai','retry':{}}").path());
        assertEquals(
                "/retry/on_status_codes/1",
                problem("{'provider':'openai','retry':{'attempts':1,'on_status_codes':[429,'500']}}")
                        .path());
        assertEquals(
                "/retry/use_retry_after_headers",
                problem(
                                """
                {'provider':'openai','retry':{'attempts':1,'use_retry_after_header':true,'use_retry_after_headers':false}}""")
                        .path());
        assertEquals(
                "/retry/backoff/max_ms",
                problem(
                                """
                {'provider':'openai','retry':{'attempts':1,'backoff':{'initial_ms':500,'max_ms':100}}}""")
                        .path());
        assertEquals(
                "/retry/backoff/multiplier",
                problem(
                                """
                {'provider':'openai','retry':{'attempts':1,'backoff':{'multiplier':0.5}}}""")
                        .path());
        assertEquals(
                "/retry/backoff/jitter",
                problem("""
                {'provider':'openai','retry':{'attempts':1,'backoff':{'jitter':2}}}""")
                        .path());
    }

    @Test
    void otherSettingsAreCheckedWhereTheyAre() {
        assertEquals(
                "/request_timeout",
                problem("{'provider':'openai','request_timeout':1.5}").path());
        assertEquals(
                "/custom_host",
                problem("{'provider':'openai','custom_host':'localhost:8080'}").path());
        assertEquals(
                "/forward_headers/1",
                problem("{'provider':'openai','forward_headers':['a','X-Portkey-Forward-Headers']}")
                        .path());
        assertEquals(
                "/strict_open_ai_compliance",
                problem("{'provider':'openai','strict_open_ai_compliance':'no'}")
                        .path());
        assertEquals(
                "/override_params",
                problem("{'provider':'openai','override_params':'gpt-4o'}").path());
        Problem cacheMode = problem("{'provider':'openai','cache':'semantik'}");
        assertEquals("/cache", cacheMode.path());
        assertEquals("semantic", cacheMode.suggestion());
        assertEquals(
                "/cache/max_age",
                problem("{'provider':'openai','cache':{'mode':'simple','max_age':0}}")
                        .path());
        assertEquals(
                "/cache/similarity_threshold",
                problem("{'provider':'openai','cache':{'mode':'semantic','similarity_threshold':0}}")
                        .path());
        assertEquals("/weight", problem("{'provider':'openai','weight':'1'}").path());
    }

    @Test
    void circuitBreakerNeedsACooldownAndAThreshold() {
        assertEquals(
                "/cb_config/cooldown_interval",
                problem("{'provider':'openai','cb_config':{'failure_threshold':1}}")
                        .path());
        assertEquals(
                "/cb_config",
                problem("{'provider':'openai','cb_config':{'cooldown_interval':1000}}")
                        .path());
        assertEquals(
                "/cb_config/failure_threshold_percentage",
                problem(
                                """
                {'provider':'openai','cb_config':{'failure_threshold_percentage':101,'cooldown_interval':1000}}""")
                        .path());
        assertEquals(
                "/strategy/cb_config",
                problem(
                                """
                {'cb_config':{'failure_threshold':1,'cooldown_interval':1},
                 'strategy':{'mode':'single','cb_config':{'failure_threshold':1,'cooldown_interval':1}},
                 'targets':[{'provider':'openai'}]}""")
                        .path());
    }

    @Test
    void problemsWithoutASuggestionCarryNull() {
        assertNull(problem("{'provider':'openai','zzzzzzzz':1}").suggestion());
    }

    @Test
    void keysWithSlashesAreEscapedInPointers() {
        assertEquals("/a~1b~0c", problem("{'provider':'openai','a/b~c':1}").path());
    }
}
