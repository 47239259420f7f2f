package dev.switchboard.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.accounting.TraceJson;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.PromptDefinition;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt templates through the whole gateway, against a local stub upstream. */
class PromptTemplatesTest {
    static final String V1 =
            """
            {"id": "support-reply", "version": 1, "model": "gpt-4o-mini",
             "messages": [{"role": "user", "content": "v1 {{question}}"}]}""";
    static final String V2 =
            """
            {
              "id": "support-reply",
              "version": 2,
              "model": "gpt-4o-mini",
              "parameters": {"temperature": 0.2, "max_tokens": 300},
              "messages": [
                {"role": "system", "content": "You answer for {{company}}.{{#customer.vip}} Be extra kind.{{/customer.vip}}"},
                {"role": "user", "content": "{{#orders}}Order {{id}}. {{/orders}}{{^orders}}No orders. {{/orders}}{{question}}"}
              ],
              "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}],
              "response_format": {"type": "json_object"}
            }""";

    @TempDir
    Path dir;

    private StubUpstream stub;
    private final List<RequestTrace> logged = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Path folder() throws Exception {
        Files.writeString(dir.resolve("support-reply.v1.json"), V1);
        Files.writeString(dir.resolve("support-reply.v2.json"), V2);
        Files.writeString(dir.resolve("README.txt"), "not a prompt");
        return dir;
    }

