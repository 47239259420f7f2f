package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.accounting.TraceJson;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayErrorException;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.RealtimeListener;
import dev.switchboard.api.RealtimeSession;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubRealtime;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Realtime sessions (issue 11) against {@link StubRealtime}, a WebSocket server on 127.0.0.1: events
 * both ways in order, usage and cost from {@code response.done}, a budget cut mid-session, idle and
 * session timeouts on an injected clock and sleeper, an upstream that drops the connection, fallback
 * when a handshake fails, and no secret in errors or traces. Waits are bounded by a watchdog, never slept.
 */
class RealtimeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY = "sk-realtime-secret-0123456789abcdef";

    private StubRealtime stub;
    private final List<RequestTrace> logged = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        stub = StubRealtime.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    /** Records what the gateway delivers, in order. */
    static final class Recorder implements RealtimeListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final List<String> all = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String reason;
        volatile boolean eventAfterClose;

        @Override
        public void onEvent(String json) {
            if (closed.isDone()) {
                eventAfterClose = true;
            }
            all.add(json);
            events.add(json);
        }

        @Override
        public void onClose(int code, String reason) {
            this.reason = reason;
            closed.complete(code);
        }

        @Override
        public void onError(Throwable error) {
            errors.add(error);
        }

        JsonNode next() throws InterruptedException {
            String e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(e, "no event within " + WAIT + "; got " + all);
            return Json.parse(e);
        }

        JsonNode nextOfType(String type) throws InterruptedException {
            while (true) {
                JsonNode e = next();
                if (type.equals(e.path("type").asText())) {
                    return e;
                }
            }
        }

        int awaitClose() throws Exception {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A sleeper the test completes by hand, after moving the manual clock. */
    static final class HandSleeper implements Sleeper {
        record Pending(Duration duration, CompletableFuture<Void> future) {}

        final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

        @Override
        public CompletableFuture<Void> sleep(Duration duration) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(new Pending(duration, f));
            return f;
        }

        Pending next() throws InterruptedException {
            Pending p = pending.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(p, "the session armed no timer");
            return p;
        }
    }

    private String openai(String extra) {
        return "{\"provider\":\"openai\",\"api_key\":\"" + KEY + "\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private Gateway.Builder gateway(String config) {
        return Gateway.builder().config(config).logSink(logged::add);
    }

    private static RealtimeSession open(Gateway g, Recorder r) {
        return g.realtime(GatewayRequest.realtime("gpt-realtime").build(), r)
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    private RequestTrace ended(RealtimeSession s) throws Exception {
        RequestTrace t = s.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(t.finished());
        assertEquals(1, logged.size(), "one trace per session");
        return t;
    }

    @Test
    void eventsGoBothWaysInOrderAndTheHandshakeCarriesTheTargetsCredentials() throws Exception {
        stub.script((c, event) -> c.send("{\"type\":\"echo\",\"of\":" + event + "}"));
        try (Gateway g = gateway(openai("")).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            assertEquals("session.created", r.next().path("type").asText());
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            assertEquals("/v1/realtime", c.handshake().path());
            assertEquals("model=gpt-realtime", c.handshake().query());
            assertEquals("Bearer " + KEY, c.handshake().header("authorization"));
            assertNull(c.handshake().header("openai-beta"), "the GA protocol sends no beta header");

            int n = 500;
            for (int i = 0; i < n; i++) {
                s.send("{\"type\":\"conversation.item.create\",\"n\":" + i + "}");
            }
            for (int i = 0; i < n; i++) {
                JsonNode e = r.next();
                assertEquals("echo", e.path("type").asText());
                assertEquals(i, e.path("of").path("n").asInt(), "server events in order");
            }
            List<String> up = c.received();
            for (int i = 0; i < n; i++) {
                assertEquals(i, Json.parse(up.get(i)).path("n").asInt(), "client events in order");
            }
            s.close();
            assertEquals(RealtimeSession.CLOSE_NORMAL, r.awaitClose());
            assertEquals(RealtimeSession.CLOSE_NORMAL, c.awaitClosed(WAIT));
            RequestTrace t = ended(s);
            assertFalse(s.isOpen());
            assertEquals(dev.switchboard.api.Endpoint.REALTIME, t.endpoint());
            assertEquals(101, t.status());
            Attempt session = t.attempts().get(0);
            assertEquals(101, session.status());
            assertNull(session.errorClass(), session.toString());
            assertThrows(CompletionException.class, () -> s.send("{}").join(), "a closed session sends nothing");
        }
    }

    @Test
    void theBetaProtocolHeaderReachesTheUpstream() throws Exception {
        try (Gateway g = gateway(openai("")).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = g.realtime(
                            GatewayRequest.realtime("gpt-4o-realtime-preview")
                                    .header("OpenAI-Beta", "realtime=v1")
                                    .build(),
                            r)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            assertEquals("realtime=v1", c.handshake().header("openai-beta"));
            assertEquals("model=gpt-4o-realtime-preview", c.handshake().query());
            s.close();
            r.awaitClose();
        }
    }

    @Test
    void everyResponseDoneIsPricedWithAudioAndCachedTokensAndTheTraceSumsThem() throws Exception {
        try (Gateway g = gateway(openai("")).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            for (int i = 0; i < 2; i++) {
                s.send("{\"type\":\"response.create\"}");
                JsonNode done = r.nextOfType("response.done");
                assertEquals(
                        100,
                        done.path("response").path("usage").path("input_tokens").asInt());
            }
            s.close();
            r.awaitClose();
            RequestTrace t = ended(s);
            List<Attempt> a = t.attempts();
            assertEquals(3, a.size(), "the session, then one entry per response: " + a);
            // gpt-realtime: 20 text in × $4/M + 20 cached × $0.4/M + 60 audio in × $32/M
            //             + 10 text out × $16/M + 40 audio out × $64/M = $0.004728
            BigDecimal each = new BigDecimal("0.004728");
            for (Attempt response : a.subList(1, 3)) {
                assertEquals(200, response.status());
                assertEquals(new Usage(100, 50, 150, 20, 0, 0, 60, 40, false), response.usage());
                assertEquals(
                        0,
                        each.compareTo(response.cost().usd()),
                        response.cost().toString());
                assertTrue(
                        response.notes().get(0).startsWith("realtime response resp_"),
                        response.notes().toString());
            }
            assertEquals(0, new BigDecimal("0.009456").compareTo(t.totalCost().usd()));
            assertEquals(300, t.totalUsage().totalTokens());
            String line = TraceJson.toLine(t);
            assertTrue(line.contains("\"realtime\""), line);
        }
    }

    @Test
    void aBudgetThatRunsOutMidSessionEndsItWithADocumentedEventAndClose() throws Exception {
        // each response: 100 text in × $4/M + 2000 audio out × $64/M = $0.1284; the session reserves
        // room for one response at gpt-realtime's 4096-token output limit × $16/M = $0.0655
        stub.usage("{\"total_tokens\":2100,\"input_tokens\":100,\"output_tokens\":2000,"
                + "\"input_token_details\":{\"cached_tokens\":0,\"text_tokens\":100,\"audio_tokens\":0},"
                + "\"output_token_details\":{\"text_tokens\":0,\"audio_tokens\":2000}}");
        ProviderCredentials key = ProviderCredentials.builder("openai")
                .secret(KEY)
                .limits(KeyLimits.builder().budgetUsdPerDay("0.20").build())
                .build();
        String config = "{\"provider\":\"@rt\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}";
        try (Gateway g = gateway(config).provider("@rt", key).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            s.send("{\"type\":\"response.create\"}");
            r.nextOfType("response.done"); // $0.1284 + $0.0655 held: still fits $0.20
            s.send("{\"type\":\"response.create\"}");
            r.nextOfType("response.done"); // $0.2568: no room for another response
            JsonNode error = r.next();
            assertEquals("error", error.path("type").asText(), error.toString());
            assertEquals("budget_exceeded", error.path("error").path("type").asText());
            String message = error.path("error").path("message").asText();
            assertTrue(message.contains("@rt") && message.contains("$0.20"), message);
            assertEquals(RealtimeSession.CLOSE_BUDGET_EXCEEDED, r.awaitClose());
            assertFalse(r.eventAfterClose);
            c.awaitClosed(WAIT);
            RequestTrace t = ended(s);
            assertEquals("budget_exceeded", t.attempts().get(0).errorClass());
            assertEquals(0, new BigDecimal("0.2568").compareTo(t.totalCost().usd()));

            // the spent budget refuses the next session before any connection
            int before = stub.handshakes().size();
            CompletionException refused = assertThrows(CompletionException.class, () -> g.realtime(
                            GatewayRequest.realtime("gpt-realtime").build(), new Recorder())
                    .join());
            GatewayErrorException e = assertInstanceOf(GatewayErrorException.class, refused.getCause());
            assertEquals(412, e.status());
            assertEquals("budget_exceeded", e.type());
            assertEquals(before, stub.handshakes().size(), "a refused session never reaches the provider");
        }
    }

    @Test
    void anIdleSessionEndsAfterItsIdleTimeoutButActivityKeepsItOpen() throws Exception {
        ManualClock clock = ManualClock.start();
        HandSleeper sleeper = new HandSleeper();
        String config = openai("\"realtime\":{\"idle_timeout\":5000,\"session_timeout\":600000}");
        try (Gateway g = gateway(config).clock(clock).sleeper(sleeper).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            r.nextOfType("session.created");
            HandSleeper.Pending first = sleeper.next();
            assertEquals(Duration.ofMillis(5000), first.duration());

            clock.advance(Duration.ofSeconds(3));
            s.send("{\"type\":\"input_audio_buffer.clear\"}").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            first.future().complete(null); // at 3 s: active 0 s ago
            HandSleeper.Pending second = sleeper.next();
            assertEquals(Duration.ofMillis(5000), second.duration(), "re-armed from the last activity");
            assertTrue(s.isOpen());
            assertFalse(r.closed.isDone());

            clock.advance(Duration.ofSeconds(5));
            second.future().complete(null); // 5 s without anything either way
            JsonNode error = r.nextOfType("error");
            assertEquals("timeout_error", error.path("error").path("type").asText());
            assertEquals("idle_timeout", error.path("error").path("code").asText());
            assertEquals(RealtimeSession.CLOSE_IDLE_TIMEOUT, r.awaitClose());
            c.awaitClosed(WAIT);
            RequestTrace t = ended(s);
            assertEquals("idle_timeout", t.attempts().get(0).errorClass());
            assertTrue(t.attempts().get(0).errorMessage().contains("5000 ms"));
        }
    }

    @Test
    void aSessionEndsAtItsSessionTimeoutEvenWhileActive() throws Exception {
        ManualClock clock = ManualClock.start();
        HandSleeper sleeper = new HandSleeper();
        String config = openai("\"realtime\":{\"idle_timeout\":60000,\"session_timeout\":2000}");
        try (Gateway g = gateway(config).clock(clock).sleeper(sleeper).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            HandSleeper.Pending p = sleeper.next();
            assertEquals(Duration.ofMillis(2000), p.duration());
            clock.advance(Duration.ofSeconds(2));
            s.send("{\"type\":\"input_audio_buffer.clear\"}");
            p.future().complete(null);
            assertEquals(RealtimeSession.CLOSE_SESSION_TIMEOUT, r.awaitClose());
            assertEquals("session_timeout", ended(s).attempts().get(0).errorClass());
        }
    }

    @Test
    void anUpstreamThatDropsTheConnectionEndsTheSessionWithAnErrorAnd1006() throws Exception {
        try (Gateway g = gateway(openai("")).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            r.nextOfType("session.created");
            c.abort();
            assertEquals(RealtimeSession.CLOSE_ABNORMAL, r.awaitClose());
            assertEquals(1, r.errors.size(), r.errors.toString());
            RequestTrace t = ended(s);
            assertEquals("upstream_aborted", t.attempts().get(0).errorClass());
            assertFalse(s.isOpen());
        }
    }

    @Test
    void anUpstreamCloseFrameIsPassedOnWithItsCode() throws Exception {
        try (Gateway g = gateway(openai("")).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            stub.awaitConnection(WAIT).close(4000, "session expired");
            assertEquals(4000, r.awaitClose());
            assertEquals("session expired", r.reason);
            assertEquals("upstream_closed", ended(s).attempts().get(0).errorClass());
        }
    }

    @Test
    void openingFallsBackPastARefusedConnectionAndAFailedHandshake() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        stub.failNextHandshake(500);
        String config = "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                + "{\"provider\":\"openai\",\"api_key\":\"" + KEY + "\",\"custom_host\":\"http://127.0.0.1:"
                + closedPort
                + "/v1\"}," + openai("") + "," + openai("\"override_params\":{\"model\":\"gpt-realtime-mini\"}") + "]}";
        try (Gateway g = gateway(config).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            assertEquals("model=gpt-realtime-mini", c.handshake().query(), "the third target's override_params");
            s.close();
            r.awaitClose();
            RequestTrace t = ended(s);
            List<Attempt> a = t.attempts();
            assertEquals("config.targets[0]", a.get(0).targetPath());
            assertEquals("network", a.get(0).errorClass());
            assertEquals("config.targets[1]", a.get(1).targetPath());
            assertEquals(500, a.get(1).status());
            assertEquals("http_500", a.get(1).errorClass());
            assertEquals("config.targets[2]", a.get(2).targetPath());
            assertEquals(101, a.get(2).status());
            assertEquals("config.targets[2]", t.lastUsedOptionIndex());
        }
    }

    @Test
    void aProviderWithoutRealtimeIsATargetFailureAndTheFallbackMovesOn() throws Exception {
        String config = "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                + "{\"provider\":\"anthropic\",\"api_key\":\"sk-ant-test-000000\"}," + openai("") + "]}";
        try (Gateway g = gateway(config).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            s.close();
            r.awaitClose();
            Attempt first = ended(s).attempts().get(0);
            assertEquals(400, first.status());
            assertTrue(first.errorMessage().contains("anthropic"), first.errorMessage());
        }
    }

    @Test
    void azureSessionsUseTheDeploymentUrlAndTheApiKeyHeader() throws Exception {
        String config = "{\"provider\":\"azure-openai\",\"api_key\":\"" + KEY + "\",\"custom_host\":\""
                + stub.azureBaseUrl() + "\",\"deployment_id\":\"rt-prod\",\"api_version\":\"2024-10-01-preview\"}";
        try (Gateway g = gateway(config).build()) {
            Recorder r = new Recorder();
            RealtimeSession s = open(g, r);
            StubRealtime.Connection c = stub.awaitConnection(WAIT);
            assertEquals("/openai/realtime", c.handshake().path());
            assertEquals(
                    "api-version=2024-10-01-preview&deployment=rt-prod",
                    c.handshake().query());
            assertEquals(KEY, c.handshake().header("api-key"));
            assertNull(c.handshake().header("authorization"));
            s.close();
            r.awaitClose();
        }
    }

    @Test
    void noSecretInTheErrorTheTraceOrTheLogWhenEveryHandshakeFails() throws Exception {
        stub.failNextHandshake(401).failNextHandshake(401);
        String config = "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + openai("") + "," + openai("") + "]}";
        try (Gateway g = gateway(config).build()) {
            CompletionException failed = assertThrows(CompletionException.class, () -> g.realtime(
                            GatewayRequest.realtime("gpt-realtime").build(), new Recorder())
                    .join());
            GatewayErrorException e = assertInstanceOf(GatewayErrorException.class, failed.getCause());
            assertEquals(401, e.status());
            assertTrue(e.getMessage().contains("401"), e.getMessage());
            assertTrue(e.getMessage().contains("****"), "the upstream quoted the key; it is masked: " + e.getMessage());
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertEquals(2, stub.handshakes().size());
            assertEquals("Bearer " + KEY, stub.handshakes().get(0).header("authorization"));
            assertEquals(1, logged.size());
            RequestTrace t = logged.get(0);
            assertEquals(401, t.status());
            String text = TraceJson.toLine(t) + t + t.attempts();
            assertFalse(text.contains(KEY), text);
            assertTrue(text.contains("****"), text);
        }
    }

    @Test
    void clientSecretsAndSessionsPassThroughToOpenAi() {
        try (StubUpstream http = StubUpstream.start();
                Gateway g = Gateway.fromConfig(RoutingTest.target(http, ""))) {
            http.enqueue(StubResponse.json(200, "{\"value\":\"ek_123\",\"expires_at\":1756310470}"));
            GatewayResponse r = g.execute(GatewayRequest.builder("POST", "/v1/realtime/client_secrets")
                    .body("{\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}")
                    .build());
            assertEquals(200, r.status(), r.toString());
            assertEquals("ek_123", r.json().path("value").asText());
            assertEquals("/v1/realtime/client_secrets", http.lastRequest().path());
            assertEquals(
                    "gpt-realtime",
                    http.lastRequest().json().path("session").path("model").asText());
            assertEquals("Bearer sk-test", http.lastRequest().header("authorization"));

            http.enqueue(StubResponse.json(200, "{\"id\":\"sess_1\",\"client_secret\":{\"value\":\"ek_456\"}}"));
            GatewayResponse legacy = g.execute(GatewayRequest.builder("POST", "/v1/realtime/sessions")
                    .body("{\"model\":\"gpt-4o-realtime-preview\"}")
                    .build());
            assertEquals(200, legacy.status());
            assertEquals("/v1/realtime/sessions", http.lastRequest().path());
        }
    }

    @Test
    void aConfigWithABadRealtimeSettingIsAConfigExceptionAtItsPointer() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Gateway.fromConfig(openai("\"realtime\":{\"idle_timeout\":-1,\"max_minutes\":3}")));
        assertTrue(e.getMessage().contains("/realtime/idle_timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("max_minutes"), e.getMessage());
    }

    @Test
    void closingTheGatewayEndsOpenSessionsWithGoingAway() throws Exception {
        Gateway g = gateway(openai("")).build();
        Recorder r = new Recorder();
        RealtimeSession s = open(g, r);
        r.nextOfType("session.created");
        g.close();
        assertEquals(RealtimeSession.CLOSE_GATEWAY_CLOSED, r.awaitClose());
        assertEquals("gateway_closed", ended(s).attempts().get(0).errorClass());
        List<String> types = new ArrayList<>();
        for (String e : r.all) {
            types.add(Json.parse(e).path("type").asText());
        }
        assertEquals(List.of("session.created", "error"), types);
    }
}
