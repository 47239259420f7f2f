package dev.switchboard.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.InvalidParametersException;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of Portkey's own test file for the {@code default.*} checks, as a table: source
 * {@code plugins/default/default.test.ts} of {@code Portkey-AI/gateway} at release tag {@code v1.15.2}
 * (commit {@code ca7712947ec8c0887803990b746740d36011c697}): its 153 {@code it(...)} cases in file order
 * (the two that loop over request types are one row each). Inputs and expected outcomes are that file's
 * facts; the code is ours.
 *
 * <p>How a case becomes a row, and why some rows differ from the file's {@code expect}s:
 * <ul>
 *   <li>The file's contexts {@code {response: {text}}} predate the handlers of 1.15.2, which read
 *       {@code response.json} (an OpenAI answer): such a row gives the same text as the answer's
 *       {@code choices[0].message.content}, which is what Portkey 1.15.2 checks in a real request.
 *   <li>{@code requestType: 'messages'} (Anthropic's format) has no endpoint here: those rows send the
 *       same messages as a chat completion, and expect what Portkey's handler does for a chat
 *       completion (noted {@code adapted}).
 *   <li>Cases that call the internet (DNS over HTTPS, val.run webhooks, Google's JWKS) use a local
 *       server or resolver that answers as the real one did ({@code adapted}).
 *   <li>{@code stale}: the file's expectation contradicts the 1.15.2 handler itself (the file fails
 *       against it); the row expects what the handler does, which is what a Portkey user sees.
 *   <li>{@code build}: Portkey's handler errors on every request with these parameters; here the
 *       gateway refuses the config when it is built (an error either way; the README's differences
 *       table).
 *   <li>{@code difference}: a documented row of the README's "Differences from Portkey's checks".
 * </ul>
 * Rows without a note expect exactly the file's verdict, error-or-not, rewritten body and the
 * {@code data} fields the file asserts.
 */
class PortkeyDefaultCasesTest {
    private static final Map<String, GuardrailCheck> CHECKS = ServiceLoader.load(GuardrailCheck.class).stream()
            .map(ServiceLoader.Provider::get)
            .collect(Collectors.toMap(GuardrailCheck::id, Function.identity()));
    private static final String FOX = "The quick brown fox jumps over the lazy dog.";

    private static LocalServer server;
    private static final JdkTransport TRANSPORT = new JdkTransport();

    static void start() throws Exception {
        server = new LocalServer()
                .answer("/true", 200, "{\"verdict\": true, \"data\": {\"source\": \"local\"}}")
                .answer("/false", 200, "{\"verdict\": false}")
                .answer("/error", 500, "{\"error\": \"boom\"}")
                .answer("/log", 200, "{\"ok\": true}")
                .answer("/ok", 200, "")
                .answer("/jwks", 200, jwks());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String jwks() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + b64.encodeToString(unsigned(key.getModulus())) + "\",\"e\":\""
                + b64.encodeToString(unsigned(key.getPublicExponent())) + "\"}]}";
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** One case of the file. */
    static final class Row {
        final String suite;
        final String name;
        String check;
        String params = "{}";
        HookEvent event = HookEvent.AFTER_REQUEST;
        Endpoint endpoint = Endpoint.CHAT_COMPLETIONS;
        ObjectNode request = Contexts.chatRequest("question");
        ObjectNode response;
        boolean responseSet;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        GuardrailCheck using;
        String note = "";
        // expectations
        Boolean verdict;
        String runError;
        String buildErrorAt;
        String dataExact;
        String dataSubset;
        final List<String[]> requestAt = new ArrayList<>();
        final List<String[]> responseAt = new ArrayList<>();
        Boolean transformed;
        final List<java.util.function.Consumer<CheckOutcome>> extra = new ArrayList<>();

        Row(String suite, String name) {
            this.suite = suite;
            this.name = name;
        }

        Row check(String id, String singleQuoted) {
            this.check = id;
            this.params = singleQuoted.replace('\'', '"');
            return this;
        }

        /** After the call: a chat answer whose content is {@code text} (the file's {@code response.text}). */
        Row answer(String text) {
            event = HookEvent.AFTER_REQUEST;
            response = Contexts.chatResponse(text);
            responseSet = true;
            return this;
        }

        /** After the call on {@code endpoint}: this answer body ({@code null} for none). */
        Row answerJson(Endpoint endpoint, String json) {
            event = HookEvent.AFTER_REQUEST;
            this.endpoint = endpoint;
            response = json == null ? null : (ObjectNode) Json.parse(json);
            responseSet = true;
            return this;
        }

        /** Before the call on {@code endpoint}: this request body ({@code null} for none). */
        Row before(Endpoint endpoint, String json) {
            event = HookEvent.BEFORE_REQUEST;
            this.endpoint = endpoint;
            request = json == null ? null : (ObjectNode) Json.parse(json);
            return this;
        }

        Row metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        Row header(String key, String value) {
            headers.put(key, value);
            return this;
        }

        Row using(GuardrailCheck check) {
            this.using = check;
            return this;
        }

        Row note(String note) {
            this.note = note;
            return this;
        }

        Row verdict(boolean v) {
            verdict = v;
            return this;
        }

        /** The check errors when it runs (fails open), with this message. */
        Row error(String message) {
            runError = message;
            return this;
        }

        /** The gateway refuses the parameters when it is built, with a problem at {@code parameter}. */
        Row rejected(String parameter) {
            buildErrorAt = parameter;
            return this;
        }

        Row data(String singleQuotedSubset) {
            dataSubset = singleQuotedSubset;
            return this;
        }

        Row dataIs(String json) {
            dataExact = json;
            return this;
        }

        Row requestAt(String pointer, String json) {
            requestAt.add(new String[] {pointer, json});
            return this;
        }

        Row responseAt(String pointer, String json) {
            responseAt.add(new String[] {pointer, json});
            return this;
        }

        Row transformed(boolean t) {
            transformed = t;
            return this;
        }

        Row also(java.util.function.Consumer<CheckOutcome> assertion) {
            extra.add(assertion);
            return this;
        }

        @Override
        public String toString() {
            return suite + " › " + name + (note.isEmpty() ? "" : " [" + note + "]");
        }
    }

    private static Row row(String suite, String name) {
        return new Row(suite, name);
    }

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static Stream<Row> cases() {
        List<Row> rows = new ArrayList<>();
        regexMatch(rows);
        jsonSchema(rows);
        jsonKeys(rows);
        contains(rows);
        validUrls(rows);
        sentenceCount(rows);
        containsCode(rows);
        wordCount(rows);
        webhook(rows);
        log(rows);
        letterCase(rows);
        modelWhitelist(rows);
        characterCount(rows);
        endsWith(rows);
        jwt(rows);
        allowedRequestTypes(rows);
        addPrefix(rows);
        notNull(rows);
        return rows.stream();
    }

    private static void regexMatch(List<Row> rows) {
        String s = "Regex Matcher Plugin";
        rows.add(row(s, "should match a simple regex pattern")
                .check("default.regexMatch", "{'rule':'quick.*fox','not':false}")
                .answer(FOX)
                .verdict(true)
                .data("{'matchDetails':{'matchedText':'quick brown fox'}}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("successfully matched"))));
        rows.add(row(s, "should not match when pattern is not found")
                .check("default.regexMatch", "{'rule':'zebra','not':false}")
                .answer(FOX)
                .verdict(false)
                .data("{'matchDetails':null}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("did not match"))));
        rows.add(row(s, "should handle regex with capturing groups")
                .check("default.regexMatch", "{'rule':'(quick) (brown) (fox)','not':false}")
                .answer(FOX)
                .verdict(true)
                .data("{'matchDetails':{'captures':['quick','brown','fox'],'groups':{}}}"));
        rows.add(row(s, "should handle regex with named capturing groups")
                .check(
                        "default.regexMatch",
                        "{'rule':'(?<adjective1>quick) (?<adjective2>brown) (?<animal>fox)','not':false}")
                .answer(FOX)
                .verdict(true)
                .data("{'matchDetails':{'groups':{'adjective1':'quick','adjective2':'brown','animal':'fox'}}}"));
        rows.add(row(s, "should provide text excerpt in data")
                .check("default.regexMatch", "{'rule':'dog','not':false}")
                .answer(FOX)
                .verdict(true)
                .data("{'textExcerpt':'" + FOX + "'}"));
        rows.add(row(s, "should handle long text by truncating excerpt")
                .check("default.regexMatch", "{'rule':'a','not':false}")
                .answer("a".repeat(200))
                .verdict(true)
                .data("{'textExcerpt':'" + "a".repeat(100) + "...'}"));
        rows.add(row(s, "should throw error for invalid regex")
                .check("default.regexMatch", "{'rule':'(','not':false}")
                .answer(FOX)
                .rejected("rule")
                .note("build"));
        rows.add(row(s, "should handle missing regex pattern")
                .check("default.regexMatch", "{'rule':'','not':false}")
                .answer(FOX)
                .rejected("rule")
                .note("build"));
        rows.add(row(s, "should handle missing text to match")
                .check("default.regexMatch", "{'rule':'test','not':false}")
                .answer("")
                .error("Missing text to match"));
    }

    private static final String NESTED_SCHEMA = q("{'type':'object','properties':{'user':{'type':'object',"
            + "'required':['name','contact','preferences'],'properties':{'name':{'type':'string'},"
            + "'contact':{'type':'object','required':['email','phone'],'properties':{'email':{'type':'string','format':'email'},"
            + "'phone':{'type':'object','required':['country','number'],'properties':{'country':{'type':'string'},"
            + "'number':{'type':'string'}}}}},'preferences':{'type':'object','required':['theme','notifications'],"
            + "'properties':{'theme':{'type':'string','enum':['light','dark']},'notifications':{'type':'boolean'}}}}}},"
            + "'required':['user']}");

    private static void jsonSchema(List<Row> rows) {
        String s = "jsonSchema handler";
        String keySchema =
                "{'schema':{'type':'object','properties':{'key':{'type':'string'}},'required':['key']},'not':false}";
        String blog =
                "{'schema':{'type':'object','properties':{'title':{'type':'string'},'short_intro':{'type':'string'}},"
                        + "'required':['title','short_intro']},'not':false}";
        String intro =
                "{\n  \"title\": \"The Rise of AI Agents: Transforming the Future\",\n  \"short_intro\": \"Artificial "
                        + "Intelligence (AI) agents are revolutionizing various sectors, from healthcare to finance. In this blog, we "
                        + "explore the development of AI agents, their applications, and their potential to reshape our world.\"\n}";
        rows.add(row(s, "should validate JSON in response text")
                .check("default.jsonSchema", keySchema)
                .answer(
                        "adding some text before this ```json\n{\"key\": \"value\"}\n```\n and adding some text after {\"key\":\"value\"}")
                .verdict(true)
                .data("{'matchedJson':{'key':'value'}}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("Successfully validated"))));
        rows.add(row(s, "should return a false verdict when schema does not match")
                .check(
                        "default.jsonSchema",
                        "{'schema':{'type':'object','properties':{'key2':{'type':'string'}},'required':['key2']},'not':false}")
                .answer("{\"key\": \"value\"}")
                .verdict(false));
        rows.add(row(s, "should validate JSON in response text - complex")
                .check("default.jsonSchema", blog)
                .answer("```json\n" + intro + "\n```")
                .verdict(true)
                .also(o -> assertTrue(o.data().path("matchedJson").has("title")
                        && o.data().path("matchedJson").has("short_intro"))));
        rows.add(row(s, "should validate only JSON in response text")
                .check("default.jsonSchema", blog)
                .answer(intro)
                .verdict(true)
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("Successfully validated"))));
        rows.add(row(s, "should return a false verdict for invalid JSON in response text")
                .check("default.jsonSchema", keySchema)
                .answer(
                        "adding some text before this ```json\n{\"key1\": \"value\"}\n```\n and adding some text after {\"key\":\"value")
                .verdict(false)
                .also(o -> {
                    assertTrue(o.data().path("explanation").asText().contains("Failed to validate"));
                    assertTrue(o.data().path("validationErrors").isArray());
                }));
        rows.add(row(s, "should return explanation when no valid JSON is found")
                .check("default.jsonSchema", keySchema)
                .answer("This is just plain text with no JSON")
                .verdict(false)
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("No valid JSON found"))));
        String profile =
                "{\n  \"user\": {\n    \"name\": \"John Doe\",\n    \"contact\": {\n      \"email\": \"john@example.com\",\n"
                        + "      \"phone\": {\n        \"country\": \"+1\",\n        \"number\": \"555-0123\"\n      }\n    },\n"
                        + "    \"preferences\": {\n      \"theme\": \"dark\",\n      \"notifications\": true\n    }\n  }\n}";
        rows.add(row(s, "should validate nested JSON structures")
                .check("default.jsonSchema", "{'schema':" + NESTED_SCHEMA.replace('"', '\'') + ",'not':false}")
                .answer("Here's a complex user profile:\n```json\n" + profile
                        + "\n```\nAnd that's all the user information we have.")
                .verdict(true)
                .dataIs(null)
                .also(o -> assertEquals(Json.parse(profile), o.data().get("matchedJson"))));
        String invalid =
                "{\n  \"user\": {\n    \"name\": \"John Doe\",\n    \"contact\": {\n      \"email\": \"invalid-email\",\n"
                        + "      \"phone\": {\n        \"country\": \"+1\"\n      }\n    },\n    \"preferences\": {\n"
                        + "      \"theme\": \"invalid-theme\",\n      \"notifications\": \"not-a-boolean\"\n    }\n  }\n}";
        rows.add(row(s, "should fail validation for invalid nested JSON")
                .check("default.jsonSchema", "{'schema':" + NESTED_SCHEMA.replace('"', '\'') + ",'not':false}")
                .answer("Let me show you the user profile with some invalid data:\n```json\n" + invalid
                        + "\n```\nAs you can see, there are several validation issues in this profile.")
                .verdict(false)
                .note("adapted: the error messages are this validator's words; the four places must be named")
                .also(o -> {
                    assertTrue(o.data().path("explanation").asText().contains("Failed to validate"));
                    String errors = o.data().path("validationErrors").toString();
                    for (String place : List.of("email", "number", "theme", "notifications")) {
                        assertTrue(errors.contains(place), place + " in " + errors);
                    }
                }));
    }

    private static void jsonKeys(List<Row> rows) {
        String s = "jsonKeys handler";
        String two = "{\"key1\": \"value1\", \"key2\": \"value2\"}";
        rows.add(row(s, "should validate JSON with \"any\" operator and find match")
                .check("default.jsonKeys", "{'keys':['key1','key3'],'operator':'any','not':false}")
                .answer(two)
                .verdict(true)
                .dataIs("{\"matchedJson\":{\"key1\":\"value1\",\"key2\":\"value2\"},\"verdict\":true,\"explanation\":"
                        + "\"Successfully found at least one required key. Found keys: [key1].\",\"presentKeys\":[\"key1\"],"
                        + "\"missingKeys\":[\"key3\"],\"operator\":\"any\",\"textExcerpt\":"
                        + Json.text(Json.valueToTree(two)) + "}"));
        rows.add(row(s, "should validate JSON with \"all\" operator and find all keys")
                .check("default.jsonKeys", "{'keys':['key1','key2'],'operator':'all','not':false}")
                .answer(two)
                .verdict(true)
                .dataIs("{\"matchedJson\":{\"key1\":\"value1\",\"key2\":\"value2\"},\"verdict\":true,\"explanation\":"
                        + "\"Successfully found all required keys. Found keys: [key1, key2].\",\"presentKeys\":[\"key1\",\"key2\"],"
                        + "\"missingKeys\":[],\"operator\":\"all\",\"textExcerpt\":" + Json.text(Json.valueToTree(two))
                        + "}"));
        rows.add(row(s, "should validate JSON with \"none\" operator and find no matches")
                .check("default.jsonKeys", "{'keys':['key3','key4'],'operator':'none','not':false}")
                .answer(two)
                .verdict(true)
                .dataIs("{\"matchedJson\":{\"key1\":\"value1\",\"key2\":\"value2\"},\"verdict\":true,\"explanation\":"
                        + "\"Successfully verified no required keys are present. Missing keys: [key3, key4].\",\"presentKeys\":[],"
                        + "\"missingKeys\":[\"key3\",\"key4\"],\"operator\":\"none\",\"textExcerpt\":"
                        + Json.text(Json.valueToTree(two)) + "}"));
        rows.add(row(s, "should handle JSON in code blocks")
                .check("default.jsonKeys", "{'keys':['key1'],'operator':'any','not':false}")
                .answer("```json\n" + two + "\n```")
                .verdict(true)
                .data("{'matchedJson':{'key1':'value1','key2':'value2'},'presentKeys':['key1']}"));
        rows.add(row(s, "should handle multiple JSON objects and find best match")
                .check("default.jsonKeys", "{'keys':['key2','key3'],'operator':'all','not':false}")
                .answer("{\"key1\": \"value1\"} {\"key2\": \"value2\", \"key3\": \"value3\"}")
                .verdict(true)
                .data("{'matchedJson':{'key2':'value2','key3':'value3'},'presentKeys':['key2','key3']}"));
        rows.add(row(s, "should handle missing text")
                .check("default.jsonKeys", "{'keys':['key1'],'operator':'any','not':false}")
                .answer("")
                .error("Missing text to analyze"));
        rows.add(row(s, "should handle missing keys array")
                .check("default.jsonKeys", "{'operator':'any','not':false}")
                .answer("{\"key1\": \"value1\"}")
                .rejected("keys")
                .note("build"));
        rows.add(row(s, "should handle invalid operator")
                .check("default.jsonKeys", "{'keys':['key1'],'operator':'invalid','not':false}")
                .answer("{\"key1\": \"value1\"}")
                .rejected("operator")
                .note("build"));
        rows.add(row(s, "should handle no valid JSON in text")
                .check("default.jsonKeys", "{'keys':['key1'],'operator':'any','not':false}")
                .answer("This is just plain text with no JSON")
                .verdict(false)
                .dataIs(
                        "{\"explanation\":\"No valid JSON found in the text.\",\"requiredKeys\":[\"key1\"],\"operator\":\"any\","
                                + "\"textExcerpt\":\"This is just plain text with no JSON\"}"));
    }

    private static void contains(List<Row> rows) {
        String s = "contains handler";
        String text = "adding some text before this word1 and adding some text after";
        rows.add(row(s, "should return true verdict and correct data for any word in response text")
                .check("default.contains", "{'words':['word1','word2'],'operator':'any','not':false}")
                .answer(text)
                .verdict(true)
                .dataIs(contains(
                        "Check passed for 'any' words. At least one word was found.",
                        "[\"word1\"]",
                        "[\"word2\"]",
                        "any")));
        rows.add(row(s, "should return false verdict and correct data for all words in response text")
                .check("default.contains", "{'words':['word1','word2'],'operator':'all','not':false}")
                .answer(text)
                .verdict(false)
                .dataIs(contains(
                        "Check failed for 'all' words. Some words were missing.",
                        "[\"word1\"]",
                        "[\"word2\"]",
                        "all")));
        rows.add(row(s, "should return true verdict and correct data for none of the words in response text")
                .check("default.contains", "{'words':['word2','word3'],'operator':'none','not':false}")
                .answer(text)
                .verdict(true)
                .dataIs(contains(
                        "Check passed for 'none' words. No words were found.", "[]", "[\"word2\",\"word3\"]", "none")));
        rows.add(row(s, "should handle empty word list")
                .check("default.contains", "{'words':[],'operator':'any','not':false}")
                .answer("some text")
                .verdict(false)
                .dataIs(contains("Check failed for 'any' words. No words were found.", "[]", "[]", "any")));
        rows.add(row(s, "should handle case sensitivity")
                .check("default.contains", "{'words':['text','word1'],'operator':'all','not':false}")
                .answer("Adding some TEXT before this Word1 and adding some text after")
                .verdict(false)
                .dataIs(contains(
                        "Check failed for 'all' words. Some words were missing.", "[\"text\"]", "[\"word1\"]", "all")));
    }

    private static String contains(String explanation, String found, String missing, String operator) {
        return "{\"explanation\":\"" + explanation + "\",\"foundWords\":" + found + ",\"missingWords\":" + missing
                + ",\"operator\":\"" + operator + "\"}";
    }

    /** Answers as the DNS did for the file's hosts: example.com and google.com resolve, the made-up ones do not. */
    private static final ValidUrlsCheck DNS =
            new ValidUrlsCheck(host -> Set.of("example.com", "google.com").contains(host));

    private static void validUrls(List<Row> rows) {
        String s = "validUrls handler";
        String dns = "adapted: a local resolver answers for the file's hosts";
        rows.add(
                row(s, "should return true verdict for valid URLs in response text")
                        .using(DNS)
                        .note(dns)
                        .check("default.validUrls", "{'onlyDNS':true,'not':false}")
                        .answer("Check out https://example.com and https://google.com")
                        .verdict(true)
                        .data(
                                "{'verdict':true,'validationMethod':'DNS lookup','validUrls':['https://example.com','https://google.com'],'invalidUrls':[]}"));
        rows.add(
                row(s, "should return false verdict for invalid URLs")
                        .using(DNS)
                        .note(dns)
                        .check("default.validUrls", "{'onlyDNS':true,'not':false}")
                        .answer("Check out https://invalid-domain-123456.com")
                        .verdict(false)
                        .data(
                                "{'verdict':false,'validationMethod':'DNS lookup','validUrls':[],'invalidUrls':['https://invalid-domain-123456.com']}"));
        rows.add(row(s, "should handle text with no URLs")
                .using(DNS)
                .check("default.validUrls", "{'onlyDNS':false,'not':false}")
                .answer("This text contains no URLs")
                .verdict(false)
                .data("{'explanation':'No URLs found in the text.','urls':[],'validationMethod':'HTTP request'}"));
        rows.add(row(s, "should handle empty text")
                .using(DNS)
                .check("default.validUrls", "{'onlyDNS':false,'not':false}")
                .answer("")
                .error("Missing text to analyze"));
        rows.add(row(s, "should handle malformed URLs")
                .using(DNS)
                .note(dns)
                .check("default.validUrls", "{'onlyDNS':true,'not':false}")
                .answer(
                        "Check out https://malformed.123 and http://this-is-definitely-invalid-12345.com/path?invalid=true#bad")
                .verdict(false)
                .data("{'verdict':false,'validationMethod':'DNS lookup','validUrls':[],"
                        + "'invalidUrls':['https://malformed.123','http://this-is-definitely-invalid-12345.com/path?invalid=true#bad'],"
                        + "'explanation':'Some URLs are invalid (2 of 2 failed).'}"));
        rows.add(row(s, "should handle URLs with query parameters and fragments")
                .using(DNS)
                .note(dns)
                .check("default.validUrls", "{'onlyDNS':true,'not':false}")
                .answer("Check out https://example.com/path?param=1#section")
                .verdict(true)
                .data("{'validationMethod':'DNS lookup','validUrls':['https://example.com/path?param=1#section']}"));
        rows.add(
                row(s, "should handle multiple URLs with mixed validity")
                        .using(DNS)
                        .note(dns)
                        .check("default.validUrls", "{'onlyDNS':true,'not':false}")
                        .answer("Valid: https://example.com Invalid: https://invalid-domain-123456.com")
                        .verdict(false)
                        .data(
                                "{'verdict':false,'validationMethod':'DNS lookup','validUrls':['https://example.com'],"
                                        + "'invalidUrls':['https://invalid-domain-123456.com'],'explanation':'Some URLs are invalid (1 of 2 failed).'}"));
        String local = server == null ? "" : server.uri("/ok").toString();
        rows.add(row(s, "should handle HTTP validation mode")
                .note("adapted: the URL is a local server answering 200, allowed by allowPrivateAddresses")
                .check("default.validUrls", "{'onlyDNS':false,'not':false,'allowPrivateAddresses':true}")
                .answer("Check out " + local)
                .verdict(true)
                .data("{'validationMethod':'HTTP request','textExcerpt':'Check out " + local + "'}"));
        String longText = "Here's a very long text " + "-".repeat(200)
                + " with a URL https://example.com in the middle " + "-".repeat(200);
        rows.add(row(s, "should handle very long text with URLs")
                .using(DNS)
                .note(dns)
                .check("default.validUrls", "{'onlyDNS':true,'not':false}")
                .answer(longText)
                .verdict(true)
                .also(o -> {
                    String excerpt = o.data().path("textExcerpt").asText();
                    assertTrue(excerpt.length() <= 103 && excerpt.endsWith("..."), excerpt);
                    assertTrue(o.data().path("validUrls").toString().contains("https://example.com"));
                }));
    }

    private static void sentenceCount(List<Row> rows) {
        String s = "sentenceCount handler";
        String two = "This is a sentence. This is another sentence.";
        rows.add(row(s, "should return true verdict for sentence count within range")
                .check("default.sentenceCount", "{'minSentences':1,'maxSentences':3,'not':false}")
                .answer(two)
                .verdict(true)
                .dataIs(q("{'sentenceCount':2,'minCount':1,'maxCount':3,'not':false,'verdict':true,"
                        + "'explanation':'The sentence count (2) is within the specified range of 1 to 3.','textExcerpt':'"
                        + two + "'}")));
        rows.add(row(s, "should return false verdict for sentence count outside range")
                .check("default.sentenceCount", "{'minSentences':3,'maxSentences':4,'not':false}")
                .answer(two)
                .verdict(false)
                .dataIs(q("{'sentenceCount':2,'minCount':3,'maxCount':4,'not':false,'verdict':false,"
                        + "'explanation':'The sentence count (2) is outside the specified range of 3 to 4.','textExcerpt':'"
                        + two + "'}")));
        rows.add(row(s, "should handle long text by truncating excerpt")
                .check("default.sentenceCount", "{'minSentences':1,'maxSentences':30,'not':false}")
                .answer("This is a sentence. ".repeat(20))
                .verdict(true)
                .also(o -> assertTrue(o.data().path("textExcerpt").asText().endsWith("...")
                        && o.data().path("textExcerpt").asText().length() <= 103)));
        rows.add(row(s, "should return error for missing sentence count range")
                .check("default.sentenceCount", "{}")
                .answer("This is a sentence.")
                .verdict(true)
                .data("{'sentenceCount':1,'minCount':0,'maxCount':99999}")
                .note("difference: absent bounds take the manifest's defaults 0 and 99999; Portkey's handler errors"));
        rows.add(
                row(s, "should handle empty text")
                        .check("default.sentenceCount", "{'minSentences':1,'maxSentences':3,'not':false}")
                        .answer("")
                        .verdict(false)
                        .dataIs(
                                q(
                                        "{'sentenceCount':0,'minCount':1,'maxCount':3,'not':false,'verdict':false,"
                                                + "'explanation':'The sentence count (0) is outside the specified range of 1 to 3.','textExcerpt':''}")));
    }

    private static void containsCode(List<Row> rows) {
        String s = "containsCode handler";
        rows.add(
                row(s, "should detect code blocks with matching format")
                        .check("default.containsCode", "{'format':'Python','not':false}")
                        .answer("```py\nprint(\"Hello World\")\n```")
                        .verdict(true)
                        .dataIs(
                                "{\"explanation\":\"Found code block(s) in Python format\",\"searchedFormat\":\"Python\",\"not\":false,"
                                        + "\"foundFormats\":[\"Python\"],\"textExcerpt\":\"```py\\nprint(\\\"Hello World\\\")\\n```\"}"));
        rows.add(
                row(s, "should return false for non-matching language")
                        .check("default.containsCode", "{'format':'Python','not':false}")
                        .answer("```js\nconsole.log(\"Hello\");\n```")
                        .verdict(false)
                        .dataIs(
                                "{\"explanation\":\"No code blocks in Python format found\",\"searchedFormat\":\"Python\",\"not\":false,"
                                        + "\"foundFormats\":[\"JavaScript\"],\"textExcerpt\":\"```js\\nconsole.log(\\\"Hello\\\");\\n```\"}"));
        rows.add(row(s, "should handle text without code blocks")
                .check("default.containsCode", "{'format':'Python','not':false}")
                .answer("This is just plain text")
                .verdict(false)
                .dataIs(q("{'explanation':'No code blocks found in the text','searchedFormat':'Python','not':false,"
                        + "'foundFormats':[],'textExcerpt':'This is just plain text'}")));
        rows.add(row(s, "should handle missing format parameter")
                .check("default.containsCode", "{}")
                .answer("```py\nprint(\"Hello\")\n```")
                .rejected("format")
                .note("build"));
        rows.add(row(s, "should handle multiple code blocks")
                .check("default.containsCode", "{'format':'Python','not':false}")
                .answer("```py\nprint(\"Hello\")\n```\n```js\nconsole.log(\"Hi\");\n```")
                .verdict(true)
                .data("{'explanation':'Found code block(s) in Python format','searchedFormat':'Python','not':false,"
                        + "'foundFormats':['Python','JavaScript']}")
                .also(o -> assertTrue(o.data().path("textExcerpt").asText().contains("```py\nprint(\"Hello\")\n```"))));
        rows.add(row(s, "should handle empty text")
                .check("default.containsCode", "{'format':'Python','not':false}")
                .answer("")
                .error("No text content to analyze"));
    }

    private static void wordCount(List<Row> rows) {
        String s = "wordCount handler";
        String seven = "This is a sentence with 7 words.";
        rows.add(row(s, "should return true verdict and data for word count within range")
                .check("default.wordCount", "{'minWords':5,'maxWords':8,'not':false}")
                .answer(seven)
                .verdict(true)
                .dataIs(q("{'wordCount':7,'minWords':5,'maxWords':8,'not':false,'verdict':true,'explanation':"
                        + "'The text contains 7 words, which is within the specified range of 5-8 words.','textExcerpt':'"
                        + seven + "'}")));
        rows.add(row(s, "should return false verdict and data for word count outside range")
                .check("default.wordCount", "{'minWords':10,'maxWords':15,'not':false}")
                .answer(seven)
                .verdict(false)
                .dataIs(q("{'wordCount':7,'minWords':10,'maxWords':15,'not':false,'verdict':false,'explanation':"
                        + "'The text contains 7 words, which is outside the specified range of 10-15 words.','textExcerpt':'"
                        + seven + "'}")));
        rows.add(row(s, "should handle long text by truncating excerpt")
                .check("default.wordCount", "{'minWords':40,'maxWords':60,'not':false}")
                .answer("word ".repeat(50))
                .verdict(true)
                .data("{'wordCount':50}")
                .also(o -> assertTrue(o.data().path("textExcerpt").asText().endsWith("..."))));
        rows.add(row(s, "should handle missing text")
                .check("default.wordCount", "{'minWords':1,'maxWords':5,'not':false}")
                .answer("")
                .error("Missing text to analyze"));
        rows.add(row(s, "should handle invalid word count range")
                .check("default.wordCount", "{'minWords':'invalid','maxWords':5,'not':false}")
                .answer("This is a test.")
                .rejected("minWords")
                .note("build"));
        rows.add(row(s, "should handle missing word count parameters")
                .check("default.wordCount", "{}")
                .answer("This is a test.")
                .verdict(true)
                .data("{'wordCount':4,'minWords':0,'maxWords':99999}")
                .note("difference: absent bounds take the manifest's defaults 0 and 99999; Portkey's handler errors"));
        rows.add(row(s, "should handle text with only whitespace")
                .check("default.wordCount", "{'minWords':1,'maxWords':10,'not':false}")
                .answer("   \n\t   ")
                .error("Missing text to analyze"));
    }

    private static void webhook(List<Row> rows) {
        String s = "webhook handler";
        String local = "adapted: a local webhook answers as the file's val.run endpoints";
        String stale = "; stale: the file expects the headers in requestContext, which the handler does not put there";
        rows.add(row(s, "should handle a successful webhook call")
                .note(local + stale)
                .check(
                        "default.webhook",
                        "{'webhookURL':'" + server.uri("/true")
                                + "','headers':'{\\'Authorization\\': \\'Bearer test-token\\'}','not':false}")
                .verdict(true)
                .data("{'verdict':true,'explanation':'Webhook request succeeded','requestContext':{'timeout':3000}}")
                .also(o -> assertEquals(
                        "Bearer test-token",
                        server.received.get(server.received.size() - 1).header("authorization"))));
        rows.add(row(s, "should handle a failed webhook call")
                .note(local + stale)
                .check(
                        "default.webhook",
                        "{'webhookURL':'" + server.uri("/false")
                                + "','headers':'{\\'Authorization\\': \\'Bearer test-token\\'}','not':false}")
                .verdict(false)
                .data("{'verdict':false,'explanation':'Webhook request failed','requestContext':{'timeout':3000}}"));
        rows.add(row(s, "should handle missing webhook URL")
                .check("default.webhook", "{'headers':'{\\'Authorization\\': \\'Bearer test-token\\'}','not':false}")
                .rejected("webhookURL")
                .note("build"));
        rows.add(row(s, "should handle invalid webhook URL format")
                .check(
                        "default.webhook",
                        "{'webhookURL':'not-a-url','headers':'{\\'Authorization\\': \\'Bearer test-token\\'}','not':false}")
                .rejected("webhookURL")
                .note("build"));
        rows.add(row(s, "should handle invalid headers format")
                .check(
                        "default.webhook",
                        "{'webhookURL':'" + server.uri("/true") + "','headers':'{invalid json}','not':false}")
                .rejected("headers")
                .note("build"));
        rows.add(row(s, "should handle when the webhooks returns an error")
                .note(local)
                .check(
                        "default.webhook",
                        "{'webhookURL':'" + server.uri("/error")
                                + "','headers':'{\\'Authorization\\': \\'Bearer test-token\\'}','not':false}")
                .error("HTTP error! status: 500"));
    }

    private static void log(List<Row> rows) {
        rows.add(row("log handler", "should log details to a URL")
                .note("adapted: a local log endpoint answers JSON")
                .check(
                        "default.log",
                        "{'logURL':'" + server.uri("/log")
                                + "','headers':'{\\'Authorization\\': \\'this is some secret\\'}','not':false}")
                .answer(
                        "adding some text before this ```json\n{\"key1\": \"value\"}\n```\n and adding some text after {\"key\":\"value\"}")
                .verdict(true));
    }

    private static void letterCase(List<Row> rows) {
        for (boolean upper : new boolean[] {true, false}) {
            String s = upper ? "allUppercase handler" : "allLowercase handler";
            String id = upper ? "default.alluppercase" : "default.alllowercase";
            String all = upper ? "THIS IS ALL UPPERCASE TEXT!" : "this is all lowercase text!";
            String wording = upper ? "uppercase" : "lowercase";
            String other = upper ? "lowercase" : "uppercase";
            rows.add(row(s, "should return true verdict and data for all " + wording + " text")
                    .check(id, "{'not':false}")
                    .answer(all)
                    .verdict(true)
                    .dataIs(q("{'verdict':true,'not':false,'explanation':'All alphabetic characters in the text are "
                            + wording + ".','textExcerpt':'" + all + "'}")));
            rows.add(row(s, "should return false verdict and data for mixed case text")
                    .check(id, "{'not':false}")
                    .answer("This Has Mixed Case.")
                    .verdict(false)
                    .dataIs(q("{'verdict':false,'not':false,'explanation':" + "'The text contains " + other
                            + " characters.','textExcerpt':'This Has Mixed Case.'}")));
            rows.add(row(s, "should handle long text by truncating excerpt")
                    .check(id, "{'not':false}")
                    .answer((upper ? "A" : "a").repeat(150))
                    .verdict(true)
                    .also(o -> assertTrue(o.data().path("textExcerpt").asText().endsWith("..."))));
            rows.add(row(s, "should handle empty text")
                    .check(id, "{'not':false}")
                    .answer("")
                    .error("Missing text to analyze"));
            rows.add(row(s, "should handle text with only non-letter characters")
                    .check(id, "{'not':false}")
                    .answer("123 !@#$%")
                    .verdict(true)
                    .dataIs(q(
                            "{'verdict':true,'not':false,'explanation':" + "'All alphabetic characters in the text are "
                                    + wording + ".','textExcerpt':'123 !@#$%'}")));
        }
    }

    private static void modelWhitelist(List<Row> rows) {
        String s = "modelWhitelist handler";
        rows.add(row(s, "should return true verdict when the model requested is part of the whitelist")
                .check("default.modelWhitelist", "{'models':['gemini-1.5-flash-001'],'not':false}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'gemini-1.5-flash-001'}"))
                .verdict(true)
                .dataIs(q("{'verdict':true,'not':false,'explanation':'Model \\\"gemini-1.5-flash-001\\\" is allowed.',"
                                + "'requestedModel':'gemini-1.5-flash-001','allowedModels':['gemini-1.5-flash-001']}")
                        .replace("\\\"", "\\\"")));
        rows.add(
                row(s, "should return false verdict when the model requested is not part of the whitelist")
                        .check("default.modelWhitelist", "{'models':['gemini-1.5-flash-001'],'not':false}")
                        .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'gemini-1.5-pro-001'}"))
                        .verdict(false)
                        .dataIs(
                                "{\"verdict\":false,\"not\":false,\"explanation\":\"Model \\\"gemini-1.5-pro-001\\\" is not in the allowed list.\","
                                        + "\"requestedModel\":\"gemini-1.5-pro-001\",\"allowedModels\":[\"gemini-1.5-flash-001\"]}"));
        rows.add(row(s, "should handle missing model whitelist")
                .check("default.modelWhitelist", "{}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'gemini-1.5-pro-001'}"))
                .rejected("models")
                .note("build"));
        rows.add(row(s, "should handle missing model in request")
                .check("default.modelWhitelist", "{'models':['gemini-1.5-flash-001'],'not':false}")
                .before(Endpoint.CHAT_COMPLETIONS, "{}")
                .error("Missing model in request"));
    }

    private static void characterCount(List<Row> rows) {
        String s = "characterCount handler";
        rows.add(row(s, "should return true verdict and data for character count within range")
                .check("default.characterCount", "{'minCharacters':10,'maxCharacters':20,'not':false}")
                .answer("This is a test.")
                .verdict(true)
                .dataIs(q("{'characterCount':15,'minCharacters':10,'maxCharacters':20,'not':false,'verdict':true,"
                        + "'explanation':'The text contains 15 characters, which is within the specified range of 10-20 characters.',"
                        + "'textExcerpt':'This is a test.'}")));
        String longer = "This is a very long test that exceeds the limit.";
        rows.add(row(s, "should return false verdict and data for character count outside range")
                .check("default.characterCount", "{'minCharacters':10,'maxCharacters':20,'not':false}")
                .answer(longer)
                .verdict(false)
                .dataIs(q("{'characterCount':48,'minCharacters':10,'maxCharacters':20,'not':false,'verdict':false,"
                        + "'explanation':'The text contains 48 characters, which is outside the specified range of 10-20 characters.',"
                        + "'textExcerpt':'" + longer + "'}")));
        rows.add(row(s, "should handle long text by truncating excerpt")
                .check("default.characterCount", "{'minCharacters':100,'maxCharacters':200,'not':false}")
                .answer("a".repeat(150))
                .verdict(true)
                .data("{'characterCount':150}"));
        rows.add(row(s, "should handle empty text")
                .check("default.characterCount", "{'minCharacters':1,'maxCharacters':10,'not':false}")
                .answer("")
                .error("Missing text to analyze"));
        rows.add(
                row(s, "should handle missing character count parameters")
                        .check("default.characterCount", "{}")
                        .answer("This is a test.")
                        .verdict(true)
                        .data("{'characterCount':15,'minCharacters':0,'maxCharacters':9999999}")
                        .note(
                                "difference: absent bounds take the manifest's defaults 0 and 9999999; Portkey's handler errors"));
        rows.add(row(s, "should handle text with only whitespace")
                .check("default.characterCount", "{'minCharacters':1,'maxCharacters':10,'not':false}")
                .answer("   \n\t   ")
                .verdict(true)
                .dataIs("{\"explanation\":\"The text contains 8 characters, which is within the specified range of "
                        + "1-10 characters.\",\"minCharacters\":1,\"maxCharacters\":10,\"not\":false,\"textExcerpt\":\"   \\n\\t   \","
                        + "\"verdict\":true,\"characterCount\":8}"));
    }

    private static void endsWith(List<Row> rows) {
        String s = "endsWith handler";
        rows.add(
                row(s, "should return true verdict and data when text ends with suffix")
                        .check("default.endsWith", "{'suffix':'HarryPortkey','not':false}")
                        .answer("This is a test ending with HarryPortkey")
                        .verdict(true)
                        .dataIs(
                                "{\"suffix\":\"HarryPortkey\",\"not\":false,\"verdict\":true,\"explanation\":"
                                        + "\"The text ends with \\\"HarryPortkey\\\".\",\"textExcerpt\":\"This is a test ending with HarryPortkey\"}"));
        rows.add(row(s, "should return true verdict and data when text ends with suffix and period")
                .check("default.endsWith", "{'suffix':'HarryPortkey','not':false}")
                .answer("This is a test ending with HarryPortkey.")
                .verdict(true)
                .dataIs("{\"suffix\":\"HarryPortkey\",\"not\":false,\"verdict\":true,\"explanation\":"
                        + "\"The text ends with \\\"HarryPortkey\\\" (including trailing period).\",\"textExcerpt\":"
                        + "\"This is a test ending with HarryPortkey.\"}"));
        rows.add(
                row(s, "should return false verdict and data when text does not end with suffix")
                        .check("default.endsWith", "{'suffix':'HarryPortkey','not':false}")
                        .answer("This is a test ending with something else")
                        .verdict(false)
                        .dataIs(
                                "{\"suffix\":\"HarryPortkey\",\"not\":false,\"verdict\":false,\"explanation\":"
                                        + "\"The text does not end with \\\"HarryPortkey\\\".\",\"textExcerpt\":\"This is a test ending with something else\"}"));
        rows.add(row(s, "should handle empty text")
                .check("default.endsWith", "{'suffix':'test','not':false}")
                .answer("")
                .error("Missing text to analyze"));
        rows.add(row(s, "should handle missing suffix parameter")
                .check("default.endsWith", "{}")
                .answer("This is a test.")
                .rejected("suffix")
                .note("build"));
        rows.add(row(s, "should handle empty suffix parameter")
                .check("default.endsWith", "{'suffix':'','not':false}")
                .answer("This is a test.")
                .rejected("suffix")
                .note("build"));
    }

    private static final String SAMPLE_JWT =
            "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpv"
                    + "aG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    private static void jwt(List<Row> rows) {
        String s = "jwt handler";
        String jwks = "{'jwksUri':'" + server.uri("/jwks") + "'";
        String sample =
                "adapted: a local JWKS; stale: the file's token (jwt.io's sample, no kid) verifies against no JWKS, "
                        + "and the handler reads request headers, not context.headers: it answers false";
        rows.add(row(s, "should validate a valid JWT token")
                .note(sample)
                .check("default.jwt", jwks + ",'headerKey':'Authorization'}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .header("authorization", SAMPLE_JWT)
                .verdict(false));
        rows.add(row(s, "should handle missing authorization header")
                .check("default.jwt", jwks + "}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .verdict(false)
                .note("stale: the handler answers false without an error ('Missing authorization header')"));
        rows.add(row(s, "should handle invalid authorization header format")
                .check("default.jwt", jwks + "}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .header("authorization", "InvalidFormat")
                .error("JWT validation error")
                .note("adapted: a local JWKS"));
        rows.add(row(s, "should handle missing JWKS URI")
                .check("default.jwt", "{}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .header("authorization", "Bearer valid.token.here")
                .rejected("jwksUri")
                .note("build"));
        rows.add(row(s, "should use custom header key from parameters")
                .note(sample)
                .check("default.jwt", jwks + ",'headerKey':'X-Custom-Auth'}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .header("x-custom-auth", SAMPLE_JWT)
                .verdict(false));
        rows.add(row(s, "should use environment variables when parameters not provided")
                .check("default.jwt", "{}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .header("x-env-auth", SAMPLE_JWT)
                .rejected("jwksUri")
                .note("build; stale: the handler reads no environment variable and errors 'Missing JWKS URI'"));
        rows.add(row(s, "should handle invalid JWKS URI")
                .check("default.jwt", "{'jwksUri':'http://127.0.0.1:9/keys'}")
                .before(Endpoint.CHAT_COMPLETIONS, q("{'model':'m','messages':[]}"))
                .header("authorization", "Bearer valid.token.here")
                .error("")
                .note("adapted: an unreachable local address"));
    }

    private static Row types(String suite, String name, Endpoint endpoint, String params) {
        return row(suite, name)
                .check("default.allowedRequestTypes", params)
                .before(endpoint, q("{'model':'m','messages':[]}"));
    }

    private static void allowedRequestTypes(List<Row> rows) {
        String s = "Allowed Request Types Plugin";
        rows.add(types(
                        s,
                        "should allow request when type is in allowed list",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'allowedTypes':['chatComplete','complete','embed']}")
                .verdict(true)
                .data("{'source':'parameters'}")
                .also(o -> assertTrue(
                        o.data().path("explanation").asText().contains("Request type \"chatComplete\" is allowed"))));
        rows.add(types(
                        s,
                        "should reject request when type is not in allowed list",
                        Endpoint.IMAGES_GENERATIONS,
                        "{'allowedTypes':['chatComplete','complete','embed']}")
                .verdict(false)
                .also(o -> assertTrue(
                        o.data().path("explanation").asText().contains("Request type \"imageGenerate\" is not allowed")
                                && o.data().path("explanation").asText().contains("chatComplete, complete, embed"))));
        rows.add(types(
                        s,
                        "should handle comma-separated string for allowedTypes",
                        Endpoint.EMBEDDINGS,
                        "{'allowedTypes':'chatComplete, complete, embed'}")
                .verdict(true)
                .data("{'allowedTypes':['chatComplete','complete','embed']}"));
        rows.add(types(
                        s,
                        "should handle streaming request types",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'allowedTypes':['stream-chatComplete','stream-complete']}")
                .verdict(false)
                .data("{'currentRequestType':'chatComplete'}")
                .note(
                        "adapted: a streamed chat request is 'chatComplete' in Portkey's runtime and here ('stream-chatComplete' "
                                + "exists only in the file's hand-made context)"));
        rows.add(types(s, "should use metadata when parameters are not provided", Endpoint.COMPLETIONS, "{}")
                .metadata("supported_endpoints", "complete, chatComplete")
                .verdict(true)
                .data("{'source':'metadata','allowedTypes':['complete','chatComplete']}"));
        rows.add(types(s, "should handle comma-separated string in metadata", Endpoint.EMBEDDINGS, "{}")
                .metadata("supported_endpoints", "embed, rerank, moderate")
                .verdict(true)
                .data("{'allowedTypes':['embed','rerank','moderate']}"));
        rows.add(types(
                        s,
                        "should prioritize parameters over metadata",
                        Endpoint.EMBEDDINGS,
                        "{'allowedTypes':['embed','rerank']}")
                .metadata("supported_endpoints", "complete, chatComplete")
                .verdict(true)
                .data("{'source':'parameters','allowedTypes':['embed','rerank']}"));
        rows.add(types(
                        s,
                        "should allow all request types when no allowed types are specified",
                        Endpoint.CHAT_COMPLETIONS,
                        "{}")
                .verdict(true)
                .data("{'allowedTypes':['all'],'source':'default'}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("no restrictions configured"))));
        rows.add(types(
                        s,
                        "should allow any request type when no restrictions are configured",
                        Endpoint.COMPLETIONS,
                        "{}")
                .verdict(true)
                .data("{'currentRequestType':'complete','allowedTypes':['all']}")
                .also(o -> {
                    for (Endpoint e : List.of(Endpoint.CHAT_COMPLETIONS, Endpoint.EMBEDDINGS)) {
                        CheckOutcome other = run(CHECKS.get("default.allowedRequestTypes"), Json.object(), e);
                        assertTrue(other.verdict()
                                && other.data()
                                        .path("currentRequestType")
                                        .asText()
                                        .equals(e.portkeyName()));
                    }
                })
                .note("adapted: 'messages' (Anthropic's endpoint) is not an endpoint here"));
        rows.add(row(s, "should handle missing requestType in context")
                .note("adapted: every request here has its type; "
                        + "the row checks the same parameters against an endpoint outside the list")
                .check("default.allowedRequestTypes", "{'allowedTypes':['chatComplete']}")
                .before(Endpoint.EMBEDDINGS, q("{'model':'m','input':'x'}"))
                .verdict(false));
        rows.add(types(
                        s,
                        "should handle multiple allowed types with rejection",
                        Endpoint.MODERATIONS,
                        "{'allowedTypes':['uploadFile','listFiles','retrieveFile','retrieveFileContent']}")
                .verdict(false)
                .note("adapted: 'deleteFile' is not an endpoint here; 'moderate' is outside the list as well")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("moderate")
                        && o.data().path("explanation").asText().contains("not allowed"))));
        rows.add(types(s, "should handle various endpoint types", Endpoint.COMPLETIONS, "{'allowedTypes':['complete']}")
                .verdict(true)
                .data("{'currentRequestType':'complete'}")
                .note("adapted: 'messages' is not an endpoint here")
                .also(o -> {
                    for (Endpoint e : List.of(Endpoint.CHAT_COMPLETIONS, Endpoint.EMBEDDINGS)) {
                        ObjectNode p = Json.object();
                        p.putArray("allowedTypes").add(e.portkeyName());
                        assertTrue(
                                run(CHECKS.get("default.allowedRequestTypes"), p, e)
                                        .verdict(),
                                e.portkeyName());
                    }
                }));
        rows.add(types(
                        s,
                        "should block request types in blocklist",
                        Endpoint.IMAGES_GENERATIONS,
                        "{'blockedTypes':['imageGenerate','createSpeech','deleteFile']}")
                .verdict(false)
                .data("{'mode':'blocklist','blockedTypes':['imageGenerate','createSpeech','deleteFile']}")
                .also(o -> assertTrue(
                        o.data().path("explanation").asText().contains("Request type \"imageGenerate\" is blocked"))));
        rows.add(types(
                        s,
                        "should allow request types not in blocklist",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'blockedTypes':['imageGenerate','createSpeech','deleteFile']}")
                .verdict(true)
                .data("{'mode':'blocklist'}")
                .also(o -> assertTrue(o.data()
                        .path("explanation")
                        .asText()
                        .contains("Request type \"chatComplete\" is allowed (not in blocklist)"))));
        rows.add(types(
                        s,
                        "should handle comma-separated string for blockedTypes",
                        Endpoint.EMBEDDINGS,
                        "{'blockedTypes':'imageGenerate, createSpeech, deleteFile'}")
                .verdict(true)
                .data("{'blockedTypes':['imageGenerate','createSpeech','deleteFile']}"));
        rows.add(types(s, "should use blocked_endpoints from metadata", Endpoint.COMPLETIONS, "{}")
                .metadata("blocked_endpoints", "complete,embed")
                .verdict(false)
                .data("{'source':'metadata','mode':'blocklist','blockedTypes':['complete','embed']}")
                .note("adapted: metadata values are strings here, so the file's array is written comma-separated"));
        rows.add(types(
                        s,
                        "should prioritize parameter blockedTypes over metadata",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'blockedTypes':['embed','messages']}")
                .metadata("blocked_endpoints", "chatComplete,complete")
                .verdict(true)
                .data("{'source':'parameters','blockedTypes':['embed','messages']}"));
        rows.add(types(
                        s,
                        "should allow combining allowedTypes and blockedTypes when no conflicts",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'allowedTypes':['chatComplete','complete','embed'],'blockedTypes':['imageGenerate','createSpeech']}")
                .verdict(true)
                .data("{'mode':'combined'}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("in allowlist and not blocked"))));
        rows.add(types(
                        s,
                        "should block types in blocklist even if in allowlist mode",
                        Endpoint.IMAGES_GENERATIONS,
                        "{'allowedTypes':['chatComplete','complete','embed'],'blockedTypes':['imageGenerate','createSpeech']}")
                .verdict(false)
                .data("{'mode':'combined'}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("explicitly blocked"))));
        rows.add(types(
                        s,
                        "should error when there are conflicts between allowedTypes and blockedTypes",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'allowedTypes':['chatComplete','complete','embed'],'blockedTypes':['complete','embed','imageGenerate']}")
                .rejected("blockedTypes")
                .note("build"));
        rows.add(types(
                        s,
                        "should handle blocklist with streaming endpoints",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'blockedTypes':['stream-chatComplete','stream-complete','stream-messages']}")
                .verdict(true)
                .note(
                        "adapted: a streamed chat request is 'chatComplete' in Portkey's runtime and here, so a block list of "
                                + "'stream-*' names blocks nothing"));
    }

    private static Row prefix(String suite, String name, String params, String requestJson) {
        return row(suite, name).check("default.addPrefix", params).before(Endpoint.CHAT_COMPLETIONS, q(requestJson));
    }

    private static void addPrefix(List<Row> rows) {
        String s = "addPrefix handler";
        rows.add(
                prefix(
                                s,
                                "should add prefix to user message with string content",
                                "{'prefix':'IMPORTANT: ','applyToRole':'user'}",
                                "{'model':'gpt-4','messages':[{'role':'system','content':'You are a helpful assistant.'},{'role':'user','content':'Hello, how are you?'}]}")
                        .verdict(true)
                        .transformed(true)
                        .requestAt("/messages/1/content", "\"IMPORTANT: Hello, how are you?\"")
                        .dataIs(
                                q(
                                        "{'prefix':'IMPORTANT: ','requestType':'chatComplete','applyToRole':'user','addToExisting':true,'onlyIfEmpty':false}")));
        rows.add(prefix(
                        s,
                        "should add prefix to system message",
                        "{'prefix':'CRITICAL: ','applyToRole':'system'}",
                        "{'model':'gpt-4','messages':[{'role':'system','content':'You are a helpful assistant.'},{'role':'user','content':'Hello!'}]}")
                .verdict(true)
                .transformed(true)
                .requestAt("/messages/0/content", "\"CRITICAL: You are a helpful assistant.\""));
        rows.add(prefix(
                        s,
                        "should create new user message when role does not exist",
                        "{'prefix':'PREFIX: ','applyToRole':'user'}",
                        "{'model':'gpt-4','messages':[{'role':'system','content':'You are a helpful assistant.'}]}")
                .verdict(true)
                .transformed(true)
                .requestAt("/messages/1", q("{'role':'user','content':'PREFIX: '}"))
                .also(o ->
                        assertEquals(2, o.transformedRequest().path("messages").size())));
        rows.add(prefix(
                        s,
                        "should create new system message at the beginning when role does not exist",
                        "{'prefix':'SYSTEM PREFIX: ','applyToRole':'system'}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'Hello!'}]}")
                .transformed(true)
                .requestAt("/messages/0", q("{'role':'system','content':'SYSTEM PREFIX: '}"))
                .also(o ->
                        assertEquals(2, o.transformedRequest().path("messages").size())));
        rows.add(prefix(
                        s,
                        "should insert new message before existing when addToExisting is false",
                        "{'prefix':'PREFIX: ','applyToRole':'user','addToExisting':false}",
                        "{'model':'gpt-4','messages':[{'role':'system','content':'You are a helpful assistant.'},{'role':'user','content':'Hello!'}]}")
                .transformed(true)
                .requestAt("/messages/1", q("{'role':'user','content':'PREFIX: '}"))
                .requestAt("/messages/2", q("{'role':'user','content':'Hello!'}"))
                .also(o ->
                        assertEquals(3, o.transformedRequest().path("messages").size())));
        rows.add(prefix(
                        s,
                        "should only add prefix if content is empty when onlyIfEmpty is true",
                        "{'prefix':'PREFIX: ','applyToRole':'user','onlyIfEmpty':true}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'Existing content'}]}")
                .transformed(true)
                .requestAt("/messages/0/content", "\"Existing content\""));
        rows.add(prefix(
                        s,
                        "should add prefix when content is empty and onlyIfEmpty is true",
                        "{'prefix':'PREFIX: ','applyToRole':'user','onlyIfEmpty':true}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':''}]}")
                .transformed(true)
                .requestAt("/messages/0/content", "\"PREFIX: \""));
        String m = "Messages (Anthropic format)";
        String chat = "adapted: sent as a chat completion";
        rows.add(prefix(
                        m,
                        "should add prefix to user message with array content",
                        "{'prefix':'IMPORTANT: ','applyToRole':'user'}",
                        "{'model':'claude-3-opus-20240229','messages':[{'role':'user','content':[{'type':'text','text':'Hello, Claude!'}]}]}")
                .note(chat)
                .verdict(true)
                .transformed(true)
                .requestAt("/messages/0/content/0/text", "\"IMPORTANT: Hello, Claude!\""));
        rows.add(prefix(
                        m,
                        "should add prefix to message with multiple content blocks",
                        "{'prefix':'PREFIX: ','applyToRole':'user'}",
                        "{'model':'claude-3-opus-20240229','messages':[{'role':'user','content':[{'type':'text','text':'First block'},"
                                + "{'type':'text','text':'Second block'}]}]}")
                .note(chat)
                .transformed(true)
                .requestAt("/messages/0/content/0/text", "\"PREFIX: First block\"")
                .requestAt("/messages/0/content/1/text", "\"Second block\""));
        rows.add(prefix(
                        m,
                        "should prepend prefix block when content array has non-text first element",
                        "{'prefix':'Analyze carefully: ','applyToRole':'user'}",
                        "{'model':'claude-3-opus-20240229','messages':[{'role':'user','content':[{'type':'image','source':{'type':'url',"
                                + "'url':'https://example.com/image.jpg'}},{'type':'text','text':'What is in this image?'}]}]}")
                .note(chat + "; stale: for the last message the handler writes the prefix into the first part's text, "
                        + "it adds no block (2 parts, not 3)")
                .transformed(true)
                .requestAt(
                        "/messages/0/content/0",
                        q("{'type':'image','source':{'type':'url',"
                                + "'url':'https://example.com/image.jpg'},'text':'Analyze carefully: '}"))
                .also(o -> assertEquals(
                        2, o.transformedRequest().at("/messages/0/content").size())));
        rows.add(prefix(
                        m,
                        "should create new message with array content when role does not exist",
                        "{'prefix':'User instruction: ','applyToRole':'user'}",
                        "{'model':'claude-3-opus-20240229','system':'You are a helpful assistant.','messages':[]}")
                .note(chat + ": the new message's content is a string, as Portkey writes it for chat")
                .transformed(true)
                .requestAt("/messages", q("[{'role':'user','content':'User instruction: '}]")));
        rows.add(prefix(
                        m,
                        "should not add prefix to non-empty array content when onlyIfEmpty is true",
                        "{'prefix':'PREFIX: ','applyToRole':'user','onlyIfEmpty':true}",
                        "{'model':'claude-3-opus-20240229','messages':[{'role':'user','content':[{'type':'text','text':'Existing content'}]}]}")
                .note(chat)
                .transformed(true)
                .requestAt("/messages/0/content", q("[{'type':'text','text':'Existing content'}]")));
        rows.add(prefix(
                        m,
                        "should insert new message before existing when addToExisting is false",
                        "{'prefix':'Prefix message','applyToRole':'user','addToExisting':false}",
                        "{'model':'claude-3-opus-20240229','messages':[{'role':'user','content':[{'type':'text','text':'Original message'}]}]}")
                .note(chat + ": the new message's content is a string, as Portkey writes it for chat")
                .transformed(true)
                .requestAt("/messages/0", q("{'role':'user','content':'Prefix message'}"))
                .requestAt("/messages/1/content", q("[{'type':'text','text':'Original message'}]")));
        rows.add(row("Regular Completion (complete)", "should add prefix to completion prompt")
                .check("default.addPrefix", "{'prefix':'IMPORTANT: '}")
                .before(
                        Endpoint.COMPLETIONS,
                        q("{'model':'gpt-3.5-turbo-instruct','prompt':'Write a story about a dog.'}"))
                .verdict(true)
                .transformed(true)
                .requestAt("/prompt", "\"IMPORTANT: Write a story about a dog.\""));
        String e = "Error Handling";
        rows.add(prefix(
                        e,
                        "should return error when prefix is missing",
                        "{}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'Hello!'}]}")
                .rejected("prefix")
                .note("build"));
        rows.add(prefix(
                        e,
                        "should return error when prefix is not a string",
                        "{'prefix':123}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'Hello!'}]}")
                .rejected("prefix")
                .note("build"));
        rows.add(row(e, "should return error when request JSON is missing")
                .check("default.addPrefix", "{'prefix':'PREFIX: '}")
                .before(Endpoint.CHAT_COMPLETIONS, null)
                .error("Request JSON is empty or missing"));
        rows.add(row(e, "should skip processing for afterRequestHook")
                .check("default.addPrefix", "{'prefix':'PREFIX: '}")
                .answer("Hello!")
                .rejected("")
                .note("difference: a check on a hook event it does not support is refused when "
                        + "the gateway is built; Portkey skips it"));
        rows.add(row(e, "should skip processing for unsupported request types")
                .check("default.addPrefix", "{'prefix':'PREFIX: '}")
                .before(Endpoint.EMBEDDINGS, q("{'model':'text-embedding-ada-002','input':'Hello world'}"))
                .verdict(true)
                .transformed(false)
                .dataIs("null"));
        String g = "Edge Cases";
        rows.add(prefix(
                        g,
                        "should handle multiple user messages and target the first one",
                        "{'prefix':'PREFIX: ','applyToRole':'user'}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'First message'},{'role':'assistant','content':'Response'},"
                                + "{'role':'user','content':'Second message'}]}")
                .transformed(true)
                .requestAt("/messages/0/content", "\"PREFIX: First message\"")
                .requestAt("/messages/2/content", "\"Second message\""));
        rows.add(prefix(
                        g,
                        "should handle assistant role prefix",
                        "{'prefix':'As an AI assistant: ','applyToRole':'assistant'}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'Hello'},{'role':'assistant','content':'Hi there!'}]}")
                .transformed(true)
                .requestAt("/messages/1/content", "\"As an AI assistant: Hi there!\""));
        rows.add(prefix(
                        g,
                        "should default applyToRole to user when not specified",
                        "{'prefix':'PREFIX: '}",
                        "{'model':'gpt-4','messages':[{'role':'user','content':'Hello!'}]}")
                .transformed(true)
                .data("{'applyToRole':'user'}")
                .requestAt("/messages/0/content", "\"PREFIX: Hello!\""));
        rows.add(prefix(
                        g,
                        "should preserve other message fields",
                        "{'prefix':'PREFIX: '}",
                        "{'model':'claude-3-opus-20240229','messages':[{'role':'user','content':[{'type':'text','text':'Hello!'}],"
                                + "'metadata':{'custom':'value'}}]}")
                .note(chat)
                .transformed(true)
                .requestAt("/messages/0/metadata", q("{'custom':'value'}")));
    }

    private static Row notNullRow(String name, Endpoint endpoint, String response, String params) {
        return row("Not Null Plugin", name)
                .check("default.notNull", params)
                .answerJson(endpoint, response == null ? null : q(response));
    }

    private static void notNull(List<Row> rows) {
        rows.add(notNullRow(
                        "should pass when response content exists",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':'Hello! How can I help you?'}}]}",
                        "{}")
                .verdict(true)
                .data("{'isNull':false}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("exists and is not null"))));
        rows.add(notNullRow(
                        "should fail when response content is null",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':null}}]}",
                        "{}")
                .verdict(false)
                .data("{'isNull':true}")
                .also(o -> assertTrue(o.data().path("explanation").asText().contains("null, undefined, or empty"))));
        rows.add(notNullRow(
                        "should fail when response content is empty string",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':''}}]}",
                        "{}")
                .verdict(false)
                .data("{'isNull':true}"));
        rows.add(notNullRow(
                        "should fail when response content is whitespace only",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':'   '}}]}",
                        "{}")
                .verdict(false)
                .data("{'isNull':true}"));
        rows.add(notNullRow(
                        "should invert check when not parameter is true",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':null}}]}",
                        "{'not':true}")
                .verdict(true)
                .data("{'isNull':true}"));
        rows.add(notNullRow(
                        "should fail inverted check when content exists",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':'Hello!'}}]}",
                        "{'not':true}")
                .verdict(false)
                .data("{'isNull':false}"));
        rows.add(notNullRow(
                        "should handle complete request type",
                        Endpoint.COMPLETIONS,
                        "{'choices':[{'text':'Generated text response'}]}",
                        "{}")
                .verdict(true)
                .data("{'isNull':false}"));
        rows.add(notNullRow(
                        "should fail when complete response text is null",
                        Endpoint.COMPLETIONS,
                        "{'choices':[{'text':null}]}",
                        "{}")
                .verdict(false)
                .data("{'isNull':true}"));
        rows.add(
                notNullRow(
                                "should handle messages request type",
                                Endpoint.CHAT_COMPLETIONS,
                                "{'choices':[{'message':{'role':'assistant','content':'Hello from Claude!'}}]}",
                                "{}")
                        .verdict(true)
                        .data("{'isNull':false}")
                        .note(
                                "adapted: answers here are OpenAI chat completions, so Anthropic's answer arrives with its text as content"));
        rows.add(notNullRow(
                        "should fail when messages response has empty content array",
                        Endpoint.CHAT_COMPLETIONS,
                        "{'choices':[{'message':{'role':'assistant','content':[]}}]}",
                        "{}")
                .verdict(false)
                .data("{'isNull':true}")
                .note("adapted: the empty content array sits in a chat completion"));
        rows.add(notNullRow("should handle streaming mode with no response json", Endpoint.CHAT_COMPLETIONS, null, "{}")
                .verdict(false)
                .data("{'isNull':true}"));
    }

    private static CheckOutcome run(GuardrailCheck check, ObjectNode params, Endpoint endpoint) {
        try {
            return check.prepare(params)
                    .check(CheckContext.builder(HookEvent.BEFORE_REQUEST, endpoint)
                            .request(Json.object().put("model", "m"))
                            .build());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theTableHasEveryCaseOfTheFileOnce() {
        assertEquals(153, cases().count(), "it(...) cases of default.test.ts at v1.15.2");
        assertEquals(153, cases().map(r -> r.suite + " › " + r.name).distinct().count(), "every case once");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void portkeysCase(Row row) throws Exception {
        GuardrailCheck check = row.using != null ? row.using : CHECKS.get(row.check);
        assertNotNull(check, row.check);
        ObjectNode params = (ObjectNode) Json.parse(row.params);
        if (row.buildErrorAt != null) {
            if (row.buildErrorAt.isEmpty()) {
                assertFalse(check.supportedEvents().contains(row.event), "refused for " + row.event);
                return;
            }
            InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> check.prepare(params));
            assertTrue(
                    e.problems().stream().map(ParameterProblem::parameter).anyMatch(p -> p.equals(row.buildErrorAt)),
                    e.problems().toString());
            return;
        }
        assertTrue(check.supportedEvents().contains(row.event), row.check + " supports " + row.event);
        PreparedCheck prepared = check.prepare(params);
        CheckContext.Builder b = CheckContext.builder(row.event, row.endpoint)
                .request(row.request)
                .provider("openai")
                .metadata(row.metadata)
                .requestHeaders(row.headers)
                .transport(TRANSPORT);
        if (row.responseSet) {
            b.response(row.response, 200);
        }
        CheckContext context = b.build();
        if (row.runError != null) {
            Exception e = assertThrows(Exception.class, () -> prepared.check(context));
            assertTrue(e.getMessage() != null && e.getMessage().contains(row.runError), e.toString());
            return;
        }
        CheckOutcome o = prepared.check(context);
        if (row.verdict != null) {
            assertEquals(row.verdict, o.verdict(), "verdict; data: " + o.data());
        }
        if (row.dataExact != null) {
            assertJsonEquals(Json.parse(row.dataExact), o.data() == null ? Json.parse("null") : o.data(), "data");
        }
        if (row.dataSubset != null) {
            assertSubset(Json.parse(q(row.dataSubset)), o.data(), "data");
        }
        if (row.transformed != null) {
            assertEquals(row.transformed, o.transformed(), "transformed");
        }
        for (String[] at : row.requestAt) {
            assertNotNull(o.transformedRequest(), "a rewritten request");
            assertEquals(Json.parse(at[1]), o.transformedRequest().at(at[0]), at[0] + " in " + o.transformedRequest());
        }
        for (String[] at : row.responseAt) {
            assertNotNull(o.transformedResponse(), "a rewritten response");
            assertEquals(Json.parse(at[1]), o.transformedResponse().at(at[0]), at[0]);
        }
        if (row.requestAt.isEmpty() && row.responseAt.isEmpty() && Boolean.FALSE.equals(row.transformed)) {
            assertNull(o.transformedRequest());
            assertNull(o.transformedResponse());
        }
        for (var a : row.extra) {
            a.accept(o);
        }
    }

    /** Jest's {@code toEqual}: the same JSON, numbers compared by value (1 and 1.0 are equal). */
    static void assertJsonEquals(JsonNode expected, JsonNode actual, String what) {
        java.util.Comparator<JsonNode> numeric = (a, b) ->
                a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;
        assertTrue(expected.equals(numeric, actual), what + ": expected " + expected + " but was " + actual);
    }

    /** Jest's {@code toMatchObject}: every expected field is there and matches; arrays match element for element. */
    static void assertSubset(JsonNode expected, JsonNode actual, String path) {
        if (expected.isObject()) {
            if (actual == null || !actual.isObject()) {
                fail(path + ": expected an object " + expected + ", found " + actual);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = expected.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode a = actual.get(f.getKey());
                if (a == null) {
                    fail(path + "." + f.getKey() + " missing in " + actual);
                }
                assertSubset(f.getValue(), a, path + "." + f.getKey());
            }
        } else if (expected.isArray()) {
            if (actual == null || !actual.isArray() || actual.size() != expected.size()) {
                fail(path + ": expected " + expected + ", found " + actual);
            }
            for (int i = 0; i < expected.size(); i++) {
                assertSubset(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else if (expected.isNumber() && actual != null && actual.isNumber()) {
            assertEquals(expected.doubleValue(), actual.doubleValue(), path);
        } else {
            assertEquals(expected, actual, path);
        }
    }

    static {
        // the rows that use the local server read its port while the table is built
        try {
            if (server == null) {
                start();
            }
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
