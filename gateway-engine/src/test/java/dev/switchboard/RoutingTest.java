package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Strategy modes, nesting and the option index, against a local stub upstream. */
class RoutingTest {
    private StubUpstream a;
    private StubUpstream b;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    static String target(StubUpstream s, String extra) {
        return "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + s.openAiBaseUrl() + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    @Test
    void singleModeUsesTheFirstTarget() {
        Gateway g = Gateway.fromConfig(
                "{\"strategy\":{\"mode\":\"single\"},\"targets\":[" + target(a, "") + "," + target(b, "") + "]}");
        GatewayResponse r = g.execute(chat());
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[0]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(1, a.hits());
        assertEquals(0, b.hits());
    }

    @Test
    void aRootLeafAnswersWithOptionIndexConfig() {
        Gateway g = Gateway.fromConfig(target(a, ""));
        GatewayResponse r = g.execute(chat());
        assertEquals(200, r.status());
        assertEquals("config", r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals("openai", r.header("x-portkey-provider").orElseThrow());
        assertEquals("Bearer sk-test", a.lastRequest().header("authorization"));
    }

    @Test
    void fallbackMovesOnWhenFirstTargetReturns503() {
        a.enqueue(StubResponse.error(503, "overloaded"));
        Gateway g = Gateway.fromConfig(
                "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target(a, "") + "," + target(b, "") + "]}");
        GatewayResponse r = g.execute(chat());
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        List<Attempt> attempts = r.trace().attempts();
        assertEquals(2, attempts.size());
        assertEquals(503, attempts.get(0).status());
        assertEquals("config.targets[0]", attempts.get(0).targetPath());
        assertEquals(200, attempts.get(1).status());
    }

    @Test
    void fallbackWithStatusListStopsOnAStatusOutsideIt() {
        a.enqueue(StubResponse.error(503, "overloaded"));
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"fallback\",\"on_status_codes\":[429]},\"targets\":["
                + target(a, "") + "," + target(b, "") + "]}");
        GatewayResponse r = g.execute(chat());
        assertEquals(503, r.status());
        assertEquals(0, b.hits());
        assertTrue(r.json().path("error").path("message").asText().contains("overloaded"));
    }

