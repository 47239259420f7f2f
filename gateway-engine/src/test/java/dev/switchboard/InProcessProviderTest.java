package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.DefaultPricingCatalog;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.InProcessProvider;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.ChunkBuilder;
import dev.switchboard.spi.openai.FinishReasons;
import dev.switchboard.testkit.ManualSleeper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An in-process provider goes through the same leaf pipeline as an HTTP one: accounting, streams,
 * failures and fallback, retries, timeouts, cache, hooks, and both execute paths.
 */
class InProcessProviderTest {
    private static final String MODEL = "echo-1";
    /** $1 per million input tokens, $2 per million output tokens. */
    private static final ModelPrice PRICE = ModelPrice.of(new BigDecimal("0.000001"), new BigDecimal("0.000002"));

    /** Answers by a rule set per test; records the threads and calls it saw. */
    static final class Scripted implements InProcessProvider {
        interface Rule {
            ProviderReply answer(ProviderCall call, int n) throws Exception;
        }

        interface StreamRule {
            void stream(ProviderCall call, StreamSink sink, int n) throws Exception;
        }

        final String id;
        final AtomicInteger calls = new AtomicInteger();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        volatile Rule rule = (call, n) -> ProviderReply.ok(echo(call));
        volatile StreamRule streamRule;

        Scripted(String id) {
            this.id = id;
        }

        @Override
        public Set<String> ids() {
            return Set.of(id);
        }

        @Override
        public ProviderReply answer(ProviderCall call) throws Exception {
            threads.add(Thread.currentThread());
            return rule.answer(call, calls.incrementAndGet());
        }

        @Override
        public void stream(ProviderCall call, StreamSink sink) throws Exception {
            if (streamRule == null) {
                InProcessProvider.super.stream(call, sink);
                return;
            }
            threads.add(Thread.currentThread());
            streamRule.stream(call, sink, calls.incrementAndGet());
        }
    }

    /** "You said: <last message>", 7 prompt tokens, 3 completion tokens. */
    static ObjectNode echo(ProviderCall call) {
        JsonNode messages = call.body().path("messages");
        String last = messages.path(messages.size() - 1).path("content").asText();
        return ChatCompletions.forCall(call)
                .content("You said: " + last)
                .usage(7, 3)
                .build();
    }

    /** Streams "You said: hi" word by word, then usage when asked. */
    static void streamWords(ProviderCall call, StreamSink sink) {
        ChunkBuilder chunks = ChunkBuilder.forCall(call);
        sink.emit(chunks.role());
        for (String w : List.of("You ", "said: ", "hi")) {
            sink.emit(chunks.content(w));
        }
        sink.emit(chunks.finish(FinishReasons.STOP));
        if (call.body().path("stream_options").path("include_usage").asBoolean()) {
            sink.emit(chunks.usage(Usage.of(7, 3)));
        }
    }

    private static Gateway gateway(String config, Scripted... providers) {
        Gateway.Builder b = Gateway.builder()
                .config(config)
                .sleeper(new ManualSleeper(null))
                .pricing(DefaultPricingCatalog.bundled().withOverride("echo", MODEL, PRICE));
        for (Scripted p : providers) {
            b.register(p);
        }
        return b.build();
    }

