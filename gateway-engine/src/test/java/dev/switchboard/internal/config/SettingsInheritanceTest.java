package dev.switchboard.internal.config;

import static dev.switchboard.internal.config.ConfigFixtures.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.HookResult.HookPhase;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsInheritanceTest {

    private static StrategyNode tree(String childFields, String grandchildFields) {
        return (StrategyNode) compile(
                        """
                {'strategy':{'mode':'fallback'},
                 'retry':{'attempts':2},'cache':'simple','request_timeout':1000,
                 'custom_host':'http://127.0.0.1:1/v1','forward_headers':['X-User'],'strict_open_ai_compliance':false,
                 'override_params':{'model':'gpt-4o','temperature':0.1},
                 'cb_config':{'failure_threshold':3,'cooldown_interval':30000},
                 'input_guardrails':[{'contains':{'words':['a']}}],
                 'targets':[{'strategy':{'mode':'single'}%s,
                             'targets':[{'provider':'openai'%s}]},
                            {'provider':'anthropic'}]}"""
                                .formatted(childFields, grandchildFields))
                .root();
    }

    private static TargetNode grandchild(StrategyNode root) {
        return (TargetNode) ((StrategyNode) root.targets().get(0)).targets().get(0);
    }

    @Test
    void rootSettingsReachEveryDescendant() {
        StrategyNode root = tree("", "");
        Settings s = grandchild(root).settings();
        assertEquals(2, s.retry().attempts());
        assertEquals(CacheSettings.Mode.SIMPLE, s.cache().mode());
        assertEquals(1000L, s.requestTimeoutMs());
        assertEquals("http://127.0.0.1:1/v1", s.customHost());
        assertEquals(List.of("x-user"), s.forwardHeaders());
        assertFalse(s.strictOpenAiCompliance());
        assertEquals("gpt-4o", s.overrideParams().get("model").asText());
        assertEquals(3, s.circuitBreaker().failureThreshold());
        assertEquals(1, s.beforeHooks().size());
        assertEquals("", s.inheritedFrom().get("retry"));
        assertEquals("", s.inheritedFrom().get("override_params.model"));
        assertEquals("", s.inheritedFrom().get("before_request_hooks"));
        assertEquals(s, root.targets().get(1).settings());
    }

    @Test
    void overrideParamsMergeShallowlyWithTheChildWinning() {
        TargetNode leaf = grandchild(tree(
                ",'override_params':{'model':'gpt-4o-mini','max_tokens':5}", ",'override_params':{'max_tokens':9}"));
        Settings s = leaf.settings();
        assertEquals("gpt-4o-mini", s.overrideParams().get("model").asText());
        assertEquals(0.1, s.overrideParams().get("temperature").asDouble());
        assertEquals(9, s.overrideParams().get("max_tokens").asInt());
        assertEquals("/targets/0", s.inheritedFrom().get("override_params.model"));
        assertEquals("", s.inheritedFrom().get("override_params.temperature"));
        assertEquals("/targets/0/targets/0", s.inheritedFrom().get("override_params.max_tokens"));
    }

    @Test
    void retryCacheAndCircuitBreakerAreReplacedWholesale() {
        Settings s = grandchild(tree(
                        ",'retry':{'attempts':1,'on_status_codes':[503]},'cache':{'mode':'semantic'}",
                        ",'cb_config':{'failure_threshold_percentage':50,'cooldown_interval':1000}"))
                .settings();
        assertEquals(new RetrySettings(1, Set.of(503), false, Backoff.DEFAULT), s.retry());
        assertEquals(
                new CacheSettings(CacheSettings.Mode.SEMANTIC, CacheSettings.DEFAULT_MAX_AGE_SECONDS, 0.95), s.cache());
        assertNull(s.circuitBreaker().failureThreshold());
        assertEquals(50.0, s.circuitBreaker().failureThresholdPercentage());
        assertEquals("/targets/0", s.inheritedFrom().get("retry"));
        assertEquals("/targets/0/targets/0", s.inheritedFrom().get("cb_config"));
    }

    @Test
    void scalarSettingsAreTheChildsWhenSet() {
        Settings s = grandchild(tree(
                        ",'request_timeout':50,'strict_open_ai_compliance':true",
                        ",'custom_host':'https://example.test/v1','forward_headers':['Authorization-X']"))
                .settings();
        assertEquals(50L, s.requestTimeoutMs());
        assertTrue(s.strictOpenAiCompliance());
        assertEquals("https://example.test/v1", s.customHost());
        assertEquals(List.of("authorization-x"), s.forwardHeaders());
        assertEquals("/targets/0", s.inheritedFrom().get("request_timeout"));
        assertEquals("/targets/0/targets/0", s.inheritedFrom().get("custom_host"));
    }

    @Test
    void aChildDefiningAnyHookReplacesBothInheritedLists() {
        Settings s = grandchild(tree(",'output_guardrails':[{'default.jsonSchema':{'schema':{}}}]", ""))
                .settings();
        assertEquals(List.of(), s.beforeHooks(), "the root's input guardrail is no longer inherited");
        assertEquals(1, s.afterHooks().size());
        assertEquals("default.jsonSchema", s.afterHooks().get(0).checks().get(0).id());
        assertEquals("/targets/0", s.inheritedFrom().get("before_request_hooks"));
    }

    @Test
    void shorthandsAreAppendedAfterTheNodesOwnRawHooks() {
        TargetNode leaf = (TargetNode) compile(
                        """
                {'provider':'openai',
                 'before_request_hooks':[{'id':'raw','checks':[{'id':'default.regexMatch','parameters':{'rule':'x'}}]}],
                 'input_guardrails':[{'contains':{'words':['w']},'deny':true}],
                 'input_mutators':[{'acme.redact':{}}]}""")
                .root();
        List<HookSpec> before = leaf.settings().beforeHooks();
        assertEquals(
                List.of("raw", "input_guardrail_0", "input_mutator_0"),
                before.stream().map(HookSpec::id).toList());
        assertEquals(HookSpec.Type.MUTATOR, before.get(2).type());
        assertTrue(before.get(1).deny());
        assertEquals(HookPhase.BEFORE_REQUEST, before.get(1).phase());
    }

    @Test
    void rootDefaultsApplyWhenNothingIsSet() {
        Settings s = compile("{'provider':'openai'}").root().settings();
        assertEquals(RetrySettings.NONE, s.retry());
        assertNull(s.requestTimeoutMs());
        assertNull(s.cache());
        assertTrue(s.strictOpenAiCompliance());
        assertTrue(s.overrideParams().isEmpty());
        assertTrue(s.inheritedFrom().isEmpty());
    }

    @Test
    void retryDefaultsToPortkeysStatusListAndBackoff() {
        RetrySettings r = compile("{'provider':'openai','retry':{'attempts':3}}")
                .root()
                .settings()
                .retry();
        assertEquals(3, r.attempts());
        assertEquals(RetrySettings.DEFAULT_STATUS_CODES, r.onStatusCodes());
        assertFalse(r.useRetryAfterHeader());
        assertEquals(Backoff.DEFAULT, r.backoff());
    }

    @Test
    void retryAcceptsBothRetryAfterSpellings() {
        assertTrue(compile("{'provider':'openai','retry':{'attempts':1,'use_retry_after_header':true}}")
                .root()
                .settings()
                .retry()
                .useRetryAfterHeader());
        assertTrue(compile("{'provider':'openai','retry':{'attempts':1,'use_retry_after_headers':true}}")
                .root()
                .settings()
                .retry()
                .useRetryAfterHeader());
        assertTrue(compile(
                        "{'provider':'openai','retry':{'attempts':1,'use_retry_after_header':true,'use_retry_after_headers':true}}")
                .root()
                .settings()
                .retry()
                .useRetryAfterHeader());
    }

    @Test
    void retryBackoffIsConfigurableAndAHighInitialWaitRaisesTheDefaultCap() {
        assertEquals(
                new Backoff(200, 3.0, 5000, 0.2),
                compile(
                                """
                {'provider':'openai','retry':{'attempts':1,
                 'backoff':{'initial_ms':200,'multiplier':3,'max_ms':5000,'jitter':0.2}}}""")
                        .root()
                        .settings()
                        .retry()
                        .backoff());
        assertEquals(
                new Backoff(120_000, 2.0, 120_000, 0.0),
                compile("{'provider':'openai','retry':{'attempts':1,'backoff':{'initial_ms':120000}}}")
                        .root()
                        .settings()
                        .retry()
                        .backoff());
    }

    @Test
    void cacheObjectReadsMaxAgeInSecondsAndThreshold() {
        assertEquals(
                new CacheSettings(CacheSettings.Mode.SEMANTIC, 60, 0.8),
                compile("{'provider':'openai','cache':{'mode':'semantic','max_age':60,'similarity_threshold':0.8}}")
                        .root()
                        .settings()
                        .cache());
    }

    @Test
    void circuitBreakerInsideStrategyCountsAsTheNodes() {
        CircuitBreakerSettings cb = compile(
                        """
                {'strategy':{'mode':'fallback','cb_config':{'failure_threshold':2,'cooldown_interval':1000,
                  'failure_status_codes':[500],'minimum_requests':3}},
                 'targets':[{'provider':'openai'}]}""")
                .root()
                .settings()
                .circuitBreaker();
        assertEquals(new CircuitBreakerSettings(2, null, 1000, Set.of(500), 3), cb);
    }
}
