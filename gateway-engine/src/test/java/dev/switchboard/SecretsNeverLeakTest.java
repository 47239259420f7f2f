package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.accounting.JsonlFileSink;
import dev.switchboard.accounting.Slf4jLogSink;
import dev.switchboard.accounting.TraceJson;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayErrorException;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, defects 5 and 9: a fault run whose every user-visible string — answer bodies,
 * {@link GatewayErrorException} messages, traces, the JSONL and SLF4J request logs, call listeners,
 * {@code explain()}, {@link ConfigException}s — is collected and searched for each configured
 * secret; header values with line breaks fail at build time (or 400 at request time) naming the
 * field, never the value; a request-timeout header of 0, -1 or garbage keeps the configured timeout.
 */
class SecretsNeverLeakTest {
    /** Secrets that look like nothing in particular: only knowing them by value can mask them. */
    private static final String ECHOED = "CHAOSSECRET-echoed-by-upstream-41";

    private static final String NEWLINE = "CHAOSSECRET-trailing-newline-42";
    private static final String MALFORMED = "CHAOSSECRET-malformed-config-43";
    private static final String USERINFO = "CHAOSSECRET-userinfo-44";
    private static final String VIRTUAL = "CHAOSSECRET-virtual-key-45";
    private static final String HEADER = "CHAOSSECRET-forwarded-header-46";
    private static final String OVERRIDE = "CHAOSSECRET-override-47";
    private static final String SHAPED = "sk-proj-unknownToTheGateway0123456789";
    private static final List<String> SECRETS =
            List.of(ECHOED, NEWLINE, MALFORMED, USERINFO, VIRTUAL, HEADER, OVERRIDE, SHAPED);

    @TempDir
    Path dir;

