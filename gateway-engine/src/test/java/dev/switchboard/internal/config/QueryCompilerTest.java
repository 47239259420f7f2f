package dev.switchboard.internal.config;

import static dev.switchboard.internal.config.ConfigFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ConfigException;
import dev.switchboard.ConfigException.Problem;
import org.junit.jupiter.api.Test;

class QueryCompilerTest {
    /** A request context: metadata values are strings, as they arrive from the header. */
    private static final JsonNode CONTEXT = json(
            """
            {'metadata':{'plan':'paid','tier':'5','org':{'region':'eu'}},
             'params':{'model':'gpt-4o','temperature':0.9,'max_tokens':100,
                       'messages':[{'role':'system','content':'be brief'},{'role':'user','content':'hi'}],
                       'tools':[{'type':'function','function':{'name':'a'}},{'type':'web_search'}],
                       'stream':false},
             'url':{'pathname':'/v1/chat/completions'}}""");

    private static boolean matches(String query) {
        Problems problems = new Problems();
        Query q = QueryCompiler.compile(json(query), "/q", problems);
        problems.throwIfAny();
        assertNotNull(q);
        return q.matches(CONTEXT);
    }

    private static Problem compileProblem(String query) {
        Problems problems = new Problems();
        assertNull(QueryCompiler.compile(json(query), "/q", problems));
        return assertThrows(ConfigException.class, problems::throwIfAny)
                .problems()
                .get(0);
    }

    @Test
    void bareValueMeansEquality() {
        assertTrue(matches("{'metadata.plan':'paid'}"));
        assertFalse(matches("{'metadata.plan':'free'}"));
    }

    @Test
    void eqAndNeCompareNumbersNumericallyAcrossStringsAndNumbers() {
        assertTrue(matches("{'metadata.tier':{'$eq':5}}"));
        assertTrue(matches("{'metadata.tier':{'$eq':'5.0'}}"));
        assertTrue(matches("{'params.temperature':{'$eq':'0.90'}}"));
        assertTrue(matches("{'params.model':{'$ne':'gpt-4o-mini'}}"));
        assertFalse(matches("{'params.model':{'$ne':'gpt-4o'}}"));
        assertTrue(matches("{'params.stream':{'$eq':'false'}}"));
    }

    @Test
    void orderingOperatorsCompareNumbersAndAreFalseOtherwise() {
        assertTrue(matches("{'params.temperature':{'$gt':0.7}}"));
        assertFalse(matches("{'params.temperature':{'$lt':0.7}}"));
        assertTrue(matches("{'params.max_tokens':{'$gte':100,'$lte':100}}"));
        assertTrue(matches("{'metadata.tier':{'$gt':'4'}}"));
        assertFalse(matches("{'params.model':{'$gt':'a'}}"), "strings are not ordered");
        assertFalse(matches("{'params.model':{'$lt':'z'}}"));
    }

    @Test
    void severalOperatorsInOneObjectAreAnded() {
        assertTrue(matches("{'params.max_tokens':{'$gt':10,'$lt':1000}}"));
        assertFalse(matches("{'params.max_tokens':{'$gt':10,'$lt':50}}"));
        assertFalse(matches("{'params.model':{'$regex':'^gpt','$ne':'gpt-4o'}}"), "a $regex does not end evaluation");
    }

    @Test
    void inAndNinNeedAnArray() {
        assertTrue(matches("{'metadata.plan':{'$in':['paid','team']}}"));
        assertFalse(matches("{'metadata.plan':{'$nin':['paid','team']}}"));
        assertTrue(matches("{'metadata.tier':{'$in':[1,5]}}"));
        Problem p = compileProblem("{'metadata.plan':{'$in':'paid'}}");
        assertEquals("/q/metadata.plan/$in", p.path());
    }

    @Test
    void regexFindsAnywhereAndABadPatternIsACompileProblem() {
        assertTrue(matches("{'params.model':{'$regex':'^gpt-4'}}"));
        assertTrue(matches("{'url.pathname':{'$regex':'chat'}}"));
        assertFalse(matches("{'params.model':{'$regex':'^claude'}}"));
        assertTrue(matches("{'params.max_tokens':{'$regex':'^1\\\\d+$'}}"), "numbers match as written");
        Problem p = compileProblem("{'params.model':{'$regex':'gpt-(4'}}");
        assertEquals("/q/params.model/$regex", p.path());
        assertTrue(p.found().contains("gpt-(4"), p.found());
    }

    @Test
    void existsTellsPresentFromAbsent() {
        assertTrue(matches("{'params.tools':{'$exists':true}}"));
        assertTrue(matches("{'params.response_format':{'$exists':false}}"));
        assertFalse(matches("{'metadata.nope':{'$exists':true}}"));
        assertEquals(
                "/q/params.tools/$exists",
                compileProblem("{'params.tools':{'$exists':'yes'}}").path());
    }

