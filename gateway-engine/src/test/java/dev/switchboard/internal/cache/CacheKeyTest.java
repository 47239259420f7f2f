package dev.switchboard.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import org.junit.jupiter.api.Test;

/** Key canonicalisation: what must and must not change a cache key. */
class CacheKeyTest {
    private static ObjectNode json(String s) {
        return (ObjectNode) Json.parse(s);
    }

    private static final ObjectNode TARGET = json("{\"api_key\":\"sk-1\",\"custom_host\":\"http://a\"}");
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"temperature\":1,"
            + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String key(String provider, ObjectNode target, String body, String namespace) {
        return CacheKey.of(Endpoint.CHAT_COMPLETIONS, provider, target, json(body), namespace, false)
                .exact();
    }

    @Test
    void fieldOrderAndNumberSpellingDoNotChangeTheKey() {
        String reordered = "{\"messages\":[{\"content\":\"be brief\",\"role\":\"system\"},{\"content\":\"hi\","
                + "\"role\":\"user\"}],\"temperature\":1.0,\"model\":\"gpt-4o-mini\"}";
        assertEquals(key("openai", TARGET, BODY, null), key("openai", TARGET, reordered, null));
    }

    @Test
    void aDifferentModelProviderNamespaceOrHostChangesTheKey() {
        String base = key("openai", TARGET, BODY, null);
        assertNotEquals(base, key("openai", TARGET, BODY.replace("gpt-4o-mini", "gpt-4o"), null));
        assertNotEquals(base, key("groq", TARGET, BODY, null));
        assertNotEquals(base, key("openai", TARGET, BODY, "tenant-a"));
        assertNotEquals(base, key("openai", json("{\"api_key\":\"sk-1\",\"custom_host\":\"http://b\"}"), BODY, null));
        assertNotEquals(
                base,
                CacheKey.of(Endpoint.COMPLETIONS, "openai", TARGET, json(BODY), null, false)
                        .exact());
    }

    @Test
    void messageOrderIsPartOfTheKey() {
        String swapped = "{\"model\":\"gpt-4o-mini\",\"temperature\":1,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"},{\"role\":\"system\",\"content\":\"be brief\"}]}";
        assertNotEquals(key("openai", TARGET, BODY, null), key("openai", TARGET, swapped, null));
    }

    @Test
    void credentialsAndStreamFlagsDoNotChangeTheKey() {
        String base = key("openai", TARGET, BODY, null);
        assertEquals(base, key("openai", json("{\"api_key\":\"sk-2\",\"custom_host\":\"http://a\"}"), BODY, null));
        assertEquals(
                base,
                key(
                        "openai",
                        TARGET,
                        BODY.replace(
                                "{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""),
                        null));
    }

    @Test
    void theSemanticPartitionLeavesOutTheUserTextButKeepsTheSystemMessage() {
        CacheKey a = CacheKey.of(Endpoint.CHAT_COMPLETIONS, "openai", TARGET, json(BODY), null, true);
        CacheKey b = CacheKey.of(
                Endpoint.CHAT_COMPLETIONS, "openai", TARGET, json(BODY.replace("\"hi\"", "\"hello\"")), null, true);
        CacheKey c = CacheKey.of(
                Endpoint.CHAT_COMPLETIONS, "openai", TARGET, json(BODY.replace("be brief", "be long")), null, true);
        assertEquals(a.partition(), b.partition());
        assertNotEquals(a.exact(), b.exact());
        assertNotEquals(a.partition(), c.partition());
        assertEquals("user: hi\n", a.embeddedText());
    }

    @Test
    void aCompletionPromptIsTheEmbeddedText() {
        CacheKey k = CacheKey.of(
                Endpoint.COMPLETIONS,
                "openai",
                TARGET,
                json("{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\"}"),
                null,
                true);
        assertEquals("Say hi", k.embeddedText());
        CacheKey tokens = CacheKey.of(
                Endpoint.COMPLETIONS,
                "openai",
                TARGET,
                json("{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":[1,2,3]}"),
                null,
                true);
        assertNull(tokens.partition(), "token prompts have no text to embed");
    }

    @Test
    void canonicalJsonSortsKeysDropsNullsAndNormalisesNumbers() {
        assertEquals(
                "{\"a\":[2,1],\"b\":0.5,\"c\":10}",
                new String(CanonicalJson.bytes(json("{\"c\":1.0E1,\"x\":null,\"b\":0.50,\"a\":[2,1]}"))));
    }
}
