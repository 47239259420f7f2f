package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.afterBuilder;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.UpstreamResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NetworkChecksTest {
    private final LocalServer server;
    private final JdkTransport transport = new JdkTransport();

    NetworkChecksTest() throws Exception {
        server = new LocalServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The stub listens on 127.0.0.1: a private address, refused unless allowed. */
    private static final String ALLOW = "{\"allowPrivateAddresses\":true}";

    private CheckContext ctx(String answer) {
        return afterBuilder(answer)
                .transport(transport)
                .metadata(Map.of("user", "u1"))
                .requestHeaders(Map.of("authorization", "Bearer secret-token"))
                .build();
    }

    private static CheckOutcome run(dev.switchboard.spi.GuardrailCheck check, CheckContext ctx, String params) {
        return check.checkAsync(ctx, params(params)).toCompletableFuture().join();
    }

    @Test
    void webhookPostsTheContextWithoutRequestHeadersAndUsesTheVerdict() {
        server.answer("/hook", 200, "{\"verdict\":false,\"data\":{\"reason\":\"policy\"}}");
        String p = "{\"webhookURL\":\"" + server.uri("/hook") + "\",\"headers\":\"{\\\"x-api-key\\\":\\\"k1\\\"}\"}";
        CheckOutcome o = run(new WebhookCheck(), ctx("the answer"), p);
        assertFalse(o.verdict());
        assertEquals("policy", o.data().at("/responseData/reason").asText());
        LocalServer.Received r = server.received.get(0);
        assertEquals("POST", r.method());
        assertEquals("k1", r.header("x-api-key"));
        JsonNode body = Json.parse(r.body());
        assertEquals("the answer", body.at("/response/text").asText());
        assertEquals("question", body.at("/request/text").asText());
        assertEquals(200, body.at("/response/statusCode").asInt());
        assertEquals("afterRequestHook", body.path("eventType").asText());
        assertEquals("chatComplete", body.path("requestType").asText());
        assertEquals("u1", body.at("/metadata/user").asText());
        assertFalse(r.body().contains("secret-token"), "request headers are not forwarded");
    }

    @Test
    void webhookTransformedDataBecomesTheMutation() {
        server.answer(
                "/hook", 200, "{\"verdict\":true,\"transformedData\":{\"response\":{\"json\":{\"choices\":[]}}}}");
        CheckOutcome o = run(
                new WebhookCheck(),
                ctx("x"),
                "{\"webhookURL\":\"" + server.uri("/hook") + "\",\"headers\":{\"a\":\"b\"}}");
        assertTrue(o.verdict());
        assertTrue(o.transformed());
        assertEquals(0, o.transformedResponse().path("choices").size());
        assertNull(o.transformedRequest());
    }

    @Test
    void webhookErrorsOnNon2xxOrNonJsonAndReadsTheVerdictAsJavaScriptDoes() {
        server.answer("/down", 500, "{}")
                .answer("/odd", 200, "{\"ok\":true}")
                .answer("/text", 200, "yes")
                .answer("/truthy", 200, "{\"verdict\":\"yes\"}");
        CompletionException down = assertThrows(
                CompletionException.class,
                () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/down") + "\"}"));
        assertTrue(down.getCause().getMessage().contains("status: 500"));
        assertThrows(
                CompletionException.class,
                () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/text") + "\"}"));
        assertFalse(
                run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/odd") + "\"}")
                        .verdict(),
                "no verdict in the answer: false, no error (Portkey's response.verdict is undefined)");
        assertTrue(run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/truthy") + "\"}")
                .verdict());
    }

    @Test
    void webhookTimesOutAndCancelsTheCall() {
        CompletableFuture<UpstreamResponse> never = new CompletableFuture<>();
        CheckContext ctx = afterBuilder("x").transport(r -> never).build();
        CompletionException e = assertThrows(
                CompletionException.class,
                () -> run(new WebhookCheck(), ctx, "{\"webhookURL\":\"http://127.0.0.1:9/h\",\"timeout\":1}"));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(never.isCancelled());
    }

    @Test
    void webhookRejectsMissingOrNonHttpUrl() {
        CompletionException e = assertThrows(CompletionException.class, () -> run(new WebhookCheck(), ctx("x"), "{}"));
        assertTrue(e.getCause().getMessage().contains("'webhookURL'"));
        assertThrows(
                CompletionException.class, () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"ftp://x/y\"}"));
        assertThrows(
                CompletionException.class,
                () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"http://x/\",\"headers\":\"not json\"}"));
    }

    @Test
    void logPostsTheContextAndErrorsWhenThePostFailsOrIsNotAnsweredWithJson() {
        server.answer("/log", 200, "{}").answer("/empty", 204, "").answer("/broken", 503, "");
        assertTrue(run(new LogCheck(), ctx("logged"), "{\"logURL\":\"" + server.uri("/log") + "\"}")
                .verdict());
        assertEquals(
                "logged",
                Json.parse(server.received.get(0).body()).at("/response/text").asText());
        CompletionException failed = assertThrows(
                CompletionException.class,
                () -> run(new LogCheck(), ctx("x"), "{\"logURL\":\"" + server.uri("/broken") + "\"}"));
        assertTrue(failed.getCause().getMessage().contains("503"));
        assertThrows(
                CompletionException.class,
                () -> run(new LogCheck(), ctx("x"), "{\"logURL\":\"" + server.uri("/empty") + "\"}"),
                "Portkey's post() parses the answer as JSON");
    }

    @Test
    void validUrlsChecksEveryUrlWithHeadRequests() {
        server.answer("/ok", 200, "").answer("/gone", 404, "");
        String ok = server.uri("/ok").toString();
        String gone = server.uri("/gone").toString();
        CheckOutcome all = run(new ValidUrlsCheck(), ctx("See " + ok + " and " + ok), ALLOW);
        assertTrue(all.verdict(), all.data().toString());
        assertEquals(
                List.of("HEAD", "HEAD"),
                server.received.stream().map(LocalServer.Received::method).toList(),
                "every occurrence is checked, as in Portkey");
        assertEquals(
                List.of(ok + ").", "https://a.example/x"),
                ValidUrlsCheck.urls("See (" + ok + "). And https://a.example/x,"),
                "a ')' and '.' stay part of the URL as Portkey finds it; a comma ends it");
        CheckOutcome some = run(new ValidUrlsCheck(), ctx("See " + ok + " and " + gone), ALLOW);
        assertFalse(some.verdict());
        assertEquals(gone, some.data().path("invalidUrls").path(0).asText());
        assertTrue(run(new ValidUrlsCheck(), ctx("See " + gone), "{\"not\":true,\"allowPrivateAddresses\":true}")
                .verdict());
    }

    @Test
    void validUrlsFollowsRedirectsToA2xx() throws Exception {
        try (LocalServer other = new LocalServer()) {
            other.answer("/final", 200, "");
            server.answerRedirect("/moved", 301, other.uri("/final").toString())
                    .answerRedirect("/loop", 302, "/gone")
                    .answer("/gone", 404, "");
            assertTrue(run(new ValidUrlsCheck(), ctx("See " + server.uri("/moved")), ALLOW)
                    .verdict());
            assertFalse(
                    run(new ValidUrlsCheck(), ctx("See " + server.uri("/loop")), ALLOW)
                            .verdict(),
                    "a redirect to a 404");
        }
    }

    @Test
    void validUrlsWithoutUrlsFails() {
        assertFalse(run(new ValidUrlsCheck(), ctx("no links here"), "{}").verdict());
        assertFalse(run(new ValidUrlsCheck(), ctx("no links here"), "{\"not\":true}")
                .verdict());
    }

    @Test
    void validUrlsOnlyDnsUsesTheResolverAndSendsNothing() {
        AtomicReference<String> asked = new AtomicReference<>();
        ValidUrlsCheck check = new ValidUrlsCheck(host -> {
            asked.set(host);
            return host.equals("example.com");
        });
        assertTrue(run(check, ctx("go to https://example.com/path?q=1"), "{\"onlyDNS\":true}")
                .verdict());
        assertEquals("example.com", asked.get());
        assertFalse(run(check, ctx("go to https://example.com and http://nope.invalid/x"), "{\"onlyDNS\":true}")
                .verdict());
        assertEquals(0, transport.sent.get());
    }
}
