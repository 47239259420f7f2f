package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Two gateways (as two JVMs would) share one response cache through Redis. */
class SharedRedisCacheTest {
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static RedisServerProcess server;
    private static RedisClient admin;

    private StubUpstream stub;
    private RedisCacheStore storeA;
    private RedisCacheStore storeB;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServerProcess.start();
        admin = RedisClient.create(server.uri());
    }

    @AfterAll
    static void stopRedis() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() {
        admin.flushAll();
        stub = StubUpstream.start();
        storeA = new RedisCacheStore(server.uri());
        storeB = new RedisCacheStore(server.uri());
    }

    @AfterEach
    void tearDown() {
        stub.close();
        storeA.close();
        storeB.close();
    }

    private Gateway gateway(RedisCacheStore store) {
        return Gateway.builder()
                .config("{\"cache\":{\"mode\":\"simple\",\"max_age\":60},\"provider\":\"openai\","
                        + "\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")
                .cacheStore(store)
                .build();
    }

    @Test
    void anAnswerCachedByOneGatewayIsAHitInAnother() {
        stub.enqueue(StubResponse.chatCompletion("shared"));
        try (Gateway a = gateway(storeA);
                Gateway b = gateway(storeB)) {
            GatewayResponse first = a.execute(GatewayRequest.chat(CHAT).build());
            GatewayResponse second = b.execute(GatewayRequest.chat(CHAT).build());
            assertEquals("MISS", first.header("x-portkey-cache-status").orElseThrow());
            assertEquals("HIT", second.header("x-portkey-cache-status").orElseThrow());
            assertEquals(
                    "shared",
                    second.json()
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText());
            assertEquals(1, stub.hits());
        }
    }

    @Test
    void theEntryLivesInRedisWithTheMaxAgeAsItsTtl() {
        try (Gateway a = gateway(storeA)) {
            a.execute(GatewayRequest.chat(CHAT).build());
        }
        var keys = admin.keys(RedisCacheStore.DEFAULT_PREFIX + "*");
        assertEquals(1, keys.size());
        long ttl = admin.pttl(keys.iterator().next());
        assertEquals(true, ttl > 55_000 && ttl <= 60_000, "ttl " + ttl);
    }

    @Test
    void aNamespaceSeparatesTenantsAcrossGateways() {
        try (Gateway a = gateway(storeA);
                Gateway b = gateway(storeB)) {
            a.execute(GatewayRequest.chat(CHAT)
                    .header("x-portkey-cache-namespace", "tenant-a")
                    .build());
            GatewayResponse other = b.execute(GatewayRequest.chat(CHAT)
                    .header("x-portkey-cache-namespace", "tenant-b")
                    .build());
            GatewayResponse same = b.execute(GatewayRequest.chat(CHAT)
                    .header("x-portkey-cache-namespace", "tenant-a")
                    .build());
            assertEquals("MISS", other.header("x-portkey-cache-status").orElseThrow());
            assertEquals("HIT", same.header("x-portkey-cache-status").orElseThrow());
            assertEquals(2, stub.hits());
        }
    }
}
