package dev.switchboard.internal.config;

import static dev.switchboard.internal.config.ConfigFixtures.json;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Any mutation of a valid config compiles or fails with a {@link ConfigException} whose problems all
 * carry a JSON pointer; never another exception. Each example is a seed for a {@link Random} that
 * picks the base config and 1–4 mutations, so a failure reproduces from the seed QuickTheories prints.
 */
class ConfigMutationPropertyTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final List<JsonNode> BASES = List.of(
            json(
                    """
                    {'strategy':{'mode':'fallback','on_status_codes':[429,500]},
                     'retry':{'attempts':2,'on_status_codes':[503],'use_retry_after_headers':true,
                              'backoff':{'initial_ms':100,'multiplier':2,'max_ms':1000,'jitter':0.1}},
                     'override_params':{'model':'gpt-4o'},'request_timeout':5000,
                     'targets':[{'provider':'openai','api_key':'sk-SECRET','openai_organization':'org'},
                                {'strategy':{'mode':'loadbalance'},'cache':{'mode':'semantic','max_age':60},
                                 'targets':[{'provider':'@claude','weight':2},{'virtual_key':'openai-prod','weight':1}]}]}"""),
            json(
                    """
                    {'strategy':{'mode':'conditional',
                       'conditions':[{'query':{'metadata.plan':{'$in':['paid','team']},'$or':[{'params.model':{'$regex':'^gpt'}},
                                               {'$.params.tools[0].type':{'$exists':true}}]},'then':'fast'},
                                     {'query':{'params.messages.0.role':{'$not':{'$eq':'system'}}},'then':'cheap'}],
                       'default':'cheap'},
                     'targets':[{'name':'fast','provider':'openai','api_key':'sk-SECRET'},
                                {'name':'cheap','provider':'azure-openai','resource_name':'r','deployment_id':'d'}]}"""),
            json(
                    """
                    {'provider':'anthropic','api_key':'sk-SECRET','custom_host':'http://127.0.0.1:1/v1',
                     'forward_headers':['x-user'],'strict_open_ai_compliance':false,
                     'cb_config':{'failure_threshold':3,'cooldown_interval':30000,'failure_status_codes':[500]},
                     'before_request_hooks':[{'id':'h','checks':[{'id':'default.regexMatch','parameters':{'rule':'x'}}],'deny':true}],
                     'input_guardrails':[{'contains':{'words':['a'],'is_enabled':true},'deny':true}],
                     'output_mutators':[{'acme.redact':{}}]}"""));

    private static final List<String> KEYS = List.of(
            "strategy",
            "targets",
            "mode",
            "provider",
            "api_key",
            "virtual_key",
            "retry",
            "attempts",
            "cache",
            "max_age",
            "conditions",
            "query",
            "then",
            "default",
            "name",
            "weight",
            "checks",
            "id",
            "input_guardrails",
            "before_request_hooks",
            "cb_config",
            "cooldown_interval",
            "$or",
            "$and",
            "$eq",
            "$in",
            "$regex",
            "$not",
            "$exists",
            "metadata.plan",
            "$.params[0]",
            "options",
            "on_status_codes",
            "backoff",
            "override_params",
            "custom_host",
            "forward_headers",
            "type",
            "x",
            "");

    @Test
    void anyMutatedConfigCompilesOrFailsWithPointedProblems() {
        for (JsonNode base : BASES) {
            assertNotNull(ConfigCompiler.compile(base, ConfigFixtures.CONTEXT), "bases are valid");
        }
        AtomicInteger compiled = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        qt().withFixedSeed(20240611L).withExamples(1000).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            JsonNode config = BASES.get(random.nextInt(BASES.size())).deepCopy();
            int mutations = 1 + random.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                config = mutate(config, random);
            }
            try {
                assertNotNull(
                        ConfigCompiler.compile(config, ConfigFixtures.CONTEXT).root());
                compiled.incrementAndGet();
            } catch (ConfigException e) {
                rejected.incrementAndGet();
                for (ConfigException.Problem p : e.problems()) {
                    assertNotNull(p.path(), () -> "seed " + seed + ": " + e.getMessage());
                    assertTrue(p.path().isEmpty() || p.path().startsWith("/"), () -> "seed " + seed + ": " + p);
                    assertNotNull(p.found());
                    assertNotNull(p.expected());
                }
            }
        });
        // both outcomes must occur, or the mutations are not exploring anything
        assertTrue(compiled.get() > 20 && rejected.get() > 20, compiled + " compiled, " + rejected + " rejected");
    }

    /** Applies one random mutation somewhere in the tree; returns the (possibly replaced) root. */
    private static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return randomValue(random, 2); // an earlier mutation replaced the whole config by a scalar
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        int kind = random.nextInt(6);
        if (kind == 5 && target == root) {
            return randomValue(random, 2); // the whole config replaced
        }
        if (target instanceof ObjectNode) {
            ObjectNode object = (ObjectNode) target;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String key = names.isEmpty() ? null : names.get(random.nextInt(names.size()));
            switch (kind) {
                case 0 -> {
                    if (key != null) object.remove(key);
                }
                case 1 -> {
                    if (key != null) object.set(key, randomValue(random, 2));
                }
                case 2 -> {
                    if (key != null) {
                        JsonNode value = object.remove(key);
                        object.set(typo(key, random), value);
                    }
                }
                default -> object.set(randomKey(random), randomValue(random, 2));
            }
        } else if (target instanceof ArrayNode) {
            ArrayNode array = (ArrayNode) target;
            switch (kind) {
                case 0, 4 -> {
                    int keep = array.isEmpty() ? 0 : random.nextInt(array.size());
                    while (array.size() > keep) {
                        array.remove(array.size() - 1);
                    }
                }
                case 1 -> {
                    if (!array.isEmpty()) array.set(random.nextInt(array.size()), randomValue(random, 2));
                }
                default -> array.add(randomValue(random, 2));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    private static String randomKey(Random random) {
        return random.nextInt(4) == 0
                ? typo(KEYS.get(random.nextInt(KEYS.size())), random)
                : KEYS.get(random.nextInt(KEYS.size()));
    }

    private static String typo(String key, Random random) {
        if (key.isEmpty() || random.nextBoolean()) {
            return KEYS.get(random.nextInt(KEYS.size()));
        }
        StringBuilder sb = new StringBuilder(key);
        int at = random.nextInt(sb.length());
        switch (random.nextInt(3)) {
            case 0 -> sb.deleteCharAt(at);
            case 1 -> sb.insert(at, (char) ('a' + random.nextInt(26)));
            default ->
                sb.setCharAt(
                        at,
                        Character.toUpperCase(sb.charAt(at)) == sb.charAt(at)
                                ? '/'
                                : Character.toUpperCase(sb.charAt(at)));
        }
        return sb.toString();
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 11 : 8);
        return switch (kind) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(random.nextBoolean());
            case 2 -> F.numberNode(random.nextInt(1200) - 100);
            case 3 -> F.numberNode(random.nextBoolean() ? random.nextDouble() * 2 : Double.NaN);
            case 4 ->
                F.numberNode(
                        random.nextBoolean()
                                ? Long.MAX_VALUE
                                : new java.math.BigInteger("123456789012345678901234567890").longValue());
            case 5 ->
                F.textNode(List.of(
                                "openai",
                                "@claude",
                                "fallback",
                                "simple",
                                "^(",
                                "http://x",
                                "",
                                "sk-x",
                                "default.contains",
                                "5")
                        .get(random.nextInt(10)));
            case 6 -> F.objectNode();
            case 7 -> F.arrayNode();
            case 8 -> {
                ObjectNode o = F.objectNode();
                o.set(randomKey(random), randomValue(random, depth - 1));
                yield o;
            }
            default -> {
                ArrayNode a = F.arrayNode();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(random, depth - 1));
                }
                yield a;
            }
        };
    }
}
