package dev.switchboard.internal.config;

import static dev.switchboard.internal.config.ConfigFixtures.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigCompilerTest {

    @Test
    void rootLeafCompilesToATargetAtPathConfig() {
        TargetNode leaf = assertInstanceOf(
                TargetNode.class,
                compile("{'provider':'openai','api_key':'sk-1','openai_organization':'org-1'}")
                        .root());
        assertEquals("config", leaf.path());
        assertEquals("", leaf.pointer());
        assertEquals("openai", leaf.provider());
        assertNull(leaf.virtualKey());
        assertEquals(1.0, leaf.weight());
        assertEquals(Set.of("api_key", "openai_organization"), fieldNames(leaf.options()));
        assertEquals("sk-1", leaf.options().get("api_key").asText());
    }

    @Test
    void fallbackKeepsItsStatusCodesAndTargetsInOrder() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'fallback','on_status_codes':[429,503]},
                 'targets':[{'provider':'openai','api_key':'a'},{'provider':'anthropic','api_key':'b'}]}""")
                .root();
        assertEquals(Strategy.Mode.FALLBACK, root.strategy().mode());
        assertEquals(Set.of(429, 503), root.strategy().onStatusCodes());
        assertEquals(
                List.of("openai", "anthropic"),
                root.targets().stream().map(t -> ((TargetNode) t).provider()).toList());
    }

    @Test
    void fallbackWithoutStatusCodesMeansAnyNon2xx() {
        StrategyNode root = (StrategyNode)
                compile("""
                {'strategy':{'mode':'fallback'},'targets':[{'provider':'openai'}]}""")
                        .root();
        assertNull(root.strategy().onStatusCodes());
    }

    @Test
    void loadbalanceWeightsDefaultToOne() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'loadbalance'},
                 'targets':[{'provider':'openai','weight':0.7},{'provider':'anthropic'},{'provider':'openai','weight':0}]}""")
                .root();
        assertEquals(Strategy.Mode.LOADBALANCE, root.strategy().mode());
        assertEquals(
                List.of(0.7, 1.0, 0.0),
                root.targets().stream().map(ConfigNode::weight).toList());
    }

    @Test
    void singleAcceptsMoreThanOneTarget() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'single'},'targets':[{'provider':'openai'},{'provider':'anthropic'}]}""")
                .root();
        assertEquals(Strategy.Mode.SINGLE, root.strategy().mode());
        assertEquals(2, root.targets().size());
    }

    @Test
    void conditionalKeepsConditionsInOrderWithDefault() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'conditional',
                   'conditions':[{'query':{'metadata.plan':'paid'},'then':'a'},
                                 {'query':{'params.model':{'$regex':'^claude'}},'then':'b'}],
                   'default':'b'},
                 'targets':[{'name':'a','provider':'openai'},{'name':'b','provider':'anthropic'}]}""")
                .root();
        Strategy s = root.strategy();
        assertEquals(Strategy.Mode.CONDITIONAL, s.mode());
        assertEquals(
                List.of("a", "b"), s.conditions().stream().map(Condition::then).toList());
        assertEquals("/strategy/conditions/1", s.conditions().get(1).pointer());
        assertEquals("b", s.defaultTarget());
        assertEquals(
                "{\"metadata.plan\":\"paid\"}", s.conditions().get(0).query().describe());
        assertTrue(s.conditions().get(0).query().matches(Json.parse("{\"metadata\":{\"plan\":\"paid\"}}")));
        assertEquals("anthropic", ((TargetNode) root.targetNamed("b")).provider());
    }

    @Test
    void nestedNodesGetPortkeyPathsAndJsonPointers() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'fallback'},
                 'targets':[{'provider':'openai'},
                            {'name':'lb','strategy':{'mode':'loadbalance'},
                             'targets':[{'provider':'openai'},{'provider':'anthropic'}]}]}""")
                .root();
        StrategyNode inner = (StrategyNode) root.targets().get(1);
        assertEquals("config.targets[1]", inner.path());
        assertEquals("/targets/1", inner.pointer());
        assertEquals("lb", inner.name());
        ConfigNode deepest = inner.targets().get(1);
        assertEquals("config.targets[1].targets[1]", deepest.path());
        assertEquals("/targets/1/targets/1", deepest.pointer());
        assertEquals("config.targets[0]", root.targets().get(0).path());
    }

    @Test
    void virtualKeyInProviderResolvesToTheKeysProvider() {
        TargetNode leaf = (TargetNode) compile("{'provider':'@claude'}").root();
        assertEquals("anthropic", leaf.provider());
        assertEquals("@claude", leaf.virtualKey());
    }

    @Test
    void virtualKeyFieldIsAnAliasWithOrWithoutAt() {
        TargetNode plain = (TargetNode) compile("{'virtual_key':'openai-prod'}").root();
        TargetNode at = (TargetNode)
                compile("{'virtual_key':'@openai-prod','provider':'openai'}").root();
        assertEquals("openai", plain.provider());
        assertEquals("@openai-prod", plain.virtualKey());
        assertEquals("@openai-prod", at.virtualKey());
    }

    @Test
    void virtualKeyStoredFieldsCountWhenTheProviderChecksOptions() {
        TargetNode leaf = (TargetNode)
                compile("{'provider':'@azure-eu','deployment_id':'d'}").root();
        assertEquals("azure-openai", leaf.provider());
        assertEquals(Set.of("deployment_id"), fieldNames(leaf.options()), "options stay as written on the target");
    }

    @Test
    void targetOptionsHoldProviderFieldsAndInheritedCustomHostButNoRoutingFields() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'strategy':{'mode':'fallback'},'custom_host':'http://127.0.0.1:9/v1',
                 'targets':[{'provider':'azure-openai','api_key':'k','resource_name':'r','deployment_id':'d',
                             'name':'x','weight':2,'retry':{'attempts':1},'override_params':{'model':'m'},
                             'request_timeout':100,'forward_headers':['a'],'id':'cb1'}]}""")
                .root();
        TargetNode leaf = (TargetNode) root.targets().get(0);
        assertEquals(Set.of("api_key", "resource_name", "deployment_id", "custom_host"), fieldNames(leaf.options()));
        assertEquals("http://127.0.0.1:9/v1", leaf.options().get("custom_host").asText());
    }

    @Test
    void targetToStringNeverShowsTheApiKey() {
        TargetNode leaf = (TargetNode)
                compile("{'provider':'openai','api_key':'sk-secret-123'}").root();
        assertFalse(leaf.toString().contains("sk-secret-123"));
    }

    @Test
    void compiledSourceIsACopyOfTheInput() {
        JsonNode input = ConfigFixtures.json("{'provider':'openai'}");
        CompiledConfig compiled = ConfigCompiler.compile(input, ConfigFixtures.CONTEXT);
        ((com.fasterxml.jackson.databind.node.ObjectNode) input).put("provider", "changed");
        assertEquals("openai", compiled.source().get("provider").asText());
    }

    @Test
    void strategyNodeMayCarryNodeLevelOnStatusCodesAndIdThatPortkeyIgnores() {
        StrategyNode root = (StrategyNode) compile(
                        """
                {'id':'cb','on_status_codes':[500],'strategy':{'mode':'single'},'targets':[{'provider':'openai'}]}""")
                .root();
        assertEquals(Strategy.Mode.SINGLE, root.strategy().mode());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