    private StubUpstream upstream;
    private final List<String> seen = new ArrayList<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void start() {
        upstream = StubUpstream.start();
        originalErr = System.err;
        // slf4j-simple writes to the current System.err: the SLF4J request log is captured here
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        upstream.close();
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    private void collect(GatewayResponse r) {
        seen.add(r.json() == null ? "" : r.json().toString());
        seen.add(r.headers().toString());
        try {
            r.throwIfError();
        } catch (GatewayErrorException e) {
            seen.add(e.getMessage());
            seen.add(e.toString());
        }
        for (Attempt a : r.trace().attempts()) {
            seen.add(a.toString());
        }
        seen.add(TraceJson.toLine(r.trace()));
    }

    private String collect(ConfigException e) {
        seen.add(e.getMessage());
        seen.add(e.toString());
        e.problems().forEach(p -> seen.add(p.toString()));
        return e.getMessage();
    }

    private void assertNoSecretIn(List<String> texts) {
        for (String text : texts) {
            for (String secret : SECRETS) {
                if (text.contains(secret)) {
                    // the report names which secret and where, never the secret itself
                    fail("secret #" + SECRETS.indexOf(secret) + " leaked into a user-visible string: "
                            + text.replace(secret, "<secret #" + SECRETS.indexOf(secret) + ">"));
                }
            }
        }
    }

    @Test
    void anUpstreamErrorEchoingTheKeyIsMaskedInTheBodyTheExceptionTheTraceAndEveryLogSink() throws IOException {
        Path jsonl = dir.resolve("requests.jsonl");
        List<Attempt> listened = new ArrayList<>();
        upstream.enqueue(StubResponse.error(401, "Incorrect API key provided: " + ECHOED + " (also " + SHAPED + ")"));
        try (JsonlFileSink sink = new JsonlFileSink(jsonl)) {
            Gateway g = Gateway.builder()
                    .config("{\"provider\":\"openai\",\"api_key\":\"" + ECHOED + "\",\"custom_host\":\""
                            + upstream.openAiBaseUrl() + "\"}")
                    .logSink(sink)
                    .logSink(new Slf4jLogSink())
                    .callListenerFactory(request -> new dev.switchboard.spi.CallListener() {
                        @Override
                        public void attemptEnd(Attempt attempt) {
                            listened.add(attempt);
                        }
                    })
                    .build();
            GatewayResponse r = g.execute(chat());
            assertEquals(401, r.status());
            collect(r);
            String message = r.json().path("error").path("message").asText();
            assertTrue(message.contains("Incorrect API key provided: ****"), message);
        }
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(1, lines.size(), "one JSONL line per request");
        seen.addAll(lines);
        String slf4j = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(slf4j.contains(Slf4jLogSink.LOGGER), "the SLF4J request log was captured: " + slf4j);
        seen.add(slf4j);
        assertEquals(1, listened.size());
        seen.add(listened.get(0).toString());
        assertTrue(
                listened.get(0).errorMessage().contains("****"), listened.get(0).errorMessage());
        assertNoSecretIn(seen);
    }

    @Test
    void aMidStreamErrorEchoingTheKeyIsMaskedInTheStreamsErrorEventAndTheTrace() {
        // the first chunk arrives, then the upstream's error event quotes the key (and a key-shaped text)
        upstream.enqueue(StubResponse.sse(List.of(
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Once\"}}]}",
                "{\"error\":{\"message\":\"Incorrect API key provided: " + ECHOED + " (also " + SHAPED
                        + ")\",\"type\":\"invalid_request_error\"}}")));
        Gateway g = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"" + ECHOED + "\",\"custom_host\":\""
                + upstream.openAiBaseUrl() + "\"}");
        GatewayResponse r = g.execute(GatewayRequest.chat(
                        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build());
        assertEquals(200, r.status());
        List<String> events = new ArrayList<>();
        try (dev.switchboard.api.EventStream stream = r.stream()) {
            stream.forEach(e -> events.add(e.data()));
        }
        assertEquals("[DONE]", events.get(events.size() - 1), events.toString());
        String error = events.get(events.size() - 2);
        assertTrue(
                error.contains("Incorrect API key provided: ****"),
                () -> "the error event: " + error.replace(ECHOED, "<secret #0>").replace(SHAPED, "<secret #7>"));
        seen.addAll(events);
        seen.add(r.headers().toString());
        for (Attempt a : r.trace().attempts()) {
            seen.add(a.toString());
        }
        seen.add(TraceJson.toLine(r.trace()));
        assertNoSecretIn(seen);
    }

    @Test
    void anApiKeyWithATrailingNewlineFailsTheBuildNamingTheFieldNotTheValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> Gateway.builder()
                .config(Json.object()
                        .put("provider", "openai")
                        .put("api_key", NEWLINE + "\n")
                        .put("custom_host", upstream.openAiBaseUrl()))
                .build());
        assertEquals("/api_key", e.path());
        assertTrue(collect(e).contains("line feed"), e.getMessage());
        assertNoSecretIn(seen);
    }

    @Test
    void aVirtualKeySecretWithATrailingNewlineFailsTheBuildNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> Gateway.builder()
                .config("{\"provider\":\"@team\"}")
                .provider(
                        "@team",
                        ProviderCredentials.builder("openai")
                                .secret("Bearer " + VIRTUAL + "\r\n")
                                .baseUrl(upstream.openAiBaseUrl())
                                .build())
                .build());
        String message = collect(e);
        assertTrue(
                message.contains("@team") && message.contains("secret") && message.contains("carriage return"),
                message);
        assertNoSecretIn(seen);
    }

    @Test
    void aForwardedHeaderWithALineBreakIs400NamingTheHeader() {
        Gateway g = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\""
                + upstream.openAiBaseUrl() + "\",\"forward_headers\":[\"x-tenant-auth\"]}");
        GatewayResponse r = g.execute(
                chat().toBuilder().header("x-tenant-auth", HEADER + "\n").build());
        assertEquals(400, r.status(), r.json().toString());
        String message = r.json().path("error").path("message").asText();
        assertTrue(message.contains("x-tenant-auth") && message.contains("line feed"), message);
        assertEquals(0, upstream.hits(), "nothing was sent");
        collect(r);
        assertNoSecretIn(seen);
    }

    @Test
    void aMalformedConfigNeverQuotesItsInput() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Gateway.fromConfig("{\"provider\": \"openai\", \"api_key\": " + MALFORMED + "}"));
        assertTrue(collect(e).contains("line 1"), e.getMessage());
        assertNoSecretIn(seen);
    }

    @Test
    void aCustomHostWithUserinfoIsMaskedInExplainAndInConfigProblems() {
        String host = "http://user:" + USERINFO + "@127.0.0.1:" + upstream.port() + "/v1";
        Gateway g = Gateway.fromConfig(
                "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + host + "\"}");
        RouteExplanation x = g.explain(chat());
        seen.add(x.toString());
        seen.add(x.settings().toString());
        assertTrue(x.toString().contains("http://****@127.0.0.1"), x.toString());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Gateway.fromConfig(
                        "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"ftp://user:" + USERINFO
                                + "@example.invalid\"}"));
        assertEquals("/custom_host", e.path());
        collect(e);
        assertNoSecretIn(seen);
    }

    @Test
    void aPerRequestConfigsProblemsAreMaskedWithItsOwnSecrets() {
        Gateway g = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\""
                + upstream.openAiBaseUrl() + "\"}");
        // the bad value is the secret itself, pasted into the wrong field
        GatewayResponse r = g.execute(chat().toBuilder()
                .configOverride(Json.parse("{\"provider\":\"openai\"," + "\"api_key\":\"" + OVERRIDE
                        + "\",\"request_timeout\":\"" + OVERRIDE + "\"}"))
                .build());
        assertEquals(400, r.status());
        assertTrue(
                r.json().path("error").path("message").asText().contains("/request_timeout"),
                r.json().toString());
        collect(r);
        assertNoSecretIn(seen);
    }

    @Test
    void aTimeoutHeaderOfZeroMinusOneOrGarbageKeepsTheConfiguredTimeout() throws Exception {
        Gateway g = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\""
                + upstream.openAiBaseUrl() + "\",\"request_timeout\":150}");
        for (String header : List.of("0", "-1", "soon")) {
            upstream.enqueue(StubResponse.hang());
            GatewayResponse r;
            try {
                // a watchdog: with the timeout switched off the hanging upstream would never answer
                r = g.executeAsync(chat().toBuilder()
                                .header("x-portkey-request-timeout", header)
                                .build())
                        .get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("x-portkey-request-timeout: " + header + " switched the configured timeout off");
                return;
            }
            assertEquals(408, r.status(), header);
            assertEquals(
                    "Request exceeded the timeout sent in the request: 150ms",
                    r.json().path("error").path("message").asText(),
                    header);
        }
    }

    @Test
    void aKeyShapedStringTheGatewayNeverSawIsMaskedToo() {
        upstream.enqueue(StubResponse.error(
                500,
                "upstream config dump: Authorization: Bearer abcdefghijklmnop0123 " + SHAPED
                        + " AKIAIOSFODNN7EXAMPLE"));
        Gateway g = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\""
                + upstream.openAiBaseUrl() + "\"}");
        GatewayResponse r = g.execute(chat());
        String message = r.json().path("error").path("message").asText();
        assertFalse(message.contains("abcdefghijklmnop0123") || message.contains("AKIAIOSFODNN7EXAMPLE"), message);
        assertTrue(message.contains("upstream config dump"), "the rest of the message stays: " + message);
        collect(r);
        assertNoSecretIn(seen);
    }
}
