package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ConfigException;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cost caps ({@code max_cost_usd}, {@code x-switchboard-max-cost-usd}) against a local stub: a request
 * whose estimate is over the cap is refused before the call (412, the stub sees nothing), a fallback
 * to a cheaper target may serve it, and a stream is ended with an error event once its running cost
 * passes the cap. Prices are set exactly: "cent-model" costs nothing per prompt token and $0.01 per
 * output token; "mill-model" a tenth of that.
 */
class CostCapTest {
    private StubUpstream stub;
    private final CompletableFuture<RequestTrace> logged = new CompletableFuture<>();

    private static final DefaultPricingCatalog PRICES = DefaultPricingCatalog.bundled()
            .withOverride("openai", "cent-model", ModelPrice.of(BigDecimal.ZERO, new BigDecimal("0.01")))
            .withOverride("openai", "mill-model", ModelPrice.of(BigDecimal.ZERO, new BigDecimal("0.001")));

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private String target(String extra) {
        return "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\""
                + extra + "}";
    }

    private Gateway gateway(String config) {
        return Gateway.builder()
                .config(config)
                .pricing(PRICES)
                .logSink(logged::complete)
                .build();
    }

    private static GatewayRequest.Builder chat(String model, int maxTokens, boolean stream) {
        return GatewayRequest.chat("{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
                + (stream ? ",\"stream\":true" : "") + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void aRequestWhoseEstimateExceedsTheCapIsRefusedBeforeTheCall() throws Exception {
        try (Gateway g = gateway(
                "{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":0.05,\"targets\":[" + target("") + "]}")) {
            // 10 max output tokens × $0.01 = $0.10 > $0.05
            GatewayResponse r = g.execute(chat("cent-model", 10, false).build());
            assertEquals(412, r.status(), r.bodyAsString());
            JsonNode err = r.json().path("error");
            assertEquals("cost_cap_exceeded", err.path("code").asText());
            assertEquals(
                    0,
                    new BigDecimal("0.1")
                            .compareTo(err.path("estimated_cost_usd").decimalValue()),
                    err.toString());
            assertEquals(
                    0, new BigDecimal("0.05").compareTo(err.path("max_cost_usd").decimalValue()), err.toString());
            String msg = err.path("message").asText();
            assertTrue(msg.contains("estimated cost $0.10") && msg.contains("exceeds the cost cap $0.05"), msg);
            assertTrue(msg.contains("10 max output tokens") && msg.contains("max_cost_usd at /"), msg);
            assertEquals(0, stub.hits(), "the provider was never called");
            Attempt a = logged.get(5, TimeUnit.SECONDS).attempts().get(0);
            assertEquals(412, a.status());
            assertEquals("cost_cap_exceeded", a.errorClass());

            stub.enqueue(StubResponse.chatCompletion("cheap enough"));
            GatewayResponse ok = g.execute(chat("cent-model", 5, false).build()); // $0.05: at the cap, allowed
            assertEquals(200, ok.status(), ok.bodyAsString());
            assertEquals(1, stub.hits());
        }
    }

    @Test
    void theCapIsPerTargetSoACheaperFallbackServesTheRequest() {
        stub.enqueue(StubResponse.chatCompletion("from the cheap one"));
        try (Gateway g = gateway("{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":0.05,\"targets\":["
                + target(",\"override_params\":{\"model\":\"cent-model\"}") + ","
                + target(",\"override_params\":{\"model\":\"mill-model\"}") + "]}")) {
            GatewayResponse r = g.execute(chat("any", 10, false).build());
            assertEquals(200, r.status(), r.bodyAsString());
            assertEquals(1, stub.hits());
            assertEquals("mill-model", stub.lastRequest().json().path("model").asText());
            List<Attempt> attempts = r.trace().attempts();
            assertEquals(2, attempts.size());
            assertEquals("cost_cap_exceeded", attempts.get(0).errorClass());
            assertEquals(200, attempts.get(1).status());
        }
    }

    @Test
    void theHeaderSetsOrLowersTheCapButNeverRaisesIt() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway uncapped = gateway(target(""));
                Gateway capped = gateway("{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":0.05,\"targets\":["
                        + target("") + "]}")) {
            assertEquals(
                    200, uncapped.execute(chat("cent-model", 10, false).build()).status());
            GatewayResponse r = uncapped.execute(chat("cent-model", 10, false)
                    .header("x-switchboard-max-cost-usd", "0.02")
                    .build());
            assertEquals(412, r.status());
            assertTrue(
                    r.json().at("/error/message").asText().contains("header x-switchboard-max-cost-usd"),
                    r.bodyAsString());
            r = capped.execute(chat("cent-model", 10, false)
                    .header("x-switchboard-max-cost-usd", "5")
                    .build());
            assertEquals(412, r.status(), "a header cannot loosen the config's cap");
            r = uncapped.execute(chat("cent-model", 10, false)
                    .header("x-switchboard-max-cost-usd", "lots")
                    .build());
            assertEquals(400, r.status());
            assertTrue(
                    r.json().at("/error/message").asText().contains("found \"lots\", expected a positive number"),
                    r.bodyAsString());
            assertEquals(1, stub.hits());
        }
    }