    private Gateway gateway(String extra) throws Exception {
        return Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\"" + extra + "}")
                .prompts(folder())
                .clock(ManualClock.start())
                .logSink(logged::add)
                .build();
    }

    private static Map<String, Object> vars() {
        return Map.of(
                "company",
                "Acme",
                "customer",
                Map.of("vip", true),
                "orders",
                List.of(Map.of("id", 7), Map.of("id", 9)),
                "question",
                "Where is my parcel?");
    }

    @Test
    void aFolderOfPromptsIsLoadedAndTheNewestVersionRendered() throws Exception {
        stub.enqueue(StubResponse.chatCompletion("On its way"));
        try (Gateway g = gateway("")) {
            GatewayResponse r =
                    g.execute(GatewayRequest.prompt("support-reply", vars()).build());
            assertEquals(200, r.status(), r.bodyAsString());
            assertEquals(
                    "On its way",
                    r.json()
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText());
            JsonNode sent = stub.lastRequest().json();
            assertEquals("/v1/chat/completions", stub.lastRequest().path());
            assertEquals("gpt-4o-mini", sent.path("model").asText());
            assertEquals(0.2, sent.path("temperature").asDouble());
            assertEquals(300, sent.path("max_tokens").asInt());
            assertEquals(
                    "You answer for Acme. Be extra kind.",
                    sent.at("/messages/0/content").asText());
            assertEquals(
                    "Order 7. Order 9. Where is my parcel?",
                    sent.at("/messages/1/content").asText());
            assertEquals("lookup", sent.at("/tools/0/function/name").asText());
            assertEquals("json_object", sent.at("/response_format/type").asText());
            assertFalse(sent.has("variables"));
            assertEquals(Endpoint.CHAT_COMPLETIONS, r.trace().endpoint());
        }
    }

    @Test
    void aVersionCanBeAskedForAndTheTraceRecordsIdAndVersion() throws Exception {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway g = gateway("")) {
            GatewayResponse r = g.execute(GatewayRequest.prompt("support-reply@1", Map.of("question", "Hi?"))
                    .build());
            assertEquals(200, r.status(), r.bodyAsString());
            assertEquals(
                    "v1 Hi?",
                    stub.lastRequest().json().at("/messages/0/content").asText());
            assertEquals("support-reply", r.trace().promptId());
            assertEquals(1, r.trace().promptVersion());
            RequestTrace t = logged.get(0);
            JsonNode line = Json.parse(TraceJson.toLine(t));
            assertEquals("support-reply", line.at("/prompt/id").asText());
            assertEquals(1, line.at("/prompt/version").asInt());

            g.execute(GatewayRequest.prompt("support-reply@latest", vars()).build());
            assertEquals(2, logged.get(1).promptVersion());

            GatewayResponse plain = g.execute(GatewayRequest.chat(
                            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                    .build());
            assertEquals(null, plain.trace().promptId());
            assertFalse(Json.parse(TraceJson.toLine(logged.get(2))).has("prompt"));
        }
    }

    @Test
    void portkeysRouteWithVariablesAndOverridesIsServedAsAChatRequest() throws Exception {
        stub.enqueue(StubResponse.chatCompletion("fine"));
        try (Gateway g = gateway("")) {
            GatewayResponse r = g.execute(GatewayRequest.builder("POST", "/v1/prompts/support-reply/completions")
                    .body("{\"variables\":{\"company\":\"Acme\",\"question\":\"Hello?\"},"
                            + "\"temperature\":0.9,\"max_tokens\":50,\"model\":\"gpt-4o\"}")
                    .metadata("team", "support")
                    .build());
            assertEquals(200, r.status(), r.bodyAsString());
            JsonNode sent = stub.lastRequest().json();
            assertEquals("gpt-4o", sent.path("model").asText(), "overrides win over the prompt's own");
            assertEquals(0.9, sent.path("temperature").asDouble());
            assertEquals(50, sent.path("max_tokens").asInt());
            assertEquals("No orders. Hello?", sent.at("/messages/1/content").asText());
            assertEquals("support", r.trace().metadata().get("team"));
            assertEquals(2, r.trace().promptVersion());
            // the version in the route's path
            g.execute(GatewayRequest.builder("POST", "/v1/prompts/support-reply@1/completions")
                    .body("{\"variables\":{\"question\":\"Q\"}}")
                    .build());
            assertEquals(
                    "v1 Q", stub.lastRequest().json().at("/messages/0/content").asText());
        }
    }

    @Test
    void anUnknownPromptOrVersionOrAMissingVariableIsA400NamingItAndCallsNothing() throws Exception {
        try (Gateway g = gateway("")) {
            GatewayResponse r =
                    g.execute(GatewayRequest.prompt("support-replie", vars()).build());
            assertEquals(400, r.status());
            JsonNode err = r.json().path("error");
            assertEquals("prompt_not_found", err.path("code").asText());
            assertEquals("invalid_request_error", err.path("type").asText());
            assertTrue(err.path("message").asText().contains("\"support-replie\" not found"), err.toString());
            assertTrue(err.path("message").asText().contains("did you mean \"support-reply\""), err.toString());

            r = g.execute(GatewayRequest.prompt("support-reply@9", vars()).build());
            assertEquals(400, r.status());
            assertTrue(
                    r.json().at("/error/message").asText().contains("has no version 9 (the newest is 2)"),
                    r.bodyAsString());

            r = g.execute(GatewayRequest.prompt("support-reply", Map.of("company", "Acme", "secret", "hunter2"))
                    .build());
            assertEquals(400, r.status());
            err = r.json().path("error");
            assertEquals("prompt_variable_missing", err.path("code").asText());
            assertEquals("variables.question", err.path("param").asText());
            String msg = err.path("message").asText();
            assertTrue(msg.contains("prompt \"support-reply@2\": variable \"question\" is missing"), msg);
            assertTrue(msg.contains("/messages/1/content"), msg);
            assertTrue(msg.contains("the variables given: "), msg);
            assertFalse(msg.contains("hunter2"), "values are never echoed: " + msg);
            assertEquals("support-reply", r.trace().promptId());
            assertEquals(2, r.trace().promptVersion(), "the version found is recorded even when rendering fails");
            assertEquals(0, stub.hits(), "nothing was sent upstream");
        }
        try (Gateway none = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\"}")
                .build()) {
            GatewayResponse r =
                    none.execute(GatewayRequest.prompt("support-reply", vars()).build());
            assertEquals(400, r.status());
            assertTrue(
                    r.json().at("/error/message").asText().contains("this gateway has no prompts"), r.bodyAsString());
            assertEquals(0, stub.hits());
        }
    }

    @Test
    void theCacheKeyCoversTheRenderedRequest() throws Exception {
        stub.setDefault(StubResponse.chatCompletion("cached?"));
        try (Gateway g = gateway(",\"cache\":{\"mode\":\"simple\"}")) {
            GatewayResponse a =
                    g.execute(GatewayRequest.prompt("support-reply", vars()).build());
            GatewayResponse same =
                    g.execute(GatewayRequest.prompt("support-reply", vars()).build());
            Map<String, Object> other = new java.util.HashMap<>(vars());
            other.put("question", "Something else?");
            GatewayResponse different =
                    g.execute(GatewayRequest.prompt("support-reply", other).build());
            GatewayResponse otherVersion =
                    g.execute(GatewayRequest.prompt("support-reply@1", Map.of("question", "Where is my parcel?"))
                            .build());
            assertEquals(CacheStatus.MISS, a.trace().cacheStatus());
            assertEquals(CacheStatus.HIT, same.trace().cacheStatus());
            assertEquals(CacheStatus.MISS, different.trace().cacheStatus(), "other variables, another key");
            assertEquals(CacheStatus.MISS, otherVersion.trace().cacheStatus(), "another version, another key");
            assertEquals(3, stub.hits());
        }
    }

    @Test
    void aStreamIsAskedForWithStreamTrueAmongTheOverrides() throws Exception {
        stub.enqueue(StubResponse.chatStream("On ", "its ", "way"));
        try (Gateway g = gateway("")) {
            GatewayResponse r = g.execute(GatewayRequest.prompt("support-reply", vars(), Map.of("stream", true))
                    .build());
            assertTrue(r.isStream());
            StringBuilder text = new StringBuilder();
            List<String> data = new ArrayList<>();
            try (var s = r.stream()) {
                for (ServerSentEvent e : s) {
                    data.add(e.data());
                    if (!"[DONE]".equals(e.data())) {
                        text.append(Json.parse(e.data())
                                .at("/choices/0/delta/content")
                                .asText(""));
                    }
                }
            }
            assertEquals("On its way", text.toString());
            assertEquals("[DONE]", data.get(data.size() - 1));
            assertTrue(stub.lastRequest().json().path("stream").asBoolean());
            assertEquals("support-reply", r.trace().promptId());
        }
        // and through Portkey's route
        stub.enqueue(StubResponse.chatStream("a", "b"));
        try (Gateway g = gateway("")) {
            GatewayResponse r = g.execute(GatewayRequest.builder("POST", "/v1/prompts/support-reply@1/completions")
                    .body("{\"variables\":{\"question\":\"Q\"},\"stream\":true}")
                    .build());
            assertTrue(r.isStream());
            r.stream().close();
        }
    }

    @Test
    void explainRoutesTheRenderedRequest() throws Exception {
        try (Gateway g = Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":[{\"query\":{\"params.model\":"
                        + "{\"$eq\":\"gpt-4o-mini\"}},\"then\":\"mini\"}],\"default\":\"big\"},\"targets\":["
                        + "{\"name\":\"mini\",\"provider\":\"openai\",\"api_key\":\"sk-test\"},"
                        + "{\"name\":\"big\",\"provider\":\"openai\",\"api_key\":\"sk-test\"}]}")
                .prompts(folder())
                .build()) {
            String explained = g.explain(
                            GatewayRequest.prompt("support-reply", vars()).build())
                    .toString();
            assertTrue(explained.contains("config.targets[0]"), explained);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> g.explain(GatewayRequest.prompt("nope", vars()).build()));
        }
    }

    @Test
    void invalidPromptFilesFailWhenLoadedNamingFileLineAndColumn() throws Exception {
        Path f = dir.resolve("broken.json");
        Files.writeString(
                f,
                """
                {"id": "broken", "version": 1, "model": "gpt-4o-mini",
                 "messages": [
                   {"role": "user", "content": "Hi {{#orders}}{{id}}"}
                 ]}""");
        PromptException e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        assertEquals(f.toString(), e.source());
        assertEquals("/messages/0/content", e.pointer());
        assertEquals(3, e.line());
        // the string starts at column 32 (its quote); "Hi " is 3 characters: the tag is at column 36
        assertEquals(36, e.column(), e.getMessage());
        assertTrue(
                e.getMessage().startsWith(f + ":3:36 (/messages/0/content): section {{#orders}} is never closed"),
                e.getMessage());

        // escapes before the tag count in the file's columns
        Files.writeString(
                f,
                "{\"id\":\"broken\",\"version\":1,\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"a\\n\\u00e9{{/x}}\"}]}");
        e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        int quote = Files.readString(f).indexOf("\"a\\n");
        assertEquals(quote + 1 + 1 + 2 + 6 + 1, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains("no open section"), e.getMessage());

        Files.writeString(f, "{\"id\":\"broken\",\"version\":1,\"model\":\"m\",\"mesages\":[]}");
        e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        assertTrue(e.getMessage().contains("did you mean \"messages\""), e.getMessage());

        Files.writeString(f, "{\"id\":\"broken\",\n\"version\":0}");
        e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        assertEquals("/version", e.pointer());
        assertEquals(2, e.line(), e.getMessage());

        Files.writeString(f, "{\"id\":\"broken\",");
        e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());

        Files.delete(f);
        Files.writeString(dir.resolve("a.json"), V1);
        Files.writeString(dir.resolve("b.json"), V1);
        e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        assertTrue(e.getMessage().contains("version 1 a second time"), e.getMessage());

        Files.delete(dir.resolve("b.json"));
        Files.writeString(dir.resolve("c.yaml"), "id: x");
        e = assertThrows(PromptException.class, () -> PromptLibrary.fromFolder(dir));
        assertTrue(e.getMessage().contains("expected JSON"), e.getMessage());
    }

    @Test
    void aStoreOfYourOwnIsCompiledOnUse() throws Exception {
        PromptDefinition good = PromptDefinition.of(Json.parse(V1), "db");
        PromptDefinition bad = PromptDefinition.of(
                Json.parse("{\"id\":\"bad\",\"version\":1,\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"{{x\"}]}"),
                "db");
        stub.enqueue(StubResponse.chatCompletion("ok"));
        try (Gateway g = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + stub.openAiBaseUrl()
                        + "\"}")
                .prompts((id, version) ->
                        Optional.ofNullable(id.equals("support-reply") ? good : id.equals("bad") ? bad : null))
                .build()) {
            assertEquals(
                    200,
                    g.execute(GatewayRequest.prompt("support-reply", Map.of("question", "q"))
                                    .build())
                            .status());
            GatewayResponse r = g.execute(GatewayRequest.prompt("bad", Map.of()).build());
            assertEquals(500, r.status());
            assertTrue(
                    r.json().at("/error/message").asText().contains("db (/messages/0/content): unclosed tag"),
                    r.bodyAsString());
            assertTrue(
                    r.json().at("/error/message").asText().contains("line 1, column 1 of the template"),
                    r.bodyAsString());
        }
        assertThrows(IllegalArgumentException.class, () -> GatewayRequest.prompt("bad id", Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> GatewayRequest.prompt("x", Map.of(), Map.of("messages", List.of())));
    }
}
