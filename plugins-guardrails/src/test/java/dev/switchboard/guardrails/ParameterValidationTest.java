package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.after;
import static dev.switchboard.guardrails.Contexts.before;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.InvalidParametersException;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in check validates its parameters in {@code prepare}: a table of bad parameters and
 * the problem each must produce (parameter, text, suggestion), valid parameters of every check, and
 * prepared checks answering exactly as the unprepared {@code check}.
 */
class ParameterValidationTest {
    private static final Map<String, GuardrailCheck> CHECKS = ServiceLoader.load(GuardrailCheck.class).stream()
            .map(ServiceLoader.Provider::get)
            .collect(Collectors.toMap(GuardrailCheck::id, Function.identity()));

    /** {@code params} for check {@code id} → a problem at {@code parameter} whose text contains {@code text}. */
    record Bad(String id, String params, String parameter, String text, String suggestion) {
        @Override
        public String toString() {
            return id + " " + params;
        }
    }

    private static Bad bad(String id, String params, String parameter, String text) {
        return new Bad(id, params, parameter, text, null);
    }

    private static Bad typo(String id, String params, String parameter, String suggestion) {
        return new Bad(id, params, parameter, "", suggestion);
    }

    static Stream<Bad> badParameters() {
        return Stream.of(
                bad(
                        "default.wordCount",
                        "{'maxWords':'five'}",
                        "maxWords",
                        "found \"five\", expected a non-negative integer"),
                bad("default.wordCount", "{'minWords':1.5}", "minWords", "found 1.5"),
                bad("default.wordCount", "{'maxWords':-1}", "maxWords", "found -1, expected a non-negative integer"),
                bad("default.wordCount", "{'not':'false'}", "not", "a string, which Portkey reads as true"),
                bad("default.wordCount", "{'minWords':10,'maxWords':5}", "minWords", "10 (greater than maxWords 5)"),
                bad("default.wordCount", "{'not':'yes'}", "not", "expected true or false"),
                typo("default.wordCount", "{'maxword':5}", "maxword", "maxWords"),
                typo("default.wordCount", "{'maxWords':5,'minWord':1}", "minWord", "minWords"),
                bad("default.sentenceCount", "{'maxSentences':[1]}", "maxSentences", "found [1]"),
                bad(
                        "default.characterCount",
                        "{'minCharacters':3,'maxCharacters':2}",
                        "minCharacters",
                        "at most maxCharacters (2)"),
                bad("default.regexMatch", "{}", "rule", "found nothing, expected a non-empty string (required)"),
                bad("default.regexMatch", "{'rule':''}", "rule", "found \"\""),
                bad("default.regexMatch", "{'rule':5}", "rule", "expected a string"),
                bad(
                        "default.regexMatch",
                        "{'rule':'(a'}",
                        "rule",
                        "(Unclosed group near index 2), expected a valid JavaScript regular expression"),
                bad("default.regexMatch", "{'rule':'[a-'}", "rule", "near index"),
                bad("default.regexReplace", "{'rule':'a{2,1}'}", "rule", "near index"),
                bad("default.regexReplace", "{'rule':'a','redactText':3}", "redactText", "expected a string"),
                bad(
                        "default.regexReplace",
                        "{'rule':'a','failOnDetection':'sometimes'}",
                        "failOnDetection",
                        "true or false"),
                bad("default.contains", "{'words':'apple'}", "words", "expected an array of strings"),
                bad("default.contains", "{'words':['a',1]}", "words/1", "found 1, expected a string"),
                bad("default.contains", "{}", "words", "found nothing, expected an array of strings (required)"),
                bad("default.regexMatch", "{'rule':'a*+'}", "rule", "Nothing to repeat"),
                bad("default.regexReplace", "{'rule':'/a/gg'}", "rule", "Invalid flags"),
                bad("default.regexReplace", "{'rule':'(?<a>x)\\\\k<b>'}", "rule", "Invalid named capture referenced"),
                bad("default.jsonKeys", "{'keys':['a']}", "operator", "required"),
                bad("default.requiredMetadataKeys", "{'metadataKeys':['a']}", "operator", "required"),
                bad("default.modelRules", "{'rules':{'metadata':{'plan':{'paid':[]}}}}", "rules", "no model anywhere"),
                bad(
                        "default.addPrefix",
                        "{'prefix':'x','onlyIfEmpty':'true'}",
                        "onlyIfEmpty",
                        "compares it with the JSON value true"),
                typo("default.containsCode", "{'format':'python'}", "format", "Python"),
                typo("default.contains", "{'words':['a'],'operator':'some'}", "operator", "none"),
                typo("default.jsonKeys", "{'keys':['a'],'operator':'ALL'}", "operator", "all"),
                bad("default.jsonKeys", "{}", "keys", "required"),
                typo("default.requiredMetadataKeys", "{'metadataKeys':['a'],'operator':'al'}", "operator", "all"),
                bad(
                        "default.requiredMetadataKeys",
                        "{'metadataKeys':'user'}",
                        "metadataKeys",
                        "expected an array of strings"),
                bad("default.jsonSchema", "{}", "schema", "expected a JSON Schema object (required)"),
                bad("default.jsonSchema", "{'schema':'string'}", "schema", "found \"string\""),
                bad(
                        "default.jsonSchema",
                        "{'schema':{'type':'strin'}}",
                        "schema/type",
                        "found \"strin\", expected a value valid in JSON Schema draft 2020-12"),
                bad(
                        "default.jsonSchema",
                        "{'schema':{'properties':{'a':{'minimum':'x'}}}}",
                        "schema/properties/a/minimum",
                        "found \"x\""),
                bad("default.jsonSchema", "{'schema':{'required':'name'}}", "schema/required", "found \"name\""),
                bad(
                        "default.jsonSchema",
                        "{'schema':{'$ref':'#/$defs/missing'}}",
                        "schema/$ref",
                        "nothing is at /$defs/missing"),
                bad(
                        "default.jsonSchema",
                        "{'schema':{'items':{'$ref':'https://example.com/s.json'}}}",
                        "schema/items/$ref",
                        "never fetched"),
                bad(
                        "default.jsonSchema",
                        "{'schema':{'$schema':'https://example.com/dialect'}}",
                        "schema/$schema",
                        "a JSON Schema draft"),
                bad("default.modelWhitelist", "{'models':'gpt-4o'}", "models", "expected an array of strings"),
                bad(
                        "default.modelRules",
                        "{}",
                        "rules",
                        "found nothing, expected an object with \"defaults\" and/or \"metadata\" (required)"),
                typo("default.modelRules", "{'rules':{'default':['a']}}", "rules/default", "defaults"),
                bad(
                        "default.modelRules",
                        "{'rules':{'defaults':'gpt-4o'}}",
                        "rules/defaults",
                        "expected an array of model names"),
                bad(
                        "default.modelRules",
                        "{'rules':{'defaults':['a',1]}}",
                        "rules/defaults/1",
                        "expected a model name"),
                bad(
                        "default.modelRules",
                        "{'rules':{'metadata':{'plan':['gpt-4o']}}}",
                        "rules/metadata/plan",
                        "an object of metadata values"),
                bad(
                        "default.modelRules",
                        "{'rules':{'metadata':{'plan':{'paid':'gpt-4o'}}}}",
                        "rules/metadata/plan/paid",
                        "an array of model names"),
                bad(
                        "default.allowedRequestTypes",
                        "{'allowedTypes':['embed'],'blockedTypes':'embed'}",
                        "blockedTypes",
                        "[embed]"),
                typo(
                        "default.allowedRequestTypes",
                        "{'allowedTypes':['chatComplet']}",
                        "allowedTypes/0",
                        "chatComplete"),
                typo("default.allowedRequestTypes", "{'blockedTypes':'embedd'}", "blockedTypes", "embed"),
                bad("default.allowedRequestTypes", "{'blockedTypes':5}", "blockedTypes", "or a comma-separated string"),
                bad("default.endsWith", "{'suffix':''}", "suffix", "required"),
                bad("default.validUrls", "{'onlyDNS':'no'}", "onlyDNS", "true or false"),
                typo("default.validUrls", "{'onlyDns':true}", "onlyDns", "onlyDNS"),
                bad("default.validUrls", "{'timeout':1.5}", "timeout", "non-negative integer"),
                bad("default.webhook", "{}", "webhookURL", "found nothing"),
                bad(
                        "default.webhook",
                        "{'webhookURL':'ftp://x/y'}",
                        "webhookURL",
                        "scheme \"ftp\", expected an http(s) URL"),
                bad("default.webhook", "{'webhookURL':'http:///path'}", "webhookURL", "without a host"),
                bad(
                        "default.webhook",
                        "{'webhookURL':'http://x/','headers':'not json'}",
                        "headers",
                        "a string that is not JSON"),
                bad(
                        "default.webhook",
                        "{'webhookURL':'http://x/','headers':{'a':[1]}}",
                        "headers/a",
                        "a string header value"),
                bad("default.webhook", "{'webhookURL':'http://x/','timeout':-1}", "timeout", "found -1"),
                typo("default.webhook", "{'webhookUrl':'http://x/'}", "webhookUrl", "webhookURL"),
                bad("default.log", "{'logURL':'logs.example/ingest'}", "logURL", "a URL without a scheme"),
                bad("default.jwt", "{}", "jwksUri", "found nothing"),
                bad(
                        "default.jwt",
                        "{'jwksUri':'https://a/j','maxTokenAge':'soon'}",
                        "maxTokenAge",
                        "a number of seconds or a duration"),
                bad("default.jwt", "{'jwksUri':'https://a/j','maxTokenAge':-5}", "maxTokenAge", "non-negative"),
                bad("default.jwt", "{'jwksUri':'https://a/j','clockTolerance':-1}", "clockTolerance", "found -1"),
                bad("default.jwt", "{'jwksUri':'https://a/j','headerKey':1}", "headerKey", "expected a string"),
                typo("default.pii", "{'categories':['EMIAL']}", "categories/0", "EMAIL"),
                typo("default.pii", "{'categories':'EMAIL,PHNE'}", "categories", "PHONE"),
                bad("default.piiRedact", "{'categories':5}", "categories", "found 5"),
                bad("default.addPrefix", "{}", "prefix", "required"),
                typo("default.addPrefix", "{'prefix':'x','applyToRole':'usr'}", "applyToRole", "user"),
                bad("default.addPrefix", "{'prefix':'x','addToExisting':1}", "addToExisting", "true or false"),
                bad("default.notNull", "{'not':1}", "not", "found 1"),
                bad("default.alluppercase", "{'not':'maybe'}", "not", "true or false"),
                typo("default.alllowercase", "{'nott':true}", "nott", "not"),
                typo("default.containsCode", "{'format':'Pyton'}", "format", "Python"),
                bad("default.containsCode", "{}", "format", "required"),
                typo("default.sentenceCount", "{'failOnErorr':true}", "failOnErorr", "failOnError"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void badParametersAreProblemsNamingTheParameter(Bad c) {
        GuardrailCheck check = CHECKS.get(c.id());
        assertNotNull(check, c.id());
        InvalidParametersException e = assertThrows(
                InvalidParametersException.class,
                () -> check.prepare(params(c.params().replace('\'', '"'))));
        ParameterProblem p = e.problems().stream()
                .filter(x -> x.parameter().equals(c.parameter()))
                .findFirst()
                .orElseGet(() -> fail("no problem at '" + c.parameter() + "': " + e.problems()));
        assertTrue(p.toString().contains(c.text()), p.toString());
        assertEquals(c.suggestion(), p.suggestion(), p.toString());
        assertTrue(e.getMessage().contains("parameter '" + c.parameter() + "'"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> CHECKS.get(
                        "default.webhook")
                .prepare(params("{\"webhookURL\":\"ftp://x\",\"headers\":7,\"timeout\":\"soon\",\"timout\":1}")));
        assertEquals(
                List.of("timout", "webhookURL", "headers", "timeout"),
                e.problems().stream().map(ParameterProblem::parameter).toList());
    }

    @Test
    void secretsInUrlsAndHeadersAreNeverQuoted() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> CHECKS.get(
                        "default.webhook")
                .prepare(params(
                        "{\"webhookURL\":\"ftp://hooks.example/x?token=SECRET1\",\"headers\":\"Bearer SECRET2\"}")));
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        InvalidParametersException malformed = assertThrows(
                InvalidParametersException.class,
                () -> CHECKS.get("default.log")
                        .prepare(
                                params(
                                        "{\"logURL\":\"https://logs.example/a b?key=SECRET3\",\"headers\":{\"x-key\":{\"v\":\"SECRET4\"}}}")));
        assertFalse(malformed.getMessage().contains("SECRET"), malformed.getMessage());
        assertTrue(malformed.getMessage().contains("at index"), malformed.getMessage());
    }

    /** Valid parameters for every built-in check, plus a parameter Portkey knows and the check ignores. */
    private static final Map<String, String> VALID = Map.ofEntries(
            Map.entry("default.regexMatch", "{'rule':'\\\\d{4}','not':true}"),
            Map.entry("default.sentenceCount", "{'minSentences':1,'maxSentences':3.0}"),
            Map.entry("default.wordCount", "{'minWords':0,'maxWords':5,'not':false}"),
            Map.entry("default.characterCount", "{'maxCharacters':280}"),
            Map.entry(
                    "default.jsonSchema",
                    "{'schema':{'type':'object','required':['a'],'properties':{'a':{'$ref':'#/$defs/s'}},'$defs':{'s':{'type':'string'}}}}"),
            Map.entry("default.jsonKeys", "{'keys':['a'],'operator':'all'}"),
            Map.entry("default.contains", "{'words':['Apple'],'operator':'none'}"),
            Map.entry("default.validUrls", "{'onlyDNS':true,'timeout':100}"),
            Map.entry("default.containsCode", "{'format':'Python'}"),
            Map.entry(
                    "default.webhook",
                    "{'webhookURL':'https://guard.example/check','headers':'{\\\"x-key\\\":\\\"k\\\"}','timeout':100}"),
            Map.entry("default.log", "{'logURL':'http://127.0.0.1:9/log','headers':{'x-key':'k'}}"),
            Map.entry("default.alluppercase", "{}"),
            Map.entry("default.alllowercase", "{'not':true}"),
            Map.entry("default.endsWith", "{'suffix':'Thanks'}"),
            Map.entry("default.modelWhitelist", "{'models':['gpt-4o-mini']}"),
            Map.entry("default.modelRules", "{'rules':{'defaults':['a'],'metadata':{'plan':{'paid':['b']}}}}"),
            Map.entry(
                    "default.jwt", "{'jwksUri':'https://auth.example/jwks','maxTokenAge':'2h','algorithms':['RS256']}"),
            Map.entry("default.requiredMetadataKeys", "{'metadataKeys':['user'],'operator':'any'}"),
            Map.entry(
                    "default.allowedRequestTypes",
                    "{'allowedTypes':'chatComplete, embed','blockedTypes':['someFutureType']}"),
            Map.entry("default.notNull", "{}"),
            Map.entry("default.addPrefix", "{'prefix':'Be brief. ','applyToRole':'system','addToExisting':false}"),
            Map.entry("default.regexReplace", "{'rule':'\\\\d{16}','redactText':'[CARD]','failOnDetection':true}"),
            Map.entry("default.pii", "{'categories':'email, credit-card'}"),
            Map.entry("default.piiRedact", "{'categories':['EMAIL'],'failOnDetection':false}"));

    @Test
    void everyCheckAcceptsValidParametersAndIgnoresUnrelatedUnknownOnes() {
        assertEquals(CHECKS.keySet(), VALID.keySet(), "a valid example for every built-in check");
        VALID.forEach((id, json) -> {
            ObjectNode p = params(json.replace('\'', '"'));
            p.put("failOnError", true);
            p.put("portkeyOnlyFlag", "x");
            assertNotNull(CHECKS.get(id).prepare(p), id);
        });
    }

    private static void same(GuardrailCheck check, String json, CheckContext context) throws Exception {
        ObjectNode p = params(json.replace('\'', '"'));
        PreparedCheck prepared = check.prepare(p);
        CheckOutcome direct = check.check(context, p);
        for (int i = 0; i < 2; i++) {
            CheckOutcome again = prepared.check(context);
            assertEquals(direct.verdict(), again.verdict(), check.id());
            assertEquals(direct.data(), again.data(), check.id());
            assertEquals(direct.transformedRequest(), again.transformedRequest(), check.id());
            assertEquals(direct.transformedResponse(), again.transformedResponse(), check.id());
        }
    }

    @Test
    void aPreparedCheckAnswersExactlyAsTheUnpreparedOneEveryTime() throws Exception {
        same(CHECKS.get("default.wordCount"), "{'minWords':1,'maxWords':2}", before("one two three"));
        same(CHECKS.get("default.regexMatch"), "{'rule':'(\\\\d)(\\\\d)'}", before("pin 42"));
        same(CHECKS.get("default.regexReplace"), "{'rule':'\\\\d+','redactText':'#'}", after("call 555 now"));
        same(CHECKS.get("default.contains"), "{'words':['Apple','Pear'],'operator':'all'}", after("Apple only"));
        same(
                CHECKS.get("default.jsonSchema"),
                "{'schema':{'type':'object','required':['a']}}",
                after("```json\n{\"b\":1}\n```"));
        same(CHECKS.get("default.modelRules"), "{'rules':{'defaults':['gpt-4o-mini']}}", before("hi"));
        same(CHECKS.get("default.addPrefix"), "{'prefix':'P: '}", before("hi"));
        same(CHECKS.get("default.piiRedact"), "{'categories':['EMAIL']}", before("mail a@b.example"));
        same(CHECKS.get("default.containsCode"), "{'format':'SQL'}", after("```sql\nSELECT 1\n```"));
        same(CHECKS.get("default.allowedRequestTypes"), "{'blockedTypes':'chatComplete'}", before("hi"));
    }

    @Test
    void theDirectCheckStillRejectsBadParametersAsIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WordCountCheck()
                .check(before("a"), params("{\"maxWords\":\"five\"}")));
        assertTrue(e instanceof InvalidParametersException && e.getMessage().contains("'maxWords'"), e.getMessage());
    }
}
