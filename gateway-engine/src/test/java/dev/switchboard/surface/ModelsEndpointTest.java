package dev.switchboard.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ConfigException;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} and {@code /v1/models/{model}} answered by the gateway from the config's targets. */
class ModelsEndpointTest {
    private StubUpstream stub;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String groqListModels) {
        return Gateway.fromConfig("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                + "{\"provider\":\"openai\",\"api_key\":\"sk\",\"custom_host\":\"" + stub.openAiBaseUrl()
                + "\",\"override_params\":{\"model\":\"gpt-4o\"}},"
                + "{\"strategy\":{\"mode\":\"loadbalance\"},\"targets\":["
                + "{\"provider\":\"anthropic\",\"api_key\":\"a\",\"override_params\":{\"model\":\"claude-sonnet-4-5\"}},"
                + "{\"provider\":\"openai\",\"api_key\":\"sk2\",\"override_params\":{\"model\":\"gpt-4o\"}}]},"
                + "{\"provider\":\"groq\",\"api_key\":\"gsk\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\""
                + groqListModels + "}]}");
    }

    private static void assertSchema(String schema, JsonNode body) {
        List<String> problems = OpenAiSchemas.shared().validate(schema, body);
        assertTrue(problems.isEmpty(), schema + ": " + problems + " in " + body);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    @Test
    void theListNamesEveryTargetsModelOnceAndACatalogForTargetsWithoutOne() {
        GatewayResponse r =
                gateway("").execute(GatewayRequest.builder("GET", "/v1/models").build());
        assertEquals(200, r.status(), r.bodyAsString());
        assertSchema("ListModelsResponse", r.json());
        List<String> ids = ids(r.json());
        assertEquals(List.of("gpt-4o", "claude-sonnet-4-5"), ids.subList(0, 2), "config order, each id once");
        assertEquals(1, ids.stream().filter("gpt-4o"::equals).count());
        // the groq target names no model: the catalog's groq models (LiteLLM keys them groq/<model>)
        assertTrue(ids.contains("llama-3.3-70b-versatile"), ids.toString());
        assertTrue(ids.contains("whisper-large-v3"), ids.toString());
        JsonNode first = r.json().path("data").path(0);
        assertEquals("openai", first.path("owned_by").asText());
        assertEquals("model", first.path("object").asText());
        assertEquals(0, stub.hits(), "no provider is asked without list_models: upstream");
    }

    @Test
    void aTargetThatOptsInHasItsProvidersListMergedIn() {
        stub.enqueue(
                "/models",
                StubResponse.json(
                        200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.3-70b-versatile\",\"object\":\"model\","
                                + "\"created\":1733447754,\"owned_by\":\"Meta\"},{\"id\":\"groq-only-model\","
                                + "\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"Groq\"}]}"));
        GatewayResponse r = gateway(",\"list_models\":\"upstream\"")
                .execute(GatewayRequest.builder("GET", "/v1/models").build());
        assertEquals(200, r.status(), r.bodyAsString());
        assertSchema("ListModelsResponse", r.json());
        assertEquals("/v1/models", stub.lastRequest().path());
        assertEquals("Bearer gsk", stub.lastRequest().header("authorization"));
        JsonNode llama = null;
        for (JsonNode m : r.json().path("data")) {
            if (m.path("id").asText().equals("llama-3.3-70b-versatile")) {
                llama = m;
            }
        }
        assertEquals("Meta", llama.path("owned_by").asText(), "the provider's own entry wins");
        assertEquals(1733447754, llama.path("created").asLong());
        assertTrue(ids(r.json()).contains("groq-only-model"));
        assertEquals(1, r.trace().attempts().size(), "the provider's list is an attempt in the trace");
        assertEquals("groq", r.trace().attempts().get(0).provider());
    }

    @Test
    void oneModelIsTheListsEntryAndAnUnknownIdIsA404InOpenAisEnvelope() {
        Gateway g = gateway("");
        GatewayResponse one = g.execute(
                GatewayRequest.builder("GET", "/v1/models/claude-sonnet-4-5").build());
        assertEquals(200, one.status(), one.bodyAsString());
        assertSchema("Model", one.json());
        assertEquals("anthropic", one.json().path("owned_by").asText());

        GatewayResponse missing =
                g.execute(GatewayRequest.builder("GET", "/v1/models/gpt-9").build());
        assertEquals(404, missing.status());
        assertSchema("ErrorResponse", missing.json());
        assertEquals(
                "model_not_found", missing.json().path("error").path("code").asText());
        assertTrue(missing.json().path("error").path("message").asText().contains("'gpt-9'"));
        assertEquals(0, stub.hits());
    }

    @Test
    void listModelsTakesConfigOrUpstream() {
        ConfigException e = assertThrows(ConfigException.class, () -> gateway(",\"list_models\":\"yes\""));
        assertTrue(e.getMessage().contains("/targets/2/list_models"), e.getMessage());
        assertTrue(e.getMessage().contains("\"upstream\""), e.getMessage());
    }
}
