package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSinksTest {
    private static final String SECRET = "sk-proj-DO-NOT-LOG-4242";

    static FakeTrace trace(String id) {
        Usage u = new Usage(100, 50, 150, 20, 0, 10, 0, 0, false);
        return new FakeTrace(
                id,
                Instant.parse("2026-07-24T10:00:00Z"),
                200,
                List.of(
                        FakeTrace.attempt("openai", "gpt-4o", 503, null, Cost.ZERO),
                        FakeTrace.attempt("anthropic", "claude-sonnet-4-5", 200, u, FakeTrace.usd("0.00125"))),
                "user-7",
                Map.of("team", "search", "virtual_key", "@anthropic-prod"));
    }

    @Test
    void traceJsonHasEveryDocumentedField() {
        ObjectNode n = TraceJson.toJson(trace("t-1"));
        assertEquals("2026-07-24T10:00:00Z", n.path("timestamp").asText());
        assertEquals("t-1", n.path("trace_id").asText());
        assertEquals("chat_completions", n.path("endpoint").asText());
        assertEquals(200, n.path("status").asInt());
        assertEquals(120, n.path("latency_ms").asLong());
        assertEquals("config.targets[0]", n.path("last_used_option_index").asText());
        assertEquals("MISS", n.path("cache_status").asText());
        assertEquals(0, n.path("retry_attempt_count").asInt());
        assertEquals("user-7", n.path("user").asText());
        assertEquals("search", n.path("metadata").path("team").asText());
        assertEquals(150, n.path("usage").path("total_tokens").asLong());
        assertEquals(
                0,
                new java.math.BigDecimal("0.00125").compareTo(n.path("cost_usd").decimalValue()));
        JsonNode failed = n.path("attempts").get(0);
        assertEquals("openai", failed.path("provider").asText());
        assertEquals(503, failed.path("status").asInt());
        assertEquals("http_503", failed.path("error_class").asText());
        assertEquals("upstream said no", failed.path("error_message").asText());
        assertTrue(failed.path("usage").isNull());
        assertEquals("dropped logit_bias", failed.path("notes").get(0).asText());
        JsonNode ok = n.path("attempts").get(1);
        assertEquals(20, ok.path("usage").path("cached_tokens").asLong());
        assertEquals(10, ok.path("usage").path("reasoning_tokens").asLong());
        assertEquals(42, ok.path("latency_ms").asLong());
        assertEquals("config.targets[0]", ok.path("target_path").asText());
    }

    @Test
    void unknownCostIsWrittenWithItsReasonNotAsZero() {
        FakeTrace t = new FakeTrace(
                "t-2",
                Instant.parse("2026-07-24T10:00:00Z"),
                200,
                List.of(FakeTrace.attempt("acme", "m", 200, Usage.of(1, 1), Cost.unknown("no price for model m"))),
                null,
                Map.of());
        ObjectNode n = TraceJson.toJson(t);
        assertFalse(n.has("cost_usd"));
        assertEquals("no price for model m", n.path("cost_unknown").asText());
        assertEquals(
                "no price for model m",
                n.path("attempts").get(0).path("cost_unknown").asText());
    }

    @Test
    void jsonlFileSinkWritesOneParsableLinePerRequestFromManyThreads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requests.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (JsonlFileSink sink = new JsonlFileSink(file)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "t-" + i;
                fs.add(pool.submit(() -> sink.log(trace(id))));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(200, lines.size());
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String line : lines) {
            ids.add(Json.parse(line).path("trace_id").asText());
        }
        assertEquals(200, ids.size());
    }

    @Test
    void jsonlFileSinkAppendsAndRefusesWritesAfterClose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, "{\"old\":true}\n");
        JsonlFileSink sink = new JsonlFileSink(file);
        sink.log(trace("new"));
        sink.close();
        assertEquals(2, Files.readAllLines(file).size());
        assertThrows(IllegalStateException.class, () -> sink.log(trace("late")));
    }

    @Test
    void inMemorySinkKeepsTracesUntilCleared() {
        InMemoryLogSink sink = new InMemoryLogSink();
        sink.log(trace("a"));
        sink.log(trace("b"));
        assertEquals(
                List.of("a", "b"), sink.traces().stream().map(t -> t.traceId()).toList());
        sink.clear();
        assertTrue(sink.traces().isEmpty());
    }

    @Test
    void slf4jSinkLogsOneJsonLineOnTheRequestsLogger() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new Slf4jLogSink().log(trace("t-slf4j"));
        } finally {
            System.setErr(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains(Slf4jLogSink.LOGGER), out);
        String json = out.substring(out.indexOf('{')).trim();
        assertEquals("t-slf4j", Json.parse(json).path("trace_id").asText());
        assertFalse(json.contains("\n"), "one line per request");
    }

    /** Keys are loaded with a secret, used for admission, and the request is logged: the secret is nowhere. */
    @Test
    void noSecretReachesAnyLogLine(@TempDir Path dir) {
        Map<String, ProviderCredentials> keys = KeysFile.parse(
                "{\"keys\":{\"@anthropic-prod\":{\"provider\":\"anthropic\",\"api_key\":\"${K}\"}}}", n -> SECRET);
        ProviderCredentials key = keys.get("@anthropic-prod");
        Path file = dir.resolve("r.jsonl");
        try (JsonlFileSink sink = new JsonlFileSink(file)) {
            sink.log(trace("t-secret"));
        }
        String everything = TraceJson.toLine(trace("t-secret")) + key + keys + key.limits();
        try {
            everything += Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertFalse(everything.contains(SECRET));
        assertTrue(key.secret().orElseThrow().equals(SECRET), "the secret is still usable by the provider call");
    }

    @Test
    void attemptWithoutCostIsMarkedNotRecorded() {
        Attempt a = new Attempt(
                "config",
                "openai",
                "gpt-4o",
                0,
                null,
                0,
                "timeout",
                "took too long",
                null,
                null,
                null,
                null,
                null,
                List.of());
        FakeTrace t = new FakeTrace("t-3", Instant.EPOCH, 408, List.of(a), null, Map.of());
        JsonNode attempt = TraceJson.toJson(t).path("attempts").get(0);
        assertEquals("not recorded", attempt.path("cost_unknown").asText());
        assertTrue(attempt.path("latency_ms").isNull());
    }
}
