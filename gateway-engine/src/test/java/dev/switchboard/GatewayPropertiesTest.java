package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Property tests of routing: loadbalance odds and concurrency. */
class GatewayPropertiesTest {

    @Test
    void loadbalanceFrequenciesConvergeToTheWeights() {
        qt().withExamples(30)
                .withFixedSeed(7L)
                .forAll(
                        lists().of(integers().between(0, 9)).ofSizeBetween(2, 5),
                        integers().between(1, 1_000_000))
                .assuming((weights, seed) ->
                        weights.stream().mapToInt(Integer::intValue).sum() > 0)
                .checkAssert((weights, seed) -> {
                    StringBuilder cfg = new StringBuilder("{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":[");
                    for (int i = 0; i < weights.size(); i++) {
                        cfg.append(i == 0 ? "" : ",")
                                .append("{\"provider\":\"openai\",\"api_key\":\"k\",\"weight\":")
                                .append(weights.get(i))
                                .append("}");
                    }
                    cfg.append("]}");
                    FakeTransport t = new FakeTransport();
                    Gateway g = Gateway.builder()
                            .config(cfg.toString())
                            .transport(t)
                            .random(seeded(seed))
                            .build();
                    int n = 4000;
                    int[] counts = new int[weights.size()];
                    for (int i = 0; i < n; i++) {
                        String path = g.execute(RoutingTest.chat())
                                .header("x-portkey-last-used-option-index")
                                .orElseThrow();
                        counts[Integer.parseInt(path.substring(path.indexOf('[') + 1, path.indexOf(']')))]++;
                    }
                    double total = weights.stream().mapToInt(Integer::intValue).sum();
                    for (int i = 0; i < weights.size(); i++) {
                        double expected = weights.get(i) / total;
                        double observed = counts[i] / (double) n;
                        if (weights.get(i) == 0) {
                            assertEquals(0, counts[i], "a zero weight is never picked");
                        } else {
                            // 5 standard deviations of a binomial proportion: false alarms are ~1e-6
                            double sd = Math.sqrt(expected * (1 - expected) / n);
                            assertTrue(
                                    Math.abs(observed - expected) <= 5 * sd + 1e-9,
                                    "weights " + weights + " target " + i + ": expected " + expected + ", got "
                                            + observed);
                        }
                    }
                });
    }

    private static RandomGenerator seeded(long seed) {
        return new java.util.SplittableRandom(seed);
    }

    @Test
    void twoHundredConcurrentAsyncCallsThroughAFallbackAllCompleteCorrectly() throws Exception {
        FakeTransport t = new FakeTransport();
        // the first target fails for every other call, the second always answers
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        t.respondWith(req -> req.uri().getHost().equals("first.invalid") && n.incrementAndGet() % 2 == 0
                ? FakeReply.error(503, "flaky")
                : FakeReply.chatCompletion("ok from " + req.uri().getHost()));
        Gateway g = Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                        + "{\"provider\":\"openai\",\"api_key\":\"k\",\"custom_host\":\"http://first.invalid/v1\"},"
                        + "{\"provider\":\"openai\",\"api_key\":\"k\",\"custom_host\":\"http://second.invalid/v1\"}]}")
                .transport(t)
                .build();
        List<CompletableFuture<GatewayResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(g.executeAsync(GatewayRequest.chat(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"," + "\"content\":\"" + i + "\"}]}")
                    .traceId("t" + i)
                    .build()));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        int viaSecond = 0;
        for (int i = 0; i < 200; i++) {
            GatewayResponse r = futures.get(i).get();
            assertEquals(200, r.status());
            assertEquals("t" + i, r.trace().traceId());
            String content = r.json()
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asText();
            String path = r.header("x-portkey-last-used-option-index").orElseThrow();
            assertEquals(
                    path.equals("config.targets[0]") ? "ok from first.invalid" : "ok from second.invalid", content);
            if (path.equals("config.targets[1]")) {
                viaSecond++;
                assertEquals(503, r.trace().attempts().get(0).status());
            }
        }
        assertEquals(100, viaSecond);
    }
}