    @Test
    void absentValuesFailPositiveOperatorsAndPassNegativeOnes() {
        assertFalse(matches("{'metadata.missing':'x'}"));
        assertTrue(matches("{'metadata.missing':{'$ne':'x'}}"));
        assertTrue(matches("{'metadata.missing':{'$nin':['x']}}"));
        assertFalse(matches("{'metadata.missing':{'$in':['x']}}"));
        assertFalse(matches("{'metadata.missing':{'$gt':0}}"));
        assertFalse(matches("{'metadata.missing':{'$regex':'.*'}}"));
    }

    @Test
    void notNegatesAnOperatorObject() {
        assertTrue(matches("{'params.model':{'$not':{'$regex':'^claude'}}}"));
        assertFalse(matches("{'params.model':{'$not':{'$eq':'gpt-4o'}}}"));
        assertEquals(
                "/q/params.model/$not",
                compileProblem("{'params.model':{'$not':'gpt'}}").path());
    }

    @Test
    void deepDottedPathsAndNumericSegmentsIndexArrays() {
        assertTrue(matches("{'metadata.org.region':'eu'}"));
        assertTrue(matches("{'params.messages.0.role':'system'}"));
        assertTrue(matches("{'params.messages.1.content':'hi'}"));
        assertFalse(matches("{'params.messages.7.role':{'$exists':true}}"));
        assertFalse(matches("{'params.messages.role':{'$exists':true}}"));
    }

    @Test
    void jsonPathExpressionsAreEvaluatedWithJackson() {
        assertTrue(matches("{'$.params.tools[0].type':'function'}"));
        assertTrue(matches("{'$.params.tools[*].type':'web_search'}"), "an indefinite path matches if any value does");
        assertTrue(matches("{'$.params.tools[?(@.type == \\\"function\\\")].function.name':'a'}"));
        assertFalse(matches("{'$.params.tools[5].type':{'$exists':true}}"));
        assertTrue(matches("{'$.params.nothing[*]':{'$exists':false}}"));
        assertEquals("/q/$.params[(", compileProblem("{'$.params[(':1}").path());
    }

    @Test
    void siblingKeysOfOrAreStillAnded() {
        // Portkey returns the $or result and ignores metadata.plan: here both must hold
        assertFalse(matches("{'$or':[{'params.model':'gpt-4o'},{'params.model':'x'}],'metadata.plan':'free'}"));
        assertTrue(matches("{'$or':[{'params.model':'gpt-4o'},{'params.model':'x'}],'metadata.plan':'paid'}"));
        assertFalse(matches("{'metadata.plan':'free','$and':[{'params.model':'gpt-4o'}]}"));
    }

    @Test
    void logicalOperatorsNest() {
        assertTrue(
                matches(
                        """
                {'$or':[{'metadata.plan':'free'},
                        {'$and':[{'params.temperature':{'$gt':0.5}},{'$or':[{'url.pathname':'/x'},{'params.stream':false}]}]}]}"""));
        assertFalse(matches("{'$and':[{'metadata.plan':'paid'},{'metadata.tier':{'$lt':3}}]}"));
        assertEquals(
                "/q/$or", compileProblem("{'$or':{'metadata.plan':'paid'}}").path());
        assertEquals(
                "/q/$and/1",
                compileProblem("{'$and':[{'metadata.plan':'paid'},'x']}").path());
    }

    @Test
    void unknownOperatorIsACompileProblemWithASuggestion() {
        Problem p = compileProblem("{'params.model':{'$regx':'gpt'}}");
        assertEquals("/q/params.model/$regx", p.path());
        assertEquals("$regex", p.suggestion());
        Problem logical = compileProblem("{'$orr':[{'metadata.plan':'paid'}]}");
        assertEquals("/q/$orr", logical.path());
        assertEquals("$or", logical.suggestion());
    }

    @Test
    void pathsMustStartWithAKnownRoot() {
        Problem p = compileProblem("{'plan':'paid'}");
        assertEquals("/q/plan", p.path());
        assertTrue(p.expected().contains("metadata."), p.expected());
        assertEquals("/q/params..model", compileProblem("{'params..model':'x'}").path());
    }

    @Test
    void describeIsTheQueryAsCompactJson() {
        Problems problems = new Problems();
        Query q = QueryCompiler.compile(json("{ 'metadata.plan' : { '$in' : ['a'] } }"), "/q", problems);
        assertEquals("{\"metadata.plan\":{\"$in\":[\"a\"]}}", q.describe());
    }

    @Test
    void aConditionsBadQueryIsReportedAtItsConfigPointer() {
        Problem p = ConfigFixtures.problem(
                """
                {'strategy':{'mode':'conditional','conditions':[{'query':{'metadata.plan':{'$foo':1}},'then':'a'}]},
                 'targets':[{'name':'a','provider':'openai'}]}""");
        assertEquals("/strategy/conditions/0/query/metadata.plan/$foo", p.path());
    }

    @Test
    void aNullContextMatchesOnlyAbsenceQueries() {
        Problems problems = new Problems();
        assertTrue(QueryCompiler.compile(json("{'metadata.x':{'$exists':false}}"), "/q", problems)
                .matches(null));
    }
}
