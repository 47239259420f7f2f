package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.testkit.StubUpstream;
import org.junit.jupiter.api.Test;

/** {@link Gateway#explain}: the first leaf, every condition with its result, inherited settings — and no call. */
class ExplainTest {
    @Test
    void explainShowsConditionsTheChosenLeafAndInheritedSettingsWithoutCallingAnything() {
        try (StubUpstream s = StubUpstream.start()) {
            Gateway g = Gateway.fromConfig("{\"retry\":{\"attempts\":2},\"request_timeout\":5000,"
                    + "\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                    + "{\"query\":{\"metadata.user_plan\":\"paid\"},\"then\":\"premium\"},"
                    + "{\"query\":{\"params.model\":{\"$regex\":\"mini$\"}},\"then\":\"cheap\"}],\"default\":\"cheap\"},"
                    + "\"targets\":["
                    + RoutingTest.target(s, "\"name\":\"premium\",\"override_params\":{\"model\":\"gpt-4o\"}") + ","
                    + "{\"name\":\"cheap\",\"strategy\":{\"mode\":\"fallback\"},\"request_timeout\":900,\"targets\":["
                    + RoutingTest.target(s, "") + "," + RoutingTest.target(s, "") + "]}]}");
            RouteExplanation paid = g.explain(
                    RoutingTest.chat().toBuilder().metadata("user_plan", "paid").build());
            assertEquals("config.targets[0]", paid.leafPath());
            assertEquals("gpt-4o", paid.model());
            assertEquals(2, paid.conditions().size(), "every condition is evaluated for the explanation");
            assertTrue(paid.conditions().get(0).matched());
            assertTrue(paid.conditions().get(1).matched());

            RouteExplanation free = g.explain(RoutingTest.chat());
            assertEquals("config.targets[1].targets[0]", free.leafPath());
            assertFalse(free.conditions().get(0).matched());
            assertTrue(free.settings().get("request_timeout").startsWith("900 ms"));
            assertTrue(free.settings().get("request_timeout").contains("/targets/1"));
            assertTrue(free.settings().get("retry").startsWith("2 attempts"));
            String text = free.toString();
            assertTrue(text.contains("[no match]") && text.contains("fallback"), text);
            assertFalse(text.contains("sk-test"), "no secret in an explanation");
            assertEquals(0, s.hits(), "explain calls nothing");
        }
    }

    @Test
    void explainSaysWhyNoRouteResolves() {
        Gateway g = Gateway.fromConfig("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"metadata.x\":\"1\"},\"then\":\"a\"}]},\"targets\":[{\"name\":\"a\","
                + "\"provider\":\"openai\",\"api_key\":\"k\"}]}");
        RouteExplanation e = g.explain(
                GatewayRequest.chat("{\"model\":\"m\",\"messages\":[]}").build());
        assertNull(e.leafPath());
        assertTrue(e.error().contains("no condition matched"));
    }

    @Test
    void explainNamesLoadbalanceOdds() {
        Gateway g = Gateway.fromConfig(
                "{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":["
                        + "{\"provider\":\"openai\",\"api_key\":\"k\",\"weight\":3},{\"provider\":\"openai\",\"api_key\":\"k\"}]}");
        RouteExplanation e = g.explain(
                GatewayRequest.chat("{\"model\":\"m\",\"messages\":[]}").build());
        assertEquals("config.targets[0]", e.leafPath());
        assertTrue(e.steps().get(0).contains("75%"), e.steps().toString());
    }
}