    @Test
    void aModelWithoutAPriceCannotBeCapped() {
        try (Gateway g =
                gateway("{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":1,\"targets\":[" + target("") + "]}")) {
            GatewayResponse r = g.execute(chat("unpriced-model-x", 10, false).build());
            assertEquals(412, r.status());
            assertEquals("cost_cap_unenforceable", r.json().at("/error/code").asText());
            assertEquals(0, stub.hits());
        }
    }

    @Test
    void aStreamIsEndedWithAnErrorEventWhenItsRunningCostPassesTheCap() throws Exception {
        // estimate: 3 max output tokens × $0.01 = $0.03 ≤ $0.035; the stub ignores max_tokens and sends six
        // deltas of four characters: one token each, counted from the deltas
        stub.enqueue(StubResponse.chatStream("one ", "two ", "six ", "ten ", "abc ", "xyz"));
        try (Gateway g = gateway(
                "{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":0.035,\"targets\":[" + target("") + "]}")) {
            GatewayResponse r = g.execute(chat("cent-model", 3, true).build());
            assertTrue(r.isStream(), r.toString());
            List<String> data = new ArrayList<>();
            try (var s = r.stream()) {
                for (ServerSentEvent e : s) {
                    data.add(e.data());
                }
            }
            StringBuilder text = new StringBuilder();
            for (String d : data.subList(0, data.size() - 2)) {
                text.append(Json.parse(d).at("/choices/0/delta/content").asText(""));
            }
            assertEquals("one two six ten ", text.toString(), "the fourth token passed $0.035: it is the last");
            JsonNode err = Json.parse(data.get(data.size() - 2)).path("error");
            assertEquals("cost_cap_exceeded", err.path("code").asText(), data.toString());
            assertTrue(err.path("message").asText().contains("> $0.035"), err.toString());
            assertEquals(
                    0,
                    new BigDecimal("0.04")
                            .compareTo(err.path("estimated_cost_usd").decimalValue()),
                    err.toString());
            assertEquals("[DONE]", data.get(data.size() - 1));
            RequestTrace t = logged.get(5, TimeUnit.SECONDS);
            Attempt a = t.attempts().get(0);
            assertEquals("cost_cap_exceeded", a.errorClass());
            assertTrue(a.usage() != null && a.usage().completionTokens() > 0, "the partial answer is accounted: " + a);
            assertTrue(stub.awaitOpenConnections(0, Duration.ofSeconds(10)), "the upstream was cancelled");
        }
    }

    @Test
    void aStreamUnderItsCapRunsToTheEnd() {
        stub.enqueue(StubResponse.chatStream("a", "b", "c"));
        try (Gateway g = gateway(
                "{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":0.05,\"targets\":[" + target("") + "]}")) {
            GatewayResponse r = g.execute(chat("cent-model", 5, true).build());
            List<String> data = new ArrayList<>();
            try (var s = r.stream()) {
                s.forEach(e -> data.add(e.data()));
            }
            assertFalse(data.stream().anyMatch(d -> d.contains("cost_cap_exceeded")), data.toString());
            assertEquals("[DONE]", data.get(data.size() - 1));
        }
    }

    @Test
    void maxCostUsdIsValidatedAndInherited() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Gateway.fromConfig("{\"max_cost_usd\":-1,\"provider\":\"openai\",\"api_key\":\"sk-test\"}"));
        assertEquals("/max_cost_usd", e.path());
        assertTrue(e.getMessage().contains("a positive number of US dollars"), e.getMessage());
        assertThrows(
                ConfigException.class,
                () -> Gateway.fromConfig("{\"max_cost_usd\":\"1\",\"provider\":\"openai\",\"api_key\":\"sk-test\"}"));
        // a child's own cap replaces the inherited one
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway g = gateway("{\"strategy\":{\"mode\":\"fallback\"},\"max_cost_usd\":0.01,\"targets\":["
                + target(",\"max_cost_usd\":1") + "]}")) {
            assertEquals(200, g.execute(chat("cent-model", 10, false).build()).status());
        }
    }
}
