package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubUpstream;
import org.junit.jupiter.api.Test;

/** {@link Gateway#explain} and routing use one evaluator: the leaf explained is the leaf a request takes first. */
class ExplainAgreesWithRoutingTest {
    private static final String NESTED = "{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
            + "{\"query\":{\"metadata.tier\":\"gold\"},\"then\":\"gold\"},"
            + "{\"query\":{\"metadata.tier\":{\"$in\":[\"silver\",\"bronze\"]}},\"then\":\"metal\"}]},"
            + "\"targets\":[%s,{\"name\":\"metal\",\"strategy\":{\"mode\":\"single\"},\"targets\":["
            + "{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":[%s,%s]}]}]}";

    @Test
    void theExplainedLeafIsTheLeafTheRequestIsSentToForEachBranch() {
        try (StubUpstream s = StubUpstream.start()) {
            Gateway g = Gateway.builder()
                    .config(String.format(
                            NESTED,
                            RoutingTest.target(s, "\"name\":\"gold\""),
                            RoutingTest.target(s, "\"weight\":0"),
                            RoutingTest.target(s, "\"weight\":1")))
                    .random(RoutingTest.fixed(0.5))
                    .build();
            for (String tier : new String[] {"gold", "silver", "bronze"}) {
                GatewayRequest request =
                        RoutingTest.chat().toBuilder().metadata("tier", tier).build();
                RouteExplanation explained = g.explain(request);
                GatewayResponse routed = g.execute(request);
                assertEquals(200, routed.status());
                assertEquals(
                        explained.leafPath(),
                        routed.header("x-portkey-last-used-option-index").orElseThrow(),
                        "tier " + tier + ": " + explained);
            }
            assertEquals(
                    "config.targets[1].targets[0].targets[1]",
                    g.explain(RoutingTest.chat().toBuilder()
                                    .metadata("tier", "silver")
                                    .build())
                            .leafPath());
        }
    }

    @Test
    void noRouteIsExplainedAndAnsweredAlike() {
        try (StubUpstream s = StubUpstream.start()) {
            Gateway g = Gateway.fromConfig(String.format(
                    NESTED,
                    RoutingTest.target(s, "\"name\":\"gold\""),
                    RoutingTest.target(s, ""),
                    RoutingTest.target(s, "")));
            GatewayRequest none =
                    RoutingTest.chat().toBuilder().metadata("tier", "tin").build();
            RouteExplanation explained = g.explain(none);
            assertNull(explained.leafPath());
            assertTrue(explained.error().contains("no condition matched at config"), explained.error());
            GatewayResponse r = g.execute(none);
            assertEquals(400, r.status());
            assertEquals("no_route", r.json().path("error").path("code").asText());
            assertEquals(0, s.hits());
        }
    }
}
