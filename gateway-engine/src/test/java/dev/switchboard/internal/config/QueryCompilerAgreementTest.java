package dev.switchboard.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 5: the allocation-free {@link QueryCompiler} decides exactly as the compiler
 * before it ({@link ReferenceQueryCompiler}, kept unchanged in the tests) — for random queries of
 * every operator, nested {@code $and}/{@code $or}/{@code $not}, dotted and JsonPath paths, over
 * random requests whose values mix numbers, numeric text, text, booleans, null and containers — and
 * a conditional strategy of 100 conditions picks the same first match.
 */
class QueryCompilerAgreementTest {
    private static final String[] PATHS = {
        "metadata.plan",
        "metadata.tier",
        "metadata.n",
        "params.model",
        "params.temperature",
        "params.n",
        "params.messages.0.role",
        "params.messages.1.content",
        "params.missing",
        "params.big",
        "params.flag",
        "params.nothing",
        "params.tools",
        "url.pathname",
        "$.params.messages[*].role",
        "$.metadata.plan"
    };
    private static final String[] OPS = {
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex", "$exists", "$not"
    };

    private static JsonNode value(Random r) {
        switch (r.nextInt(20)) {
            case 0:
                return Json.nodes().textNode("pro");
            case 1:
                return Json.nodes().textNode("team");
            case 2:
                return Json.nodes().textNode("5");
            case 3:
                return Json.nodes().textNode("5.0");
            case 4:
                return Json.nodes().textNode(" 7 ");
            case 5:
                return Json.nodes().textNode("-3");
            case 6:
                return Json.nodes().textNode("1e3");
            case 7:
                return Json.nodes().textNode("");
            case 8:
                return Json.nodes().numberNode(5);
            case 9:
                return Json.nodes().numberNode(5.5);
            case 10:
                return Json.nodes().numberNode(-3L);
            case 11:
                return Json.nodes().numberNode(1000);
            case 12:
                return Json.nodes().booleanNode(r.nextBoolean());
            case 13:
                return Json.nodes().nullNode();
            case 14:
                return Json.nodes().numberNode(new BigInteger("123456789012345678901234567890"));
            case 15:
                return Json.nodes().textNode("gpt-4o");
            case 16:
                return Json.nodes().textNode("user");
            case 17:
                return Json.nodes().textNode("99999999999999999999");
            case 18:
                return Json.nodes().textNode("\u00005");
            default:
                return Json.array().add("a").add(1);
        }
    }

    private static JsonNode context(Random r) {
        ObjectNode ctx = Json.object();
        ObjectNode md = ctx.putObject("metadata");
        for (String k : new String[] {"plan", "tier", "n"}) {
            if (r.nextInt(4) > 0) {
                md.put(k, value(r).asText());
            }
        }
        ObjectNode p = ctx.putObject("params");
        for (String k : new String[] {"model", "temperature", "n", "big", "flag", "nothing"}) {
            if (r.nextInt(4) > 0) {
                p.set(k, value(r));
            }
        }
        if (r.nextBoolean()) {
            p.putArray("tools").add(Json.object().put("type", "function"));
        }
        ArrayNode messages = p.putArray("messages");
        for (int i = r.nextInt(3); i >= 0; i--) {
            messages.addObject()
                    .put("role", r.nextBoolean() ? "user" : "system")
                    .set("content", value(r));
        }
        ctx.putObject("url").put("pathname", r.nextBoolean() ? "/v1/chat/completions" : "/v1/embeddings");
        return ctx;
    }

    private static JsonNode operand(String op, Random r, int depth) {
        switch (op) {
            case "$in":
            case "$nin": {
                ArrayNode a = Json.array();
                for (int i = r.nextInt(4); i >= 0; i--) {
                    a.add(value(r));
                }
                return a;
            }
            case "$regex":
                return Json.nodes().textNode(new String[] {"^p", "o$", "\\d", "gpt-.*", "^$", "e"}[r.nextInt(6)]);
            case "$exists":
                return Json.nodes().booleanNode(r.nextBoolean());
            case "$not":
                return condition(r, depth + 1, true);
            default:
                return value(r);
        }
    }

    /** An operator object ({@code {"$gt": 5, ...}}), or a plain value when {@code operatorsOnly} is false. */
    private static JsonNode condition(Random r, int depth, boolean operatorsOnly) {
        if (!operatorsOnly && r.nextInt(4) == 0) {
            JsonNode v = value(r);
            return v.isObject() ? Json.nodes().textNode("x") : v;
        }
        ObjectNode ops = Json.object();
        for (int i = r.nextInt(2); i >= 0; i--) {
            String op = OPS[r.nextInt(depth > 2 ? OPS.length - 1 : OPS.length)];
            ops.set(op, operand(op, r, depth));
        }
        return ops;
    }

    private static ObjectNode query(Random r, int depth) {
        ObjectNode q = Json.object();
        for (int i = r.nextInt(2); i >= 0; i--) {
            int kind = r.nextInt(depth > 2 ? 1 : 5);
            if (kind == 3 || kind == 4) {
                ArrayNode subs = q.putArray(kind == 3 ? "$and" : "$or");
                for (int j = r.nextInt(3); j >= 0; j--) {
                    subs.add(query(r, depth + 1));
                }
            } else {
                q.set(PATHS[r.nextInt(PATHS.length)], condition(r, depth, false));
            }
        }
        return q;
    }

    @Test
    void everyQueryDecidesAsTheReferenceCompiler() {
        qt().withFixedSeed(16_2026L).withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            List<Query> now = new ArrayList<>();
            List<Query> before = new ArrayList<>();
            List<JsonNode> queries = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ObjectNode q = query(r, 0);
                Problems p1 = new Problems();
                Problems p2 = new Problems();
                Query a = QueryCompiler.compile(q, "/q", p1);
                Query b = ReferenceQueryCompiler.compile(q, "/q", p2);
                assertEquals(p2.size(), p1.size(), "problems for " + q);
                if (b == null) {
                    continue;
                }
                assertNotNull(a, q.toString());
                now.add(a);
                before.add(b);
                queries.add(q);
            }
            for (int c = 0; c < 20; c++) {
                JsonNode ctx = context(r);
                int firstNow = -1;
                int firstBefore = -1;
                for (int i = 0; i < now.size(); i++) {
                    boolean m1 = now.get(i).matches(ctx);
                    boolean m2 = before.get(i).matches(ctx);
                    assertEquals(m2, m1, queries.get(i) + " over " + ctx);
                    if (m1 && firstNow < 0) {
                        firstNow = i;
                    }
                    if (m2 && firstBefore < 0) {
                        firstBefore = i;
                    }
                }
                assertEquals(firstBefore, firstNow, "the condition a conditional strategy picks");
            }
        });
    }

    @Test
    void theGeneratorReachesBothOutcomesOfEveryOperator() {
        // guards the test above against a generator that only ever produces non-matching queries
        Random r = new Random(7);
        int matched = 0;
        int total = 0;
        for (int i = 0; i < 2000; i++) {
            Query q = QueryCompiler.compile(query(r, 0), "/q", new Problems());
            if (q != null) {
                total++;
                matched += q.matches(context(r)) ? 1 : 0;
            }
        }
        assertTrue(total > 1000 && matched > total / 20 && matched < total - total / 20, matched + " of " + total);
    }
}