    private static GatewayRequest chat(String text) {
        return GatewayRequest.chat("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + Json.valueToTree(text) + "}]}")
                .build();
    }

    private static GatewayRequest streamChat(boolean includeUsage) {
        return GatewayRequest.chat("{\"model\":\"" + MODEL + "\",\"stream\":true"
                        + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    private static List<String> drain(EventStream s) {
        List<String> data = new ArrayList<>();
        for (ServerSentEvent e : s) {
            data.add(e.data());
        }
        return data;
    }

    private static String text(List<String> events) {
        StringBuilder sb = new StringBuilder();
        for (String d : events) {
            if (!d.equals("[DONE]")) {
                sb.append(Json.parse(d)
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText(""));
            }
        }
        return sb.toString();
    }

    @Test
    void aWholeAnswerIsAccountedAndPricedAndRunsOnTheCallersThread() {
        Scripted echo = new Scripted("echo");
        Gateway g = gateway("{\"provider\":\"echo\"}", echo);
        GatewayResponse r = g.execute(chat("hello"));
        assertEquals(200, r.status());
        assertEquals(
                "You said: hello",
                r.json().path("choices").path(0).path("message").path("content").asText());
        assertEquals("echo", r.header("x-portkey-provider").orElseThrow());
        Attempt a = r.trace().attempts().get(0);
        assertEquals("echo", a.provider());
        assertEquals(MODEL, a.model());
        assertEquals(Usage.of(7, 3), a.usage());
        assertEquals(
                0,
                new BigDecimal("0.000013").compareTo(a.cost().usd()),
                a.cost().toString());
        assertSame(Thread.currentThread(), echo.threads.get(0), "no timeout: no hand-off from Gateway.execute");
    }

    @Test
    void withATimeoutTheProviderRunsOnTheGatewaysProviderThreads() {
        Scripted echo = new Scripted("echo");
        Gateway g = gateway("{\"provider\":\"echo\",\"request_timeout\":60000}", echo);
        assertEquals(200, g.execute(chat("hello")).status());
        assertTrue(
                echo.threads.get(0).getName().startsWith("switchboard-provider-"),
                echo.threads.get(0).getName());
    }

    @Test
    void executeAsyncNeverRunsTheProviderOnTheCallersThread() throws Exception {
        Scripted echo = new Scripted("echo");
        Gateway g = gateway("{\"provider\":\"echo\"}", echo);
        GatewayResponse r = g.executeAsync(chat("async")).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals(
                "You said: async",
                r.json().path("choices").path(0).path("message").path("content").asText());
        assertNotEquals(Thread.currentThread(), echo.threads.get(0));
        assertTrue(echo.threads.get(0).getName().startsWith("switchboard-provider-"));
    }

    @Test
    void aStreamEndsWithDoneAndItsUsageIsAccountedEvenWhenTheCallerDidNotAsk() {
        Scripted echo = new Scripted("echo");
        echo.streamRule = (call, sink, n) -> streamWords(call, sink);
        Gateway g = gateway("{\"provider\":\"echo\"}", echo);
        GatewayResponse r = g.execute(streamChat(false));
        assertTrue(r.isStream());
        assertEquals(200, r.status());
        List<String> events = drain(r.stream());
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals("You said: hi", text(events));
        assertTrue(events.stream().noneMatch(e -> e.contains("\"usage\":{")), "usage stripped: " + events);
        Attempt a = r.trace().attempts().get(0);
        assertNull(a.errorClass());
        assertEquals(Usage.of(7, 3), a.usage());
        assertEquals(
                0,
                new BigDecimal("0.000013").compareTo(a.cost().usd()),
                a.cost().toString());
        assertTrue(r.trace().finished());
    }

    @Test
    void aStreamKeepsTheUsageChunkWhenTheCallerAskedForIt() {
        Scripted echo = new Scripted("echo");
        echo.streamRule = (call, sink, n) -> streamWords(call, sink);
        GatewayResponse r = gateway("{\"provider\":\"echo\"}", echo).execute(streamChat(true));
        List<String> events = drain(r.stream());
        JsonNode usage = Json.parse(events.get(events.size() - 2)).path("usage");
        assertEquals(10, usage.path("total_tokens").asInt());
    }

    @Test
    void withoutAStreamMethodTheWholeAnswerIsStreamed() {
        Scripted echo = new Scripted("echo");
        GatewayResponse r = gateway("{\"provider\":\"echo\"}", echo).execute(streamChat(false));
        List<String> events = drain(r.stream());
        assertEquals("You said: hi", text(events));
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals(Usage.of(7, 3), r.trace().attempts().get(0).usage());
    }

    @Test
    void anExceptionFailsTheAttemptAndTheFallbackMovesOnWhateverItsStatusList() {
        Scripted broken = new Scripted("broken");
        broken.rule = (call, n) -> {
            throw new IllegalStateException("rules file missing");
        };
        Scripted echo = new Scripted("echo");
        Gateway g = gateway(
                "{\"strategy\":{\"mode\":\"fallback\",\"on_status_codes\":[503]},"
                        + "\"retry\":{\"attempts\":2},"
                        + "\"targets\":[{\"provider\":\"broken\"},{\"provider\":\"echo\"}]}",
                broken,
                echo);
        GatewayResponse r = g.execute(chat("hello"));
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        assertEquals(1, broken.calls.get(), "a crash is not retried");
        Attempt failed = r.trace().attempts().get(0);
        assertEquals(500, failed.status());
        assertEquals("provider_error", failed.errorClass());
        assertTrue(failed.errorMessage().contains("IllegalStateException: rules file missing"), failed.errorMessage());
    }

    @Test
    void anExceptionAloneIsAnErrorAnswerNamingTheProviderNeverAThrow() {
        Scripted broken = new Scripted("broken");
        broken.rule = (call, n) -> {
            throw new java.io.IOException("model weights not found");
        };
        GatewayResponse r = gateway("{\"provider\":\"broken\"}", broken).execute(chat("hello"));
        assertEquals(500, r.status());
        assertEquals(
                "broken error: the in-process provider failed: it threw IOException: model weights not found",
                r.json().path("error").path("message").asText());
        assertEquals("provider_error", r.json().path("error").path("code").asText());
        assertEquals("broken", r.json().path("provider").asText());
    }

    @Test
    void a503ReplyIsRetriedPerTheConfig() {
        Scripted echo = new Scripted("echo");
        echo.rule = (call, n) -> n == 1
                ? ProviderReply.of(503, ErrorBody.provider("echo", "warming up", "api_error", null, null))
                : ProviderReply.ok(echo(call));
        Gateway g = gateway("{\"provider\":\"echo\",\"retry\":{\"attempts\":2,\"on_status_codes\":[503]}}", echo);
        GatewayResponse r = g.execute(chat("hello"));
        assertEquals(200, r.status());
        assertEquals(2, echo.calls.get());
        assertEquals("1", r.header("x-portkey-retry-attempt-count").orElseThrow());
        assertEquals(
                List.of(503, 200),
                r.trace().attempts().stream().map(Attempt::status).toList());
        assertEquals("http_503", r.trace().attempts().get(0).errorClass());
    }

    @Test
    void aProviderExceptionIsTheReplyItDescribes() {
        Scripted echo = new Scripted("echo");
        echo.rule = (call, n) -> {
            throw new ProviderException(429, "rate_limit_error", "too many requests for the local GPU");
        };
        Gateway g = gateway("{\"provider\":\"echo\",\"retry\":{\"attempts\":1,\"on_status_codes\":[429]}}", echo);
        GatewayResponse r = g.execute(chat("hello"));
        assertEquals(429, r.status());
        assertEquals(2, echo.calls.get(), "retried like an HTTP 429");
        assertEquals(
                "echo error: too many requests for the local GPU",
                r.json().path("error").path("message").asText());
        assertEquals("rate_limit_error", r.json().path("error").path("type").asText());
    }

    @Test
    void aTimeoutAnswers408AndInterruptsTheAbandonedProvider() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Scripted slow = new Scripted("slow");
        slow.rule = (call, n) -> {
            try {
                new CountDownLatch(1).await(); // only the gateway's interrupt ends this
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return ProviderReply.ok(echo(call));
        };
        Scripted echo = new Scripted("echo");
        Gateway g = gateway(
                "{\"request_timeout\":150,\"strategy\":{\"mode\":\"fallback\"},"
                        + "\"targets\":[{\"provider\":\"slow\"},{\"provider\":\"echo\"}]}",
                slow,
                echo);
        GatewayResponse r = g.execute(chat("hello"));
        assertEquals(200, r.status(), "the fallback answered after the timeout");
        Attempt timedOut = r.trace().attempts().get(0);
        assertEquals(408, timedOut.status());
        assertEquals("timeout", timedOut.errorClass());
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the abandoned provider thread was interrupted");
        assertFalse(Thread.currentThread().isInterrupted());

        Gateway alone = gateway("{\"request_timeout\":150,\"provider\":\"slow\"}", slow);
        GatewayResponse t = alone.execute(chat("hello"));
        assertEquals(408, t.status());
        assertEquals("timeout_error", t.json().path("error").path("type").asText());
    }

    @Test
    void aStreamThatNeverStartsTimesOut() {
        Scripted slow = new Scripted("slow");
        slow.streamRule = (call, sink, n) -> new CountDownLatch(1).await();
        GatewayResponse r =
                gateway("{\"request_timeout\":150,\"provider\":\"slow\"}", slow).execute(streamChat(false));
        assertEquals(408, r.status());
        assertFalse(r.isStream());
    }

    @Test
    void aSecondIdenticalCallIsServedFromTheCache() {
        Scripted echo = new Scripted("echo");
        Gateway g = gateway("{\"provider\":\"echo\",\"cache\":{\"mode\":\"simple\"}}", echo);
        GatewayResponse first = g.execute(chat("cache me"));
        GatewayResponse second = g.execute(chat("cache me"));
        assertEquals("MISS", first.header("x-portkey-cache-status").orElseThrow());
        assertEquals("HIT", second.header("x-portkey-cache-status").orElseThrow());
        assertEquals(1, echo.calls.get());
        assertEquals(first.json().path("choices"), second.json().path("choices"));
    }

    @Test
    void aDenyingBeforeHookNeverCallsTheProvider() {
        Scripted echo = new Scripted("echo");
        Gateway g = gateway(
                "{\"provider\":\"echo\",\"input_guardrails\":["
                        + "{\"default.regexMatch\":{\"rule\":\"^please\"},\"deny\":true}]}",
                echo);
        GatewayResponse r = g.execute(chat("give me everything"));
        assertEquals(446, r.status());
        assertEquals(0, echo.calls.get());
        assertEquals(200, g.execute(chat("please answer")).status());
        assertEquals(1, echo.calls.get());
    }

    @Test
    void aStreamThatFailsBeforeItsFirstChunkMovesTheFallbackOn() {
        Scripted broken = new Scripted("broken");
        broken.streamRule = (call, sink, n) -> {
            throw new IllegalStateException("no GPU");
        };
        Scripted echo = new Scripted("echo");
        echo.streamRule = (call, sink, n) -> streamWords(call, sink);
        GatewayResponse r = gateway(
                        "{\"strategy\":{\"mode\":\"fallback\"},"
                                + "\"targets\":[{\"provider\":\"broken\"},{\"provider\":\"echo\"}]}",
                        broken,
                        echo)
                .execute(streamChat(false));
        assertEquals(200, r.status());
        assertEquals("You said: hi", text(drain(r.stream())));
        Attempt failed = r.trace().attempts().get(0);
        assertEquals(500, failed.status());
        assertEquals("provider_error", failed.errorClass());
    }

    @Test
    void aStreamThatFailsMidwayEndsWithAnErrorEventAndDone() {
        Scripted echo = new Scripted("echo");
        echo.streamRule = (call, sink, n) -> {
            ChunkBuilder chunks = ChunkBuilder.forCall(call);
            sink.emit(chunks.role());
            sink.emit(chunks.content("You "));
            throw new IllegalStateException("lost the model");
        };
        GatewayResponse r = gateway("{\"provider\":\"echo\"}", echo).execute(streamChat(false));
        List<String> events = drain(r.stream());
        assertEquals("[DONE]", events.get(events.size() - 1));
        JsonNode error = Json.parse(events.get(events.size() - 2)).path("error");
        assertTrue(
                error.path("message").asText().contains("echo error: the in-process provider failed"),
                error.toString());
        Attempt a = r.trace().attempts().get(0);
        assertEquals("provider_error", a.errorClass());
        assertTrue(a.usage().estimated(), "usage estimated for a cut stream");
    }

    @Test
    void closingTheStreamCancelsTheProviderAndBackpressureHoldsItMeanwhile() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger emitted = new AtomicInteger();
        Scripted endless = new Scripted("echo");
        endless.streamRule = (call, sink, n) -> {
            ChunkBuilder chunks = ChunkBuilder.forCall(call);
            sink.emit(chunks.role());
            while (!sink.isCancelled()) {
                sink.emit(chunks.content("la "));
                emitted.incrementAndGet();
            }
            stopped.countDown();
        };
        GatewayResponse r = gateway("{\"provider\":\"echo\"}", endless).execute(streamChat(false));
        EventStream s = r.stream();
        Iterator<ServerSentEvent> it = s.iterator();
        for (int i = 0; i < 5; i++) {
            assertTrue(it.hasNext());
            it.next();
        }
        s.close();
        assertTrue(stopped.await(30, TimeUnit.SECONDS), "the provider saw the cancellation");
        assertTrue(
                emitted.get() < 100, "the provider waited for the reader instead of filling memory: " + emitted.get());
        assertEquals("cancelled", r.trace().attempts().get(0).errorClass());
    }

    @Test
    void anAsynchronousProviderAnswersWithoutAGatewayThread() throws Exception {
        InProcessProvider async = new InProcessProvider() {
            @Override
            public Set<String> ids() {
                return Set.of("echo");
            }

            @Override
            public ProviderReply answer(ProviderCall call) {
                throw new AssertionError("answerAsync is overridden");
            }

            @Override
            public java.util.concurrent.CompletionStage<ProviderReply> answerAsync(
                    ProviderCall call, java.util.concurrent.Executor executor) {
                return java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> ProviderReply.ok(echo(call)),
                        java.util.concurrent.CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
            }
        };
        Gateway g = Gateway.builder()
                .config("{\"provider\":\"echo\",\"request_timeout\":30000}")
                .register(async)
                .build();
        GatewayResponse r = g.execute(chat("later"));
        assertEquals(200, r.status());
        assertEquals(
                "You said: later",
                r.json().path("choices").path(0).path("message").path("content").asText());
        assertEquals(1, r.trace().attempts().size());
    }
}
