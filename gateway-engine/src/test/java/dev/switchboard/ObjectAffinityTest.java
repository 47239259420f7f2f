package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.spi.StateStore;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stateful objects stay on the target that made them: a file uploaded through a load balancer is
 * retrieved, downloaded, used by a batch and deleted on the same target, whatever the balancer picks.
 */
class ObjectAffinityTest {
    private static final String FILE =
            """
            {"id":"file-abc123","object":"file","bytes":3,"created_at":1,"filename":"in.jsonl","purpose":"batch"}""";
    private static final String BATCH =
            """
            {"id":"batch_77","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"file-abc123",
             "completion_window":"24h","status":"validating","created_at":1}""";

    private StubUpstream a;
    private StubUpstream b;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
        for (StubUpstream s : new StubUpstream[] {a, b}) {
            s.enqueue("/v1/files", StubResponse.json(200, FILE));
            s.enqueue("/v1/batches", StubResponse.json(200, BATCH));
            s.setDefault(StubResponse.json(200, "{\"id\":\"file-abc123\",\"object\":\"file\",\"deleted\":false}"));
        }
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private String balanced() {
        return """
                {"strategy": {"mode": "loadbalance"}, "targets": [
                  {"provider": "openai", "api_key": "sk-affinity-a", "custom_host": "%s", "weight": 1},
                  {"provider": "openai", "api_key": "sk-affinity-b", "custom_host": "%s", "weight": 1}]}"""
                .formatted(a.openAiBaseUrl(), b.openAiBaseUrl());
    }

    private static GatewayResponse upload(Gateway g) {
        MultipartBody form = MultipartBody.builder()
                .field("purpose", "batch")
                .file("file", "in.jsonl", "application/jsonl", "{}\n".getBytes(StandardCharsets.UTF_8))
                .build();
        return g.execute(GatewayRequest.builder("POST", "/v1/files").body(form).build());
    }

    private static int idCalls(StubUpstream s) {
        return (int) s.requests().stream()
                .filter(r -> r.path().contains("file-abc123")
                        || r.path().contains("batch_77")
                        || (r.path().equals("/v1/batches")))
                .count();
    }

    @Test
    void everyCallNamingAnObjectGoesToTheTargetThatMadeIt() {
        try (Gateway g =
                Gateway.builder().config(balanced()).random(new Random(7)).build()) {
            assertEquals(200, upload(g).status());
            StubUpstream maker = a.hits() == 1 ? a : b;
            StubUpstream other = maker == a ? b : a;
            assertEquals(0, other.hits());
            for (int i = 0; i < 10; i++) {
                assertEquals(
                        200,
                        g.execute(GatewayRequest.builder("GET", "/v1/files/file-abc123")
                                        .build())
                                .status());
                assertEquals(
                        200,
                        g.execute(GatewayRequest.builder("GET", "/v1/files/file-abc123/content")
                                        .build())
                                .status());
            }
            GatewayResponse batch = g.execute(GatewayRequest.builder("POST", "/v1/batches")
                    .body("{\"input_file_id\":\"file-abc123\",\"endpoint\":\"/v1/chat/completions\","
                            + "\"completion_window\":\"24h\"}")
                    .build());
            assertEquals("batch_77", batch.json().path("id").asText());
            g.execute(GatewayRequest.builder("POST", "/v1/batches/batch_77/cancel")
                    .build());
            g.execute(GatewayRequest.builder("DELETE", "/v1/files/file-abc123").build());
            assertEquals(0, idCalls(other), "no call naming the objects reached the other target");
            assertEquals(24, maker.hits());
            assertEquals(
                    maker == a ? "config.targets[0]" : "config.targets[1]",
                    g.execute(GatewayRequest.builder("GET", "/v1/files/file-abc123")
                                    .build())
                            .trace()
                            .lastUsedOptionIndex());

            // calls naming nothing are still balanced over both targets
            for (int i = 0; i < 40; i++) {
                g.execute(GatewayRequest.builder("GET", "/v1/files?limit=1").build());
            }
            assertTrue(other.hits() > 5, "the balancer still uses the other target: " + other.hits());
        }
    }

    @Test
    void anIdTheGatewayNeverSawOrATargetNoLongerConfiguredFollowsTheConfig() {
        StateStore store = new InMemoryStateStore(Clock.systemUTC());
        try (Gateway g = Gateway.builder().config(balanced()).stateStore(store).build()) {
            upload(g);
        }
        StubUpstream maker = a.hits() == 1 ? a : b;
        StubUpstream other = maker == a ? b : a;
        // a new config whose only target is the other one: the record names a target it does not have
        try (Gateway g = Gateway.builder()
                .config("{\"provider\": \"openai\", \"api_key\": \"sk-affinity-x\", \"custom_host\": \"%s\"}"
                        .formatted(other.openAiBaseUrl()))
                .stateStore(store)
                .build()) {
            assertEquals(
                    200,
                    g.execute(GatewayRequest.builder("GET", "/v1/files/file-abc123")
                                    .build())
                            .status());
            assertEquals(1, idCalls(other));
            assertEquals(
                    200,
                    g.execute(GatewayRequest.builder("GET", "/v1/files/file-zzz999")
                                    .build())
                            .status());
        }
    }

    @Test
    void theRecordIsAFingerprintNeverACredentialAndZeroTurnsAffinityOff() {
        StateStore store = new InMemoryStateStore(Clock.systemUTC());
        try (Gateway g = Gateway.builder().config(balanced()).stateStore(store).build()) {
            upload(g);
        }
        String record = store.getValue("affinity:file-abc123").orElseThrow();
        assertTrue(record.matches("[0-9a-f]{64}"), record);
        assertFalse(record.contains("sk-affinity"));

        StateStore none = new InMemoryStateStore(Clock.systemUTC());
        try (Gateway g = Gateway.builder()
                .config(balanced())
                .stateStore(none)
                .objectAffinity(Duration.ZERO)
                .build()) {
            upload(g);
        }
        assertTrue(none.getValue("affinity:file-abc123").isEmpty());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Gateway.builder().objectAffinity(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("objectAffinity"), e.getMessage());
    }

    @Test
    void onlyCallsThatKeepAnObjectAreRecorded() {
        String completion = "{\"id\":\"chatcmpl-keep1\",\"object\":\"chat.completion\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}";
        for (StubUpstream s : new StubUpstream[] {a, b}) {
            s.setDefault(StubResponse.json(200, completion));
        }
        StateStore store = new InMemoryStateStore(Clock.systemUTC());
        try (Gateway g = Gateway.builder().config(balanced()).stateStore(store).build()) {
            // an ordinary chat completion is not kept by the provider: nothing to come back to
            assertEquals(
                    200,
                    g.execute(GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")
                                    .build())
                            .status());
            assertTrue(store.getValue("affinity:chatcmpl-keep1").isEmpty());
            g.execute(GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"store\":false,\"messages\":[]}")
                    .build());
            assertTrue(store.getValue("affinity:chatcmpl-keep1").isEmpty());
            // a stored one is: GET /v1/chat/completions/chatcmpl-keep1 must reach the same target
            g.execute(GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"store\":true,\"messages\":[]}")
                    .build());
            assertTrue(store.getValue("affinity:chatcmpl-keep1").isPresent());
        }
    }
}
