package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways (as two JVMs would be) share one Redis: a file made through one is used through the
 * other on the target that made it, whatever the other's load balancer picks.
 */
class TwoGatewaysShareAffinityTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void aFileMadeThroughOneGatewayIsUsedThroughTheOtherOnTheSameTarget() {
        try (StubUpstream a = StubUpstream.start();
                StubUpstream b = StubUpstream.start()) {
            for (StubUpstream s : new StubUpstream[] {a, b}) {
                s.enqueue(
                        "/v1/files",
                        StubResponse.json(
                                200,
                                "{\"id\":\"file-shared1\",\"object\":\"file\",\"bytes\":2,\"created_at\":1,"
                                        + "\"filename\":\"x\",\"purpose\":\"batch\"}"));
                s.setDefault(StubResponse.json(200, "{\"id\":\"file-shared1\",\"object\":\"file\"}"));
            }
            String config =
                    """
                    {"strategy": {"mode": "loadbalance"}, "targets": [
                      {"provider": "openai", "api_key": "sk-a", "custom_host": "%s"},
                      {"provider": "openai", "api_key": "sk-b", "custom_host": "%s"}]}"""
                            .formatted(a.openAiBaseUrl(), b.openAiBaseUrl());
            try (Gateway one = Gateway.builder()
                            .config(config)
                            .stateStore(new RedisStateStore(redis.uri(), "affinity-test:"))
                            .random(new Random(1))
                            .build();
                    Gateway two = Gateway.builder()
                            .config(config)
                            .stateStore(new RedisStateStore(redis.uri(), "affinity-test:"))
                            .random(new Random(2))
                            .build()) {
                one.execute(GatewayRequest.builder("POST", "/v1/files")
                        .body("{\"purpose\":\"batch\"}")
                        .build());
                StubUpstream maker = a.hits() == 1 ? a : b;
                StubUpstream other = maker == a ? b : a;
                for (int i = 0; i < 12; i++) {
                    assertEquals(
                            200,
                            two.execute(GatewayRequest.builder("GET", "/v1/files/file-shared1")
                                            .build())
                                    .status());
                }
                assertEquals(13, maker.hits());
                assertEquals(0, other.hits());
            }
        }
    }
}
