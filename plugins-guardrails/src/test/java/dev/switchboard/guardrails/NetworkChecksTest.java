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

    private CheckContext ctx(String answer) {
        return afterBuilder(answer).transport(transport).metadata(Map.of("user", "u1"))
                .requestHeaders(Map.of("authorization", "Bearer secret-token")).build();
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
        assertEquals("policy", o.data().path("reason").asText());
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
        server.answer("/hook", 200, "{\"verdict\":true,\"transformedData\":{\"response\":{\"json\":{\"choices\":[]}}}}");
        CheckOutcome o = run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/hook") + "\",\"headers\":{\"a\":\"b\"}}");
        assertTrue(o.verdict());
        assertTrue(o.transformed());
        assertEquals(0, o.transformedResponse().path("choices").size());
        assertNull(o.transformedRequest());
    }

    @Test
    void webhookErrorsOnNon2xxOrAnswerWithoutVerdict() {
        server.answer("/down", 500, "{}").answer("/odd", 200, "{\"ok\":true}");
        CompletionException down = assertThrows(CompletionException.class,
                () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/down") + "\"}"));
        assertTrue(down.getCause().getMessage().contains("HTTP 500"));
        CompletionException odd = assertThrows(CompletionException.class,
                () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"" + server.uri("/odd") + "\"}"));
        assertTrue(odd.getCause().getMessage().contains("verdict"));
    }

    @Test
    void webhookTimesOutAndCancelsTheCall() {
        CompletableFuture<UpstreamResponse> never = new CompletableFuture<>();
        CheckContext ctx = afterBuilder("x").transport(r -> never).build();
        CompletionException e = assertThrows(CompletionException.class,
                () -> run(new WebhookCheck(), ctx, "{\"webhookURL\":\"http://127.0.0.1:9/h\",\"timeout\":1}"));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(never.isCancelled());
    }

    @Test
    void webhookRejectsMissingOrNonHttpUrl() {
        CompletionException e = assertThrows(CompletionException.class, () -> run(new WebhookCheck(), ctx("x"), "{}"));
        assertTrue(e.getCause().getMessage().contains("'webhookURL'"));
        assertThrows(CompletionException.class, () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"ftp://x/y\"}"));
        assertThrows(CompletionException.class,
                () -> run(new WebhookCheck(), ctx("x"), "{\"webhookURL\":\"http://x/\",\"headers\":\"not json\"}"));
    }

    @Test
    void logPostsTheContextAndPassesAndFailsOnlyWhenThePostFails() {
        server.answer("/log", 204, "").answer("/broken", 503, "");
        assertTrue(run(new LogCheck(), ctx("logged"), "{\"logURL\":\"" + server.uri("/log") + "\"}").verdict());
        assertEquals("logged", Json.parse(server.received.get(0).body()).at("/response/text").asText());
        CheckOutcome failed = run(new LogCheck(), ctx("x"), "{\"logURL\":\"" + server.uri("/broken") + "\"}");
        assertFalse(failed.verdict());
        assertTrue(failed.data().path("explanation").asText().contains("503"));
    }

    @Test
    void validUrlsChecksEveryUrlWithHeadRequests() {
        server.answer("/ok", 200, "").answer("/moved", 301, "").answer("/gone", 404, "");
        String ok = server.uri("/ok").toString();
        String moved = server.uri("/moved").toString();
        String gone = server.uri("/gone").toString();
        CheckOutcome all = run(new ValidUrlsCheck(), ctx("See " + ok + ", and (" + moved + ")."), "{}");
        assertTrue(all.verdict(), all.data().toString());
        assertEquals(List.of("HEAD", "HEAD"), server.received.stream().map(LocalServer.Received::method).toList());
        CheckOutcome some = run(new ValidUrlsCheck(), ctx("See " + ok + " and " + gone), "{}");
        assertFalse(some.verdict());
        assertEquals(gone, some.data().path("invalidUrls").path(0).asText());
        assertTrue(run(new ValidUrlsCheck(), ctx("See " + gone), "{\"not\":true}").verdict());
    }

    @Test
    void validUrlsWithoutUrlsFails() {
        assertFalse(run(new ValidUrlsCheck(), ctx("no links here"), "{}").verdict());
        assertFalse(run(new ValidUrlsCheck(), ctx("no links here"), "{\"not\":true}").verdict());
    }

    @Test
    void validUrlsOnlyDnsUsesTheResolverAndSendsNothing() {
        AtomicReference<String> asked = new AtomicReference<>();
        ValidUrlsCheck check = new ValidUrlsCheck(host -> {
            asked.set(host);
            return host.equals("example.com");
        });
        assertTrue(run(check, ctx("go to https://example.com/path?q=1"), "{\"onlyDNS\":true}").verdict());
        assertEquals("example.com", asked.get());
        assertFalse(run(check, ctx("go to https://example.com and http://nope.invalid/x"), "{\"onlyDNS\":true}").verdict());
        assertEquals(0, transport.sent.get());
    }
}
