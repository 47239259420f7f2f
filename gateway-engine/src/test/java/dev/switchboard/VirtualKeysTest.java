package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.accounting.JsonlFileSink;
import dev.switchboard.accounting.KeysFile;
import dev.switchboard.accounting.Slf4jLogSink;
import dev.switchboard.accounting.UsageReport;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual keys, limits and cost through the whole gateway. */
class VirtualKeysTest {
    static final String SECRET = "sk-live-SECRET-do-not-log-4f2a";

    private StubUpstream a;
    private StubUpstream b;
    private ManualClock clock;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
        clock = ManualClock.start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private ProviderCredentials key(StubUpstream s, KeyLimits limits) {
        return ProviderCredentials.builder("openai")
                .secret(SECRET)
                .baseUrl(s.openAiBaseUrl())
                .limits(limits)
                .build();
    }

    private static GatewayRequest chat(int maxTokens) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":" + maxTokens
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")
                .build();
    }

    @Test
    void aVirtualKeySuppliesSecretAndBaseUrlAndIsRecordedWithTheCost() {
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"@openai-prod\"}")
                .provider("@openai-prod", key(a, null))
                .clock(clock)
                .build();
        GatewayResponse r = g.execute(chat(16));
        assertEquals(200, r.status());
        assertEquals("Bearer " + SECRET, a.lastRequest().header("authorization"));
        Attempt at = r.trace().attempts().get(0);
        assertEquals("@openai-prod", at.virtualKey());
        assertEquals("openai", at.provider());
        assertTrue(at.cost().known(), at.cost().toString());
        // gpt-4o-mini: 0.15 $/M input, 0.60 $/M output; the stub reports 10 + 5 tokens
        assertEquals(
                0,
                new BigDecimal("0.0000045").compareTo(at.cost().usd()),
                at.cost().toString());
    }

    @Test
    void overBudgetAnswers412WithoutCallingTheProviderAndAFallbackMovesOn() {
        KeyLimits tiny = KeyLimits.builder().budgetUsdPerDay("0.000001").build();
        Gateway g = Gateway.builder()
                .config("{\"strategy\":{\"mode\":\"fallback\",\"on_status_codes\":[429]},\"targets\":["
                        + "{\"provider\":\"@tiny\"},{\"provider\":\"@backup\"}]}")
                .provider("@tiny", key(a, tiny))
                .provider("@backup", key(b, null))
                .clock(clock)
                .build();
        GatewayResponse r = g.execute(chat(100));
        assertEquals(200, r.status());
        assertEquals(0, a.hits(), "a refused request is never sent");
        Attempt refused = r.trace().attempts().get(0);
        assertEquals(412, refused.status());
        assertTrue(
                refused.errorMessage().contains("@tiny")
                        && refused.errorMessage().contains("budget"),
                refused.errorMessage());

        Gateway alone = Gateway.builder()
                .config("{\"provider\":\"@tiny\"}")
                .provider("@tiny", key(a, tiny))
                .clock(clock)
                .build();
        GatewayResponse r412 = alone.execute(chat(100));
        assertEquals(412, r412.status());
        assertEquals("budget_exceeded", r412.json().path("error").path("type").asText());
    }

    @Test
    void overTheRateLimitAnswers429UntilTheWindowRollsOver() {
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"@k\"}")
                .provider("@k", key(a, KeyLimits.builder().requestsPerMinute(2).build()))
                .clock(clock)
                .build();
        assertEquals(200, g.execute(chat(8)).status());
        assertEquals(200, g.execute(chat(8)).status());
        GatewayResponse limited = g.execute(chat(8));
        assertEquals(429, limited.status());
        assertTrue(limited.json().path("error").path("message").asText().contains("@k"));
        assertEquals(2, a.hits());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(200, g.execute(chat(8)).status());
    }

    @Test
    void limitsPerMetadataValueIsolateUsers() {
        KeyLimits perUser = KeyLimits.builder()
                .requestsPerMinute(1)
                .perMetadataKey("user_id")
                .build();
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"@k\"}")
                .provider("@k", key(a, perUser))
                .clock(clock)
                .build();
        assertEquals(
                200,
                g.execute(chat(8).toBuilder().metadata("user_id", "alice").build())
                        .status());
        assertEquals(
                429,
                g.execute(chat(8).toBuilder().metadata("user_id", "alice").build())
                        .status());
        assertEquals(
                200,
                g.execute(chat(8).toBuilder().metadata("user_id", "bob").build())
                        .status());
    }

    @Test
    void anExpiredKeyStopsWorkingWithAClearError() {
        ProviderCredentials shortLived = ProviderCredentials.builder("openai")
                .secret(SECRET)
                .baseUrl(a.openAiBaseUrl())
                .expiresAt(clock.instant().plusSeconds(60))
                .build();
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"@short\"}")
                .provider("@short", shortLived)
                .clock(clock)
                .build();
        assertEquals(200, g.execute(chat(8)).status());
        clock.advance(Duration.ofSeconds(61));
        GatewayResponse r = g.execute(chat(8));
        assertEquals(401, r.status());
        assertTrue(
                r.json().path("error").path("message").asText().contains("@short expired"),
                r.json().toString());
        assertEquals(1, a.hits());
    }

    @Test
    void sixtyFourConcurrentRequestsNeverOverspendTheBudget() throws Exception {
        // each request reserves ~ (prompt + 1000 max tokens) at gpt-4o-mini prices ≈ $0.0006; the budget admits a few
        BigDecimal budget = new BigDecimal("0.003");
        a.setDefault(StubResponse.chatCompletion("ok", 12, 1000));
        InMemoryLogSink sink = new InMemoryLogSink();
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"@k\"}")
                .provider(
                        "@k",
                        key(
                                a,
                                KeyLimits.builder()
                                        .budgetUsdPerDay(budget.toPlainString())
                                        .build()))
                .logSink(sink)
                .clock(clock)
                .build();
        List<CompletableFuture<GatewayResponse>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(g.executeAsync(chat(1000)));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        BigDecimal spent = BigDecimal.ZERO;
        int admitted = 0;
        for (CompletableFuture<GatewayResponse> f : all) {
            GatewayResponse r = f.get();
            if (r.status() == 200) {
                admitted++;
                spent = spent.add(r.trace().totalCost().usd());
            } else {
                assertEquals(412, r.status());
            }
        }
        assertTrue(admitted > 0, "some requests fit the budget");
        assertTrue(admitted < 64, "the budget must refuse some");
        assertEquals(admitted, a.hits());
        assertTrue(spent.compareTo(budget) <= 0, "spent " + spent + " > budget " + budget);
    }

    @Test
    void keysFileSecretsComeFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(
                file,
                "{\"keys\":{\"@openai-prod\":{\"provider\":\"openai\",\"api_key\":\"${TEST_OPENAI_KEY}\","
                        + "\"base_url\":\"" + a.openAiBaseUrl() + "\",\"limits\":{\"requests_per_minute\":5}}}}");
        Map<String, ProviderCredentials> keys =
                KeysFile.parse(Files.readString(file), name -> name.equals("TEST_OPENAI_KEY") ? SECRET : null);
        Gateway.Builder b =
                Gateway.builder().config("{\"provider\":\"@openai-prod\"}").clock(clock);
        keys.forEach(b::provider);
        assertEquals(200, b.build().execute(chat(8)).status());
        assertEquals("Bearer " + SECRET, a.lastRequest().header("authorization"));
        assertFalse(keys.toString().contains(SECRET));
    }

    @Test
    void noSecretReachesLogsTracesReportsOrErrors(@TempDir Path dir) throws Exception {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        String everything;
        try (JsonlFileSink file = new JsonlFileSink(dir.resolve("log.jsonl"))) {
            InMemoryLogSink mem = new InMemoryLogSink();
            a.enqueue(StubResponse.error(401, "Incorrect API key provided: " + "sk-live-...4f2a"));
            Gateway g = Gateway.builder()
                    .config("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                            + "{\"provider\":\"@k\"},{\"provider\":\"openai\",\"api_key\":\"" + SECRET
                            + "\",\"custom_host\":\""
                            + b.openAiBaseUrl() + "\"}]}")
                    .provider(
                            "@k",
                            key(a, KeyLimits.builder().requestsPerMinute(100).build()))
                    .logSink(new Slf4jLogSink())
                    .logSink(file)
                    .logSink(mem)
                    .clock(clock)
                    .build();
            GatewayResponse r = g.execute(chat(8));
            assertEquals(200, r.status());
            StringBuilder sb = new StringBuilder();
            sb.append(r.trace())
                    .append(r.headers())
                    .append(r.bodyAsString())
                    .append(g)
                    .append(g.explain(chat(8)));
            sb.append(UsageReport.of(mem.traces()).groupBy(UsageReport.byVirtualKey()));
            sb.append(Files.readString(dir.resolve("log.jsonl")));
            try {
                Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"" + SECRET + "\",\"retyr\":{}}");
            } catch (ConfigException e) {
                sb.append(e.getMessage());
            }
            sb.append(ProviderCredentials.builder("openai").secret(SECRET).build());
            capture.flush();
            everything = sb + captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        assertNotNull(everything);
        assertTrue(everything.contains("config.targets[1]"), "the capture saw the request");
        assertFalse(everything.contains(SECRET), "a secret leaked:\n" + everything);
    }
}
