package dev.switchboard.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simple (exact) response cache through the whole gateway, against a local stub upstream. */
class ResponseCacheTest {
    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private StubUpstream stub;
    private ManualClock clock;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        clock = ManualClock.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String cache) {
        return Gateway.builder()
                .config("{" + (cache == null ? "" : "\"cache\":" + cache + ",")
                        + "\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\"}")
                .clock(clock)
                .build();
    }

    private static String status(GatewayResponse r) {
        return r.header("x-portkey-cache-status").orElseThrow();
    }

    static List<String> drain(GatewayResponse r) {
        List<String> data = new ArrayList<>();
        for (ServerSentEvent e : r.stream()) {
            data.add(e.data());
        }
        return data;
    }

    @Test
    void theSecondIdenticalRequestIsAHitAndNeverReachesTheProvider() {
        Gateway g = gateway("{\"mode\":\"simple\",\"max_age\":60}");
        GatewayResponse first = g.execute(GatewayRequest.chat(CHAT).build());
        GatewayResponse second = g.execute(GatewayRequest.chat(CHAT).build());
        assertEquals("MISS", status(first));
        assertEquals("HIT", status(second));
        assertEquals(200, second.status());
        assertEquals(first.json(), second.json());
        assertEquals(1, stub.hits());
        assertEquals(CacheStatus.HIT, second.trace().cacheStatus());
    }

    @Test
    void fieldOrderInTheRequestDoesNotMatterButTheModelDoes() {
        Gateway g = gateway("\"simple\"");
        g.execute(GatewayRequest.chat(CHAT).build());
        GatewayResponse reordered = g.execute(
                GatewayRequest.chat("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"gpt-4o-mini\"}")
                        .build());
        assertEquals("HIT", status(reordered));
        GatewayResponse otherModel = g.execute(
                GatewayRequest.chat(CHAT.replace("gpt-4o-mini", "gpt-4o")).build());
        assertEquals("MISS", status(otherModel));
        assertEquals(2, stub.hits());
    }

    @Test
    void aHitCostsNothingAndRecordsTheCostItSavedAndTheEntryThatServedIt() {
        Gateway g = gateway("\"simple\"");
        GatewayResponse miss = g.execute(GatewayRequest.chat(CHAT).build());
        GatewayResponse hit = g.execute(GatewayRequest.chat(CHAT).build());
        Attempt paid = miss.trace().attempts().get(0);
        Attempt a = hit.trace().attempts().get(0);
        assertEquals(1, hit.trace().attempts().size());
        assertEquals(200, a.status());
        assertEquals(Cost.ZERO, a.cost());
        assertTrue(paid.cost().known() && paid.cost().usd().compareTo(BigDecimal.ZERO) > 0, "the miss had a price");
        assertEquals(0, paid.cost().usd().compareTo(a.saved().usd()), "saved = what the miss cost");
        assertEquals(CacheStatus.HIT, a.cacheStatus());
        assertNull(a.usage(), "a hit spends no tokens");
        assertTrue(
                a.notes().stream().anyMatch(n -> n.startsWith("served from cache entry ")),
                a.notes().toString());
        assertEquals(0, hit.trace().totalCost().usd().compareTo(BigDecimal.ZERO));
    }

    @Test
    void anEntryExpiresAfterMaxAgeSecondsByTheInjectedClock() {
        Gateway g = gateway("{\"mode\":\"simple\",\"max_age\":60}");
        g.execute(GatewayRequest.chat(CHAT).build());
        clock.advance(Duration.ofSeconds(59));
        assertEquals("HIT", status(g.execute(GatewayRequest.chat(CHAT).build())));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("MISS", status(g.execute(GatewayRequest.chat(CHAT).build())));
        assertEquals(2, stub.hits());
    }

    @Test
    void forceRefreshCallsTheProviderAndReplacesTheEntry() {
        Gateway g = gateway("\"simple\"");
        stub.enqueue(StubResponse.chatCompletion("old"));
        g.execute(GatewayRequest.chat(CHAT).build());
        stub.enqueue(StubResponse.chatCompletion("new"));
        GatewayResponse refreshed = g.execute(GatewayRequest.chat(CHAT)
                .header("x-portkey-cache-force-refresh", "true")
                .build());
        assertEquals("REFRESH", status(refreshed));
        assertEquals(2, stub.hits());
        GatewayResponse after = g.execute(GatewayRequest.chat(CHAT).build());
        assertEquals("HIT", status(after));
        assertEquals(
                "new",
                after.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText());
    }

    @Test
    void namespacesIsolateEntries() {
        Gateway g = gateway("\"simple\"");
        g.execute(GatewayRequest.chat(CHAT)
                .header("x-portkey-cache-namespace", "tenant-a")
                .build());
        GatewayResponse b = g.execute(GatewayRequest.chat(CHAT)
                .header("x-portkey-cache-namespace", "tenant-b")
                .build());
        GatewayResponse none = g.execute(GatewayRequest.chat(CHAT).build());
        GatewayResponse a = g.execute(GatewayRequest.chat(CHAT)
                .header("x-portkey-cache-namespace", "tenant-a")
                .build());
        assertEquals("MISS", status(b));
        assertEquals("MISS", status(none));
        assertEquals("HIT", status(a));
        assertEquals(3, stub.hits());
    }

    @Test
    void errorsAreNeverCached() {
        Gateway g = gateway("\"simple\"");
        stub.enqueue(StubResponse.error(500, "boom"));
        stub.enqueue(StubResponse.error(429, "slow down"));
        assertEquals(500, g.execute(GatewayRequest.chat(CHAT).build()).status());
        assertEquals(429, g.execute(GatewayRequest.chat(CHAT).build()).status());
        GatewayResponse ok = g.execute(GatewayRequest.chat(CHAT).build());
        assertEquals(200, ok.status());
        assertEquals("MISS", status(ok));
        assertEquals(3, stub.hits());
        assertEquals("HIT", status(g.execute(GatewayRequest.chat(CHAT).build())));
    }

    @Test
    void withoutACacheConfigTheStatusIsDisabledAndNothingIsStored() {
        Gateway g = gateway(null);
        assertEquals("DISABLED", status(g.execute(GatewayRequest.chat(CHAT).build())));
        assertEquals("DISABLED", status(g.execute(GatewayRequest.chat(CHAT).build())));
        assertEquals(2, stub.hits());
    }

    @Test
    void anExplicitStreamFalseRequestIsCachedLikeAnyOther() {
        Gateway g = gateway("\"simple\"");
        String body = CHAT.replace("{\"model\"", "{\"stream\":false,\"model\"");
        g.execute(GatewayRequest.chat(body).build());
        assertEquals("HIT", status(g.execute(GatewayRequest.chat(body).build())));
        assertEquals(1, stub.hits());
    }

    @Test
    void embeddingsAreCachedToo() {
        Gateway g = gateway("\"simple\"");
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}";
        GatewayResponse first = g.execute(GatewayRequest.embeddings(body).build());
        GatewayResponse second = g.execute(GatewayRequest.embeddings(body).build());
        assertEquals("HIT", status(second));
        assertEquals(first.json(), second.json());
        assertEquals(1, stub.hits());
    }

    @Test
    void aStreamedRequestIsServedFromACachedAnswerAsAValidOpenAiStream() {
        Gateway g = gateway("\"simple\"");
        stub.enqueue(StubResponse.chatCompletion("Hello there"));
        g.execute(GatewayRequest.chat(CHAT).build());
        GatewayResponse r = g.execute(GatewayRequest.chat(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""))
                .build());
        assertEquals("HIT", status(r));
        assertTrue(r.isStream());
        assertEquals("text/event-stream", r.header("content-type").orElseThrow());
        List<String> events = drain(r);
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String d : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(d);
            List<String> problems = StreamSchema.problems(chunk);
            assertTrue(problems.isEmpty(), problems + " in " + d);
            assertFalse(chunk.has("usage"), "usage only when the caller asked: " + d);
            text.append(
                    chunk.path("choices").path(0).path("delta").path("content").asText(""));
            if (chunk.path("choices").path(0).path("finish_reason").isTextual()) {
                finish = chunk.path("choices").path(0).path("finish_reason").asText();
            }
        }
        assertEquals("Hello there", text.toString());
        assertEquals("stop", finish);
        assertEquals(1, stub.hits());
    }

    @Test
    void aStreamedHitSendsTheUsageChunkOnlyWhenTheCallerAskedForIt() {
        Gateway g = gateway("\"simple\"");
        g.execute(GatewayRequest.chat(CHAT).build());
        GatewayResponse r = g.execute(GatewayRequest.chat(CHAT.replace(
                        "{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""))
                .build());
        List<String> events = drain(r);
        JsonNode usageChunk = Json.parse(events.get(events.size() - 2));
        assertEquals(0, usageChunk.path("choices").size());
        assertEquals(15, usageChunk.path("usage").path("total_tokens").asInt());
    }

    @Test
    void aCompletedStreamIsStoredAndAnsweredLaterAsJson() {
        Gateway g = gateway("\"simple\"");
        stub.enqueue(StubResponse.chatStream("Hel", "lo"));
        GatewayResponse streamed =
                g.execute(GatewayRequest.chat(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""))
                        .build());
        assertEquals("MISS", status(streamed));
        drain(streamed);
        GatewayResponse plain = g.execute(GatewayRequest.chat(CHAT).build());
        assertEquals("HIT", status(plain));
        assertEquals(
                "Hello",
                plain.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText());
        assertEquals(
                "stop",
                plain.json().path("choices").path(0).path("finish_reason").asText());
        assertTrue(plain.json().path("usage").path("total_tokens").asInt() > 0, "the stream's usage was kept");
        assertEquals(1, stub.hits());
    }

    @Test
    void aStreamCutMidwayIsNotStored() {
        Gateway g = gateway("\"simple\"");
        stub.enqueue(StubResponse.chatStream("Hel", "lo", " world").cutAfterEvents(2));
        drain(g.execute(GatewayRequest.chat(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""))
                .build()));
        GatewayResponse next = g.execute(GatewayRequest.chat(CHAT).build());
        assertEquals("MISS", status(next));
        assertEquals(2, stub.hits());
    }

    @Test
    void aHitGoesThroughTheAfterRequestHooks() {
        Gateway g = Gateway.builder()
                .config("{\"cache\":\"simple\",\"output_guardrails\":[{\"default.contains\":"
                        + "{\"words\":[\"secret\"],\"operator\":\"none\"},\"deny\":true}],\"provider\":\"openai\","
                        + "\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")
                .clock(clock)
                .build();
        stub.enqueue(StubResponse.chatCompletion("nothing to hide"));
        assertEquals(200, g.execute(GatewayRequest.chat(CHAT).build()).status());
        GatewayResponse hit = g.execute(GatewayRequest.chat(CHAT).build());
        assertEquals("HIT", status(hit));
        assertEquals(200, hit.status());
        JsonNode after = hit.json().path("hook_results").path("after_request_hooks");
        assertEquals(1, after.size(), hit.json().toString());
        assertTrue(after.path(0).path("verdict").asBoolean());
        assertEquals(1, stub.hits());
    }
}