    @Test
    void fallbackOnAnyNon2xxIncludes400() {
        a.enqueue(StubResponse.error(400, "bad"));
        Gateway g = Gateway.fromConfig(
                "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target(a, "") + "," + target(b, "") + "]}");
        assertEquals(200, g.execute(chat()).status());
        assertEquals(1, b.hits());
    }

    @Test
    void whenEveryFallbackTargetFailsTheLastAnswerIsReturned() {
        a.enqueue(StubResponse.error(503, "first"));
        b.enqueue(StubResponse.error(500, "second"));
        Gateway g = Gateway.fromConfig(
                "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target(a, "") + "," + target(b, "") + "]}");
        GatewayResponse r = g.execute(chat());
        assertEquals(500, r.status());
        assertTrue(r.json().path("error").path("message").asText().contains("second"));
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
    }

    @Test
    void aTargetThatCannotServeTheEndpointCountsAsItsFailure() {
        // anthropic has no embeddings: the fallback moves on instead of halting (Portkey halts with 500)
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"fallback\",\"on_status_codes\":[429]},\"targets\":["
                + "{\"provider\":\"anthropic\",\"api_key\":\"x\",\"custom_host\":\"" + a.baseUrl() + "\"},"
                + target(b, "") + "]}");
        GatewayResponse r =
                g.execute(GatewayRequest.embeddings("{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}")
                        .build());
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals("unsupported_endpoint", r.trace().attempts().get(0).errorClass());
        assertEquals(0, a.hits());
    }

    @Test
    void loadbalanceNeverPicksAZeroWeightTarget() {
        Gateway g = Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":[" + target(a, "\"weight\":0") + ","
                        + target(b, "\"weight\":1") + "]}")
                .random(RandomGenerator.of("L64X128MixRandom"))
                .build();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, g.execute(chat()).status());
        }
        assertEquals(0, a.hits());
        assertEquals(20, b.hits());
    }

    @Test
    void loadbalanceFollowsTheInjectedRandomDraw() {
        String cfg = "{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":[" + target(a, "\"weight\":3") + ","
                + target(b, "\"weight\":1") + "]}";
        Gateway low = Gateway.builder().config(cfg).random(fixed(0.70)).build();
        assertEquals(
                "config.targets[0]",
                low.execute(chat()).header("x-portkey-last-used-option-index").orElseThrow());
        Gateway high = Gateway.builder().config(cfg).random(fixed(0.80)).build();
        assertEquals(
                "config.targets[1]",
                high.execute(chat()).header("x-portkey-last-used-option-index").orElseThrow());
    }

    static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void conditionalRoutesPaidAndFreeUsersAndFallsBackToDefault() {
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"metadata.user_plan\":{\"$eq\":\"paid\"}},\"then\":\"premium\"},"
                + "{\"query\":{\"$or\":[{\"params.model\":{\"$regex\":\"^gpt-3\"}},{\"metadata.tier\":{\"$in\":[\"a\",\"b\"]}}]},\"then\":\"cheap\"}],"
                + "\"default\":\"cheap\"},\"targets\":[" + target(a, "\"name\":\"premium\"") + ","
                + target(b, "\"name\":\"cheap\"") + "]}");
        GatewayResponse paid =
                g.execute(chat().toBuilder().metadata("user_plan", "paid").build());
        assertEquals(
                "config.targets[0]",
                paid.header("x-portkey-last-used-option-index").orElseThrow());
        GatewayResponse free =
                g.execute(chat().toBuilder().metadata("user_plan", "free").build());
        assertEquals(
                "config.targets[1]",
                free.header("x-portkey-last-used-option-index").orElseThrow());
    }

    @Test
    void conditionalWithoutMatchOrDefaultAnswers400WithARouterMessage() {
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"metadata.user_plan\":\"paid\"},\"then\":\"premium\"}]},\"targets\":["
                + target(a, "\"name\":\"premium\"") + "]}");
        GatewayResponse r = g.execute(chat());
        assertEquals(400, r.status());
        assertTrue(r.json().path("error").path("message").asText().contains("did not resolve"));
        assertEquals(0, a.hits());
    }

    @Test
    void conditionalEvaluatesEveryKeyOfAQueryIncludingThoseAfterOr() {
        // Portkey returns the $or result and ignores siblings; we AND every key
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"$or\":[{\"metadata.a\":\"1\"}],\"metadata.b\":\"2\"},\"then\":\"x\"}],"
                + "\"default\":\"y\"},\"targets\":[" + target(a, "\"name\":\"x\"") + "," + target(b, "\"name\":\"y\"")
                + "]}");
        assertEquals(
                "config.targets[1]",
                g.execute(chat().toBuilder()
                                .metadata("a", "1")
                                .metadata("b", "3")
                                .build())
                        .header("x-portkey-last-used-option-index")
                        .orElseThrow());
        assertEquals(
                "config.targets[0]",
                g.execute(chat().toBuilder()
                                .metadata("a", "1")
                                .metadata("b", "2")
                                .build())
                        .header("x-portkey-last-used-option-index")
                        .orElseThrow());
    }

    @Test
    void conditionalReadsDeepParamsPathsAndUrlPathname() {
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"params.messages.0.role\":\"system\",\"url.pathname\":\"/v1/chat/completions\"},\"then\":\"x\"}],"
                + "\"default\":\"y\"},\"targets\":[" + target(a, "\"name\":\"x\"") + "," + target(b, "\"name\":\"y\"")
                + "]}");
        GatewayResponse sys = g.execute(GatewayRequest.chat("{\"model\":\"m\",\"messages\":[{\"role\":\"system\","
                        + "\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u\"}]}")
                .build());
        assertEquals(
                "config.targets[0]",
                sys.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(
                "config.targets[1]",
                g.execute(chat()).header("x-portkey-last-used-option-index").orElseThrow());
    }

    @Test
    void nestedStrategiesReportTheLeafPath() {
        a.enqueue(StubResponse.error(502, "bad gateway"));
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":["
                + "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target(a, "") + "," + target(b, "") + "]}]}");
        GatewayResponse r = g.execute(chat());
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[0].targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals("config.targets[0].targets[0]", r.trace().attempts().get(0).targetPath());
    }

    @Test
    void overrideParamsWinOverTheBodyAndChildOverridesMergeOverParents() {
        Gateway g = Gateway.fromConfig("{\"override_params\":{\"model\":\"gpt-4o\",\"temperature\":0.1},"
                + "\"strategy\":{\"mode\":\"single\"},\"targets\":["
                + target(a, "\"override_params\":{\"temperature\":0.5}") + "]}");
        g.execute(chat());
        assertEquals("gpt-4o", a.lastRequest().json().path("model").asText());
        assertEquals(0.5, a.lastRequest().json().path("temperature").asDouble());
        assertEquals(
                "hi",
                a.lastRequest().json().path("messages").path(0).path("content").asText());
    }

    @Test
    void onlyListedHeadersAreForwarded() {
        Gateway g = Gateway.fromConfig(target(a, "\"forward_headers\":[\"X-Tenant\"]"));
        g.execute(chat().toBuilder()
                .header("x-tenant", "acme")
                .header("x-secret", "no")
                .build());
        assertEquals("acme", a.lastRequest().header("x-tenant"));
        assertEquals(null, a.lastRequest().header("x-secret"));
    }

    @Test
    void unknownBodyFieldsReachTheUpstreamUntouched() {
        Gateway g = Gateway.fromConfig(target(a, ""));
        g.execute(GatewayRequest.chat("{\"model\":\"m\",\"messages\":[],\"brand_new_param\":{\"x\":[1,2]}}")
                .build());
        assertEquals(
                "{\"x\":[1,2]}", a.lastRequest().json().path("brand_new_param").toString());
    }

    @Test
    void traceIdIsEchoedWhenGivenAndGeneratedOtherwise() {
        Gateway g = Gateway.fromConfig(target(a, ""));
        assertEquals(
                "req-42",
                g.execute(chat().toBuilder().traceId("req-42").build())
                        .header("x-portkey-trace-id")
                        .orElseThrow());
        String generated = g.execute(chat()).header("x-portkey-trace-id").orElseThrow();
        assertFalse(generated.isBlank());
        assertEquals(4, java.util.UUID.fromString(generated).version(), "a random UUID: " + generated);
        assertFalse(
                generated.equals(g.execute(chat()).header("x-portkey-trace-id").orElseThrow()));
    }

    @Test
    void providerErrorsAreNormalisedKeepingTheUpstreamStatus() {
        a.enqueue(StubResponse.raw(502, "text/html", "<html>bad gateway</html>".getBytes()));
        Gateway g = Gateway.fromConfig(target(a, ""));
        GatewayResponse r = g.execute(chat());
        assertEquals(502, r.status());
        assertTrue(r.json().path("error").has("message"));
        assertEquals("openai", r.json().path("provider").asText());
    }

    @Test
    void openAiOrganizationProjectAndBetaBecomeHeaders() {
        Gateway g = Gateway.fromConfig(target(
                a,
                "\"openai_organization\":\"org-1\",\"openai_project\":\"proj-1\","
                        + "\"openai_beta\":\"assistants=v2\""));
        g.execute(chat());
        assertEquals("org-1", a.lastRequest().header("openai-organization"));
        assertEquals("proj-1", a.lastRequest().header("openai-project"));
        assertEquals("assistants=v2", a.lastRequest().header("openai-beta"));
    }

    @Test
    void completionsAndEmbeddingsGoToTheirPaths() {
        Gateway g = Gateway.fromConfig(target(a, ""));
        assertEquals(
                200,
                g.execute(GatewayRequest.completions("{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"hi\"}")
                                .build())
                        .status());
        assertEquals("/v1/completions", a.lastRequest().path());
        GatewayResponse e =
                g.execute(GatewayRequest.embeddings("{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}")
                        .build());
        assertEquals(200, e.status());
        assertEquals("/v1/embeddings", a.lastRequest().path());
        assertEquals("list", e.json().path("object").asText());
    }
}
