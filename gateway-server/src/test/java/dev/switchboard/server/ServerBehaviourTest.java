package dev.switchboard.server;

import static dev.switchboard.server.ServerFixture.LIMITED_KEY;
import static dev.switchboard.server.ServerFixture.SERVER_KEY;
import static dev.switchboard.server.ServerFixture.connect;
import static dev.switchboard.server.ServerFixture.post;
import static dev.switchboard.server.ServerFixture.read;
import static dev.switchboard.server.ServerFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.Json;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.testkit.StubResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's own behaviour: routes, keys, Portkey headers, limits, faults, load and shutdown. */
class ServerBehaviourTest {
    private static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM_CHAT = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");

    private static ServerFixture.Answer exchange(ServerFixture f, String request) throws IOException {
        try (Socket s = connect(f.server)) {
            write(s, request);
            return read(s.getInputStream());
        }
    }

    private static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "Connection: close\r\n\r\n";
    }

    @Test
    void healthMetricsAndUnknownPaths() throws IOException {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Answer health = exchange(f, get("/health", ""));
            assertEquals(200, health.status());
            assertEquals("ok", Json.parse(health.text()).path("status").asText());
            ServerFixture.Answer metrics = exchange(f, get("/metrics", ""));
            assertEquals(200, metrics.status());
            assertTrue(metrics.headers().get("content-type").startsWith("text/plain; version=0.0.4"));
            assertTrue(metrics.text().contains("# TYPE switchboard_overhead_seconds histogram"), metrics.text());
            ServerFixture.Answer missing = exchange(f, get("/v2/nothing?key=secret-in-query", ""));
            assertEquals(404, missing.status());
            String message =
                    Json.parse(missing.text()).path("error").path("message").asText();
            assertTrue(message.contains("/v2/nothing") && message.contains("/v1/"), message);
            assertFalse(message.contains("secret-in-query"), message);
        }
    }

    @Test
    void withoutAValidKeyTheAnswerIs401AndTheProviderIsNeverCalled() throws IOException {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Answer none =
                    exchange(f, post("/v1/chat/completions", "", CHAT).replace("x-portkey-api-key: \r\n", ""));
            assertEquals(401, none.status());
            assertEquals(
                    "invalid_api_key",
                    Json.parse(none.text()).path("error").path("type").asText());
            ServerFixture.Answer wrong = exchange(f, post("/v1/chat/completions", "sb-wrong-key-000000000000", CHAT));
            assertEquals(401, wrong.status());
            assertFalse(wrong.text().contains("sb-wrong-key"), wrong.text());
            ServerFixture.Answer bearer = exchange(
                    f,
                    post("/v1/chat/completions", SERVER_KEY, CHAT)
                            .replace("x-portkey-api-key: ", "Authorization: Bearer "));
            assertEquals(
                    200, bearer.status(), "Authorization: Bearer carries the server key without x-portkey-provider");
            assertEquals(1, f.stub.hits());
        }
    }

    @Test
    void openModeIsRefusedOnAHostThatIsNotLoopbackAndWithoutKeysOrOpenTheServerDoesNotStart() {
        try (ServerFixture f = new ServerFixture()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SwitchboardServer.builder()
                    .gateway(f.gateway)
                    .host("0.0.0.0")
                    .port(0)
                    .open(true)
                    .start());
            assertTrue(e.getMessage().contains("loopback") && e.getMessage().contains("0.0.0.0"), e.getMessage());
            IllegalStateException noKeys = assertThrows(
                    IllegalStateException.class,
                    () -> SwitchboardServer.builder().gateway(f.gateway).port(0).start());
            assertTrue(noKeys.getMessage().contains("no API keys"), noKeys.getMessage());
        }
    }

    @Test
    void openModeOnLoopbackServesWithoutAKey() throws IOException {
        try (ServerFixture f = new ServerFixture();
                SwitchboardServer open = SwitchboardServer.builder()
                        .gateway(f.gateway)
                        .port(0)
                        .open(true)
                        .start()) {
            try (Socket s = connect(open)) {
                write(s, post("/v1/chat/completions", "", CHAT).replace("x-portkey-api-key: \r\n", ""));
                assertEquals(200, read(s.getInputStream()).status());
            }
        }
    }

    @Test
    void portkeyHeadersProviderModeSavedConfigsVirtualKeysAndTheAnswerHeaders() throws IOException {
        try (ServerFixture f = new ServerFixture()) {
            // config-less: x-portkey-provider + Authorization (the provider's key), server key in x-portkey-api-key
            ServerFixture.Answer provider = exchange(
                    f,
                    post("/v1/chat/completions", SERVER_KEY, CHAT)
                            .replace(
                                    "Content-Type",
                                    "x-portkey-provider: openai\r\nAuthorization: Bearer sk-client-provider-key-1\r\n"
                                            + "x-portkey-custom-host: " + f.stub.openAiBaseUrl() + "\r\n"
                                            + "x-portkey-openai-organization: org-42\r\n"
                                            + "x-portkey-trace-id: trace-77\r\n"
                                            + "x-portkey-metadata: {\"team\":\"spoofed\",\"user\":\"u1\"}\r\n"
                                            + "Content-Type"));
            assertEquals(200, provider.status(), provider.text());
            assertEquals("Bearer sk-client-provider-key-1", f.stub.lastRequest().header("authorization"));
            assertEquals("org-42", f.stub.lastRequest().header("openai-organization"));
            assertEquals("trace-77", provider.headers().get("x-portkey-trace-id"));
            assertEquals("config", provider.headers().get("x-portkey-last-used-option-index"));
            assertEquals("0", provider.headers().get("x-portkey-retry-attempt-count"));
            assertEquals(null, f.stub.lastRequest().header("x-portkey-api-key"));
            RequestTrace t = poll(f);
            assertEquals("a", t.metadata().get("team"), "the server key's metadata wins over the header's");
            assertEquals("u1", t.metadata().get("user"));

            // x-portkey-provider without a server key in x-portkey-api-key: 401 naming the rule
            ServerFixture.Answer noServerKey = exchange(
                    f,
                    post("/v1/chat/completions", "", CHAT)
                            .replace(
                                    "x-portkey-api-key: \r\n",
                                    "x-portkey-provider: openai\r\nAuthorization: Bearer " + SERVER_KEY + "\r\n"));
            assertEquals(401, noServerKey.status());
            assertTrue(noServerKey.text().contains("x-portkey-api-key"), noServerKey.text());

            // a saved config by id, then a virtual key by header
            assertEquals(
                    200,
                    exchange(f, withHeader(post("/v1/chat/completions", SERVER_KEY, CHAT), "x-portkey-config: plain"))
                            .status());
            assertEquals("Bearer sk-saved-config-1", f.stub.lastRequest().header("authorization"));
            ServerFixture.Answer unknown = exchange(
                    f, withHeader(post("/v1/chat/completions", SERVER_KEY, CHAT), "x-portkey-config: pc-nope"));
            assertEquals(400, unknown.status());
            assertTrue(
                    unknown.text().contains("[plain, via-other]")
                            || unknown.text().contains("[via-other, plain]"),
                    unknown.text());
            assertEquals(
                    200,
                    exchange(
                                    f,
                                    withHeader(
                                            post("/v1/chat/completions", SERVER_KEY, CHAT),
                                            "x-portkey-virtual-key: stub-prod"))
                            .status());
            assertEquals("Bearer sk-virtual-secret-99", f.stub.lastRequest().header("authorization"));

            // a key limited to @stub-prod reaches neither another virtual key nor one through a saved config
            assertEquals(
                    200,
                    exchange(
                                    f,
                                    withHeader(
                                            post("/v1/chat/completions", LIMITED_KEY, CHAT),
                                            "x-portkey-virtual-key: @stub-prod"))
                            .status());
            ServerFixture.Answer other = exchange(
                    f,
                    withHeader(post("/v1/chat/completions", LIMITED_KEY, CHAT), "x-portkey-virtual-key: @stub-other"));
            assertEquals(403, other.status());
            assertTrue(other.text().contains("@stub-other") && other.text().contains("limited"), other.text());
            assertEquals(
                    403,
                    exchange(
                                    f,
                                    withHeader(
                                            post("/v1/chat/completions", LIMITED_KEY, CHAT),
                                            "x-portkey-config: via-other"))
                            .status());
            assertEquals(
                    403,
                    exchange(
                                    f,
                                    withHeader(
                                            post("/v1/chat/completions", LIMITED_KEY, CHAT),
                                            "x-portkey-config: {\"virtual_key\":\"stub-other\"}"))
                            .status());
        }
    }

    private static String withHeader(String request, String header) {
        return request.replace("Content-Type", header + "\r\nContent-Type");
    }

    private static RequestTrace poll(ServerFixture f) {
        try {
            RequestTrace t = f.traces.poll(10, TimeUnit.SECONDS);
            if (t == null) {
                throw new AssertionError("no trace");
            }
            return t;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badBodiesAre400sInOpenAisEnvelope() throws IOException {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Answer array = exchange(f, post("/v1/chat/completions", SERVER_KEY, "[1,2]"));
            assertEquals(400, array.status());
            assertTrue(array.text().contains("found a JSON array, expected a JSON object"), array.text());
            ServerFixture.Answer broken = exchange(f, post("/v1/chat/completions", SERVER_KEY, "{\"model\":"));
            assertEquals(400, broken.status());
            assertTrue(broken.text().contains("not valid JSON"), broken.text());
            String truncatedForm =
                    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF";
            ServerFixture.Answer form = exchange(
                    f,
                    "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: x\r\nx-portkey-api-key: " + SERVER_KEY
                            + "\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: "
                            + truncatedForm.length() + "\r\n\r\n" + truncatedForm);
            assertEquals(400, form.status());
            assertTrue(form.text().contains("truncated"), form.text());
            ServerFixture.Answer noBoundary = exchange(
                    f,
                    "POST /v1/files HTTP/1.1\r\nHost: x\r\nx-portkey-api-key: " + SERVER_KEY
                            + "\r\nContent-Type: multipart/form-data\r\nContent-Length: 2\r\n\r\nxx");
            assertEquals(400, noBoundary.status());
            assertTrue(noBoundary.text().contains("no boundary"), noBoundary.text());
            assertEquals(0, f.stub.hits());
        }
    }

    @Test
    void bodiesAndHeadersOverTheLimitsAreRefused() throws IOException {
        try (ServerFixture f = new ServerFixture(b -> b.maxBodyBytes(1000).maxHeaderBytes(2048))) {
            ServerFixture.Answer declared =
                    exchange(f, post("/v1/chat/completions", SERVER_KEY, "{\"x\":\"" + "a".repeat(2000) + "\"}"));
            assertEquals(413, declared.status());
            assertEquals("close", declared.headers().get("connection"));
            String chunked = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-portkey-api-key: " + SERVER_KEY
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3e8\r\n" + "a".repeat(1000) + "\r\n3e8\r\n" + "a".repeat(1000) + "\r\n0\r\n\r\n";
            assertEquals(413, exchange(f, chunked).status());
            ServerFixture.Answer headers = exchange(f, get("/health", "x-big: " + "h".repeat(4000) + "\r\n"));
            assertEquals(431, headers.status());
            assertEquals(0, f.stub.hits());
        }
    }

    @Test
    void aClientSendingItsBodyTooSlowlyGets408AndTheConnectionIsClosed() throws IOException {
        try (ServerFixture f = new ServerFixture(b -> b.bodyTimeout(Duration.ofMillis(300)))) {
            try (Socket s = connect(f.server)) {
                write(
                        s,
                        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-portkey-api-key: " + SERVER_KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");
                InputStream in = s.getInputStream();
                ServerFixture.Answer a = read(in); // blocks until the server gives up on the body
                assertEquals(408, a.status());
                assertTrue(a.text().contains("300 ms"), a.text());
                assertEquals(-1, in.read(), "the connection is closed");
            }
            assertEquals(0, f.stub.hits());
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsTheUpstreamCallWhichIsAccounted() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            f.stub.enqueue(StubResponse.chatStream("one", "two", "three").stallAfterEvents(2));
            try (Socket s = connect(f.server)) {
                write(s, post("/v1/chat/completions", SERVER_KEY, STREAM_CHAT));
                InputStream in = s.getInputStream();
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("\"one\"")) {
                    int c = in.read();
                    assertTrue(c >= 0, "the first event arrives before the stall: " + seen);
                    seen.append((char) c);
                }
                assertTrue(seen.toString().contains("text/event-stream"), seen.toString());
            } // the client goes away while the upstream stalls
            assertTrue(f.stub.awaitOpenConnections(0, Duration.ofSeconds(20)), "the upstream call was cancelled");
            RequestTrace trace = poll(f);
            Attempt a = trace.attempts().get(trace.attempts().size() - 1);
            assertTrue(a.errorClass() != null, "the cut stream is recorded as a failed attempt: " + a);
            assertTrue(a.usage() != null, "and accounted: " + a);
        }
    }

    @Test
    void sseEventsAreWrittenAsTheyArriveNotBuffered() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            // the upstream sends the role chunk and one text chunk, then stalls: the client must see them now
            f.stub.enqueue(StubResponse.chatStream("first", "never").stallAfterEvents(2));
            try (Socket s = connect(f.server)) {
                write(s, post("/v1/chat/completions", SERVER_KEY, STREAM_CHAT));
                InputStream in = s.getInputStream();
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    StringBuilder seen = new StringBuilder();
                    while (!seen.toString().contains("\"first\"")) {
                        int c = in.read();
                        assertTrue(c >= 0);
                        seen.append((char) c);
                    }
                });
            }
        }
    }

    @Test
    void aThousandConcurrentKeepAliveConnectionsEachMakingTwoRequests() throws Exception {
        int n = 1000;
        try (ServerFixture f = new ServerFixture()) {
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
                    List<Socket> sockets = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        sockets.add(connect(f.server)); // all open at once
                    }
                    List<Future<Integer>> results = new ArrayList<>();
                    for (Socket s : sockets) {
                        results.add(pool.submit(() -> {
                            int ok = 0;
                            for (int r = 0; r < 2; r++) { // the same connection twice: keep-alive
                                write(s, post("/v1/chat/completions", SERVER_KEY, CHAT));
                                ServerFixture.Answer a = read(s.getInputStream());
                                if (a.status() == 200 && a.text().contains("chat.completion")) {
                                    ok++;
                                }
                            }
                            s.close();
                            return ok;
                        }));
                    }
                    int ok = 0;
                    for (Future<Integer> r : results) {
                        ok += r.get();
                    }
                    assertEquals(2 * n, ok);
                });
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2 * n, f.stub.hits());
        }
    }

    @Test
    void gracefulShutdownLetsAStreamInFlightFinishAndRefusesNewConnections() throws Exception {
        ServerFixture f = new ServerFixture();
        try {
            f.stub.enqueue(StubResponse.chatStream("a", "b", "c", "d").eventDelay(Duration.ofMillis(100)));
            Socket s = connect(f.server);
            write(s, post("/v1/chat/completions", SERVER_KEY, STREAM_CHAT));
            InputStream in = s.getInputStream();
            String status = ServerFixture.line(in);
            assertTrue(status.contains("200"), status);
            CompletableFuture<Boolean> closing =
                    CompletableFuture.supplyAsync(() -> f.server.close(Duration.ofSeconds(20)));
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8); // until the server closes
            assertTrue(rest.contains("\"d\"") && rest.contains("[DONE]"), rest);
            assertTrue(closing.get(30, TimeUnit.SECONDS), "drained before the deadline");
            s.close();
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", f.server.port()).close());
        } finally {
            f.close();
        }
    }
}
