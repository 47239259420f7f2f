package dev.switchboard.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.testkit.FakeReply;
import dev.switchboard.testkit.FakeTransport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Installed as the gateway's call-listener factory, the OTel sink parents a request's spans to the
 * application's span current at the call, even when the request ends on another thread (here: the
 * retry wait ends on a thread of its own, and the rest runs on the gateway's executor).
 */
class OtelCallListenerTest {
    private InMemorySpanExporter spans;
    private OpenTelemetrySdk otel;
    private ExecutorService pool;
    private ExecutorService waits;

    @BeforeEach
    void start() {
        spans = InMemorySpanExporter.create();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        pool = Executors.newFixedThreadPool(2);
        waits = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() {
        otel.close();
        pool.shutdownNow();
        waits.shutdownNow();
    }

    /**
     * Ends each wait on a thread with no OpenTelemetry context, as the gateway's timer does, once the
     * thread that asked for it went idle (the caller, back from {@code executeAsync}, waiting on the
     * answer): the rest of the request then runs on the gateway's executor.
     */
    private Sleeper elsewhere() {
        return duration -> {
            Thread asker = Thread.currentThread();
            return CompletableFuture.runAsync(
                    () -> {
                        while (asker.getState() == Thread.State.RUNNABLE || asker.getState() == Thread.State.BLOCKED) {
                            Thread.onSpinWait();
                        }
                    },
                    waits);
        };
    }

    private Gateway.Builder retrying(FakeTransport transport) {
        transport.enqueue(FakeReply.error(503, "busy"));
        return Gateway.builder()
                .config(
                        "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"retry\":{\"attempts\":1,\"on_status_codes\":[503]}}")
                .transport(transport)
                .sleeper(elsewhere())
                .executor(pool);
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    private SpanData requestSpan() {
        List<SpanData> all = spans.getFinishedSpanItems();
        return all.stream()
                .filter(s -> all.stream().anyMatch(c -> c.getParentSpanId().equals(s.getSpanId())))
                .filter(s -> !s.getName().equals("app"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(all));
    }

    @Test
    void theRequestSpanIsAChildOfTheApplicationsSpanAtTheCallWhicheverThreadEndsTheRequest() throws Exception {
        OtelLogSink sink = new OtelLogSink(otel);
        Gateway g = retrying(new FakeTransport()).callListenerFactory(sink).build();
        Span app = otel.getTracer("app").spanBuilder("app").startSpan();
        GatewayResponse r;
        Scope scope = app.makeCurrent();
        try {
            r = g.executeAsync(chat()).get(10, TimeUnit.SECONDS);
        } finally {
            scope.close();
            app.end();
        }
        assertEquals(200, r.status());
        assertEquals(1, r.trace().retryAttemptCount());

        SpanData request = requestSpan();
        assertEquals(app.getSpanContext().getSpanId(), request.getParentSpanId(), "parented to the caller's span");
        assertEquals(app.getSpanContext().getTraceId(), request.getTraceId());
        long attempts = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(request.getSpanId()))
                .count();
        assertEquals(2, attempts, "one child span per attempt: the 503 and the retry");
    }

    @Test
    void asAPlainLogSinkTheSameRequestLosesTheCallersSpan() throws Exception {
        Gateway g = retrying(new FakeTransport()).logSink(new OtelLogSink(otel)).build();
        Span app = otel.getTracer("app").spanBuilder("app").startSpan();
        Scope scope = app.makeCurrent();
        try {
            assertEquals(200, g.executeAsync(chat()).get(10, TimeUnit.SECONDS).status());
        } finally {
            scope.close();
            app.end();
        }
        SpanData request = requestSpan();
        assertNotEquals(
                app.getSpanContext().getSpanId(),
                request.getParentSpanId(),
                "logged on a gateway thread, where the caller's context is not current: why the listener exists");
        assertFalse(request.getParentSpanContext().isValid());
    }
}
