package dev.switchboard.otel;

import static dev.switchboard.otel.TestTrace.attempt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtelLogSinkTest {
    private static final Instant T0 = Instant.parse("2025-11-25T10:00:00Z");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    private static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> TARGET_PATH = AttributeKey.stringKey("switchboard.target_path");
    private static final AttributeKey<Long> RETRY = AttributeKey.longKey("switchboard.retry");
    private static final AttributeKey<String> CACHE_STATUS = AttributeKey.stringKey("switchboard.cache_status");
    private static final AttributeKey<String> TRACE_ID = AttributeKey.stringKey("switchboard.trace_id");
    private static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("switchboard.cost_usd");

    private InMemorySpanExporter spans;
    private InMemoryMetricReader metrics;
    private OpenTelemetrySdk otel;
    private OtelLogSink sink;

    @BeforeEach
    void startSdk() {
        spans = InMemorySpanExporter.create();
        metrics = InMemoryMetricReader.create();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setMeterProvider(
                        SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
        sink = new OtelLogSink(otel);
    }

    @AfterEach
    void stopSdk() {
        otel.close();
    }

    /** A chat answered by gpt-4o-mini on its first retry, after a 503; 1.5 s in total, 1.3 s of it at OpenAI. */
    private static TestTrace chatRetriedAfter503() {
        return TestTrace.of(
                Endpoint.CHAT_COMPLETIONS,
                T0,
                Duration.ofMillis(1500),
                200,
                1,
                CacheStatus.MISS,
                List.of(
                        attempt(
                                "config.targets[0]",
                                "openai",
                                "gpt-4o-mini",
                                503,
                                T0.plusMillis(5),
                                Duration.ofMillis(400),
                                0,
                                "http_503",
                                null,
                                Cost.ZERO,
                                CacheStatus.MISS),
                        attempt(
                                "config.targets[0]",
                                "openai",
                                "gpt-4o-mini",
                                200,
                                T0.plusMillis(600),
                                Duration.ofMillis(900),
                                1,
                                null,
                                Usage.of(120, 30),
                                Cost.usd(new BigDecimal("0.000036")),
                                CacheStatus.MISS)));
    }

    @Test
    void aRequestBecomesAClientSpanNamedByOperationAndModelTimedFromTheTrace() {
        sink.log(chatRetriedAfter503());

        SpanData request = requestSpan();
        assertEquals("chat gpt-4o-mini", request.getName());
        assertEquals(SpanKind.CLIENT, request.getKind());
        assertFalse(request.getParentSpanContext().isValid(), "a root span when no span is current");
        assertEquals(nanos(T0), request.getStartEpochNanos());
        assertEquals(nanos(T0.plusMillis(1500)), request.getEndEpochNanos());
        assertEquals(StatusCode.UNSET, request.getStatus().getStatusCode());

        Attributes a = request.getAttributes();
        assertEquals("chat", a.get(OPERATION));
        assertEquals("openai", a.get(PROVIDER));
        assertEquals("gpt-4o-mini", a.get(REQUEST_MODEL));
        assertEquals("gpt-4o-mini", a.get(RESPONSE_MODEL));
        assertEquals(120L, a.get(INPUT_TOKENS));
        assertEquals(30L, a.get(OUTPUT_TOKENS));
        assertEquals(200L, a.get(HTTP_STATUS));
        assertNull(a.get(ERROR_TYPE));
        assertEquals("config.targets[0]", a.get(TARGET_PATH));
        assertEquals(1L, a.get(RETRY));
        assertEquals("MISS", a.get(CACHE_STATUS));
        assertEquals("trace-123", a.get(TRACE_ID));
        assertEquals(0.000036, a.get(COST_USD), 1e-12);
    }

    @Test
    void everyAttemptIsAChildSpanAndTheFailedOneIsMarkedAsAnError() {
        sink.log(chatRetriedAfter503());

        SpanData request = requestSpan();
        List<SpanData> attempts = attemptSpans();
        assertEquals(2, attempts.size());
        for (SpanData child : attempts) {
            assertEquals(request.getSpanId(), child.getParentSpanId());
            assertEquals(request.getTraceId(), child.getTraceId());
            assertEquals("chat gpt-4o-mini", child.getName());
        }

        SpanData failed = attempts.get(0);
        assertEquals(nanos(T0.plusMillis(5)), failed.getStartEpochNanos());
        assertEquals(nanos(T0.plusMillis(405)), failed.getEndEpochNanos());
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertEquals("http_503", failed.getAttributes().get(ERROR_TYPE));
        assertEquals(503L, failed.getAttributes().get(HTTP_STATUS));
        assertEquals(0L, failed.getAttributes().get(RETRY));
        assertNull(failed.getAttributes().get(INPUT_TOKENS), "no usage is known for the failed call");
        assertFalse(
                failed.getStatus().getDescription().contains("upstream said no"),
                "provider messages stay out of spans");

        SpanData retry = attempts.get(1);
        assertEquals(nanos(T0.plusMillis(600)), retry.getStartEpochNanos());
        assertEquals(nanos(T0.plusMillis(1500)), retry.getEndEpochNanos());
        assertEquals(StatusCode.UNSET, retry.getStatus().getStatusCode());
        assertNull(retry.getAttributes().get(ERROR_TYPE));
        assertEquals(1L, retry.getAttributes().get(RETRY));
        assertEquals(120L, retry.getAttributes().get(INPUT_TOKENS));
        assertEquals(30L, retry.getAttributes().get(OUTPUT_TOKENS));
        assertEquals(0.000036, retry.getAttributes().get(COST_USD), 1e-12);
        assertEquals("trace-123", retry.getAttributes().get(TRACE_ID));
    }

    @Test
    void tokenUsageIsRecordedPerTypeWithSemconvBuckets() {
        sink.log(chatRetriedAfter503());

        MetricData tokens = metric("gen_ai.client.token.usage");
        assertEquals("{token}", tokens.getUnit());
        List<HistogramPointData> points = points(tokens);
        assertEquals(2, points.size(), "input and output of the one call that has usage");
        HistogramPointData input = point(points, TOKEN_TYPE, "input");
        HistogramPointData output = point(points, TOKEN_TYPE, "output");
        assertEquals(120.0, input.getSum());
        assertEquals(1, input.getCount());
        assertEquals(30.0, output.getSum());
        assertEquals("chat", input.getAttributes().get(OPERATION));
        assertEquals("openai", input.getAttributes().get(PROVIDER));
        assertEquals("gpt-4o-mini", input.getAttributes().get(REQUEST_MODEL));
        assertEquals("gpt-4o-mini", input.getAttributes().get(RESPONSE_MODEL));
        assertEquals(
                GenAiConventions.TOKEN_BUCKETS.stream().map(Long::doubleValue).collect(Collectors.toList()),
                input.getBoundaries());
    }

    @Test
    void operationDurationIsRecordedPerAttemptInSecondsWithTheErrorType() {
        sink.log(chatRetriedAfter503());

        MetricData duration = metric("gen_ai.client.operation.duration");
        assertEquals("s", duration.getUnit());
        List<HistogramPointData> points = points(duration);
        assertEquals(2, points.size());
        HistogramPointData failed = point(points, ERROR_TYPE, "http_503");
        assertEquals(0.4, failed.getSum(), 1e-9);
        HistogramPointData ok = points.stream()
                .filter(p -> p.getAttributes().get(ERROR_TYPE) == null)
                .findFirst()
                .orElseThrow();
        assertEquals(0.9, ok.getSum(), 1e-9);
        assertEquals("chat", ok.getAttributes().get(OPERATION));
        assertEquals(GenAiConventions.DURATION_BUCKETS, ok.getBoundaries());
    }

    @Test
    void gatewayOverheadIsTheLatencyNotSpentWaitingOnProviders() {
        sink.log(chatRetriedAfter503());

        List<HistogramPointData> points = points(metric("switchboard.gateway.overhead"));
        assertEquals(1, points.size());
        assertEquals(0.2, points.get(0).getSum(), 1e-9, "1.5 s - (0.4 s + 0.9 s)");
        assertEquals("chat", points.get(0).getAttributes().get(OPERATION));
        assertEquals("s", metric("switchboard.gateway.overhead").getUnit());
    }

    @Test
    void overheadNeverGoesNegativeWhenAttemptsAddUpToMoreThanTheRequest() {
        sink.log(TestTrace.of(
                Endpoint.CHAT_COMPLETIONS,
                T0,
                Duration.ofMillis(100),
                200,
                0,
                CacheStatus.DISABLED,
                List.of(attempt(
                        "config",
                        "openai",
                        "gpt-4o",
                        200,
                        T0,
                        Duration.ofMillis(150),
                        0,
                        null,
                        Usage.of(1, 1),
                        Cost.ZERO,
                        null))));

        assertEquals(0.0, points(metric("switchboard.gateway.overhead")).get(0).getSum());
    }

    @Test
    void anEmbeddingsRequestUsesTheEmbeddingsOperationAndTheSemconvProviderName() {
        sink.log(TestTrace.of(
                Endpoint.EMBEDDINGS,
                T0,
                Duration.ofMillis(80),
                200,
                0,
                CacheStatus.DISABLED,
                List.of(attempt(
                        "config.targets[1]",
                        "azure-openai",
                        "text-embedding-3-small",
                        200,
                        T0.plusMillis(2),
                        Duration.ofMillis(70),
                        0,
                        null,
                        Usage.of(42, 0),
                        Cost.usd(new BigDecimal("0.00000084")),
                        null))));

        SpanData request = requestSpan();
        assertEquals("embeddings text-embedding-3-small", request.getName());
        assertEquals("embeddings", request.getAttributes().get(OPERATION));
        assertEquals("azure.ai.openai", request.getAttributes().get(PROVIDER));
        assertEquals(42L, request.getAttributes().get(INPUT_TOKENS));
        assertEquals(0L, request.getAttributes().get(OUTPUT_TOKENS));
        assertEquals("DISABLED", request.getAttributes().get(CACHE_STATUS));
        assertEquals("config.targets[1]", request.getAttributes().get(TARGET_PATH));
        SpanData child = attemptSpans().get(0);
        assertEquals("embeddings text-embedding-3-small", child.getName());
        assertNull(child.getAttributes().get(CACHE_STATUS), "the attempt had no cache status");

        HistogramPointData input = point(points(metric("gen_ai.client.token.usage")), TOKEN_TYPE, "input");
        assertEquals("embeddings", input.getAttributes().get(OPERATION));
        assertEquals("azure.ai.openai", input.getAttributes().get(PROVIDER));
        assertEquals(42.0, input.getSum());
    }

    @Test
    void anUnknownCostIsLeftOutRatherThanReportedAsZero() {
        sink.log(TestTrace.of(
                Endpoint.CHAT_COMPLETIONS,
                T0,
                Duration.ofMillis(300),
                200,
                0,
                CacheStatus.MISS,
                List.of(attempt(
                        "config",
                        "acme-llm",
                        "acme-1",
                        200,
                        T0,
                        Duration.ofMillis(250),
                        0,
                        null,
                        Usage.of(10, 5),
                        Cost.unknown("no price for model acme-1 of provider acme-llm"),
                        CacheStatus.MISS))));

        SpanData request = requestSpan();
        assertNull(request.getAttributes().get(COST_USD));
        assertNull(attemptSpans().get(0).getAttributes().get(COST_USD));
        assertEquals(
                "acme-llm", request.getAttributes().get(PROVIDER), "a provider without a semconv name keeps its id");
        assertEquals(10L, request.getAttributes().get(INPUT_TOKENS));
    }

    @Test
    void aRequestThatEndsInAnErrorStatusIsAnErrorSpanWithTheStatusAsErrorType() {
        sink.log(TestTrace.of(
                Endpoint.CHAT_COMPLETIONS,
                T0,
                Duration.ofMillis(50),
                503,
                -1,
                CacheStatus.MISS,
                List.of(
                        attempt(
                                "config.targets[0]",
                                "anthropic",
                                "claude-sonnet-4",
                                503,
                                T0,
                                Duration.ofMillis(20),
                                0,
                                "http_503",
                                null,
                                Cost.ZERO,
                                CacheStatus.MISS),
                        attempt(
                                "config.targets[1]",
                                "google",
                                "gemini-2.5-flash",
                                0,
                                T0.plusMillis(25),
                                Duration.ofMillis(20),
                                0,
                                "timeout",
                                null,
                                Cost.ZERO,
                                CacheStatus.MISS))));

        SpanData request = requestSpan();
        assertEquals(StatusCode.ERROR, request.getStatus().getStatusCode());
        assertEquals("503", request.getAttributes().get(ERROR_TYPE));
        assertEquals(-1L, request.getAttributes().get(RETRY));
        assertEquals("gcp.gemini", request.getAttributes().get(PROVIDER), "the last target tried");
        SpanData timedOut = attemptSpans().get(1);
        assertEquals("timeout", timedOut.getAttributes().get(ERROR_TYPE));
        assertNull(timedOut.getAttributes().get(HTTP_STATUS), "no response arrived");
        assertEquals("gcp.gemini", timedOut.getAttributes().get(PROVIDER));
        assertEquals("anthropic", attemptSpans().get(0).getAttributes().get(PROVIDER));
    }

    @Test
    void aCacheHitSpendsNoTokensAndItsWholeLatencyIsGatewayTime() {
        sink.log(TestTrace.of(
                Endpoint.CHAT_COMPLETIONS,
                T0,
                Duration.ofMillis(3),
                200,
                0,
                CacheStatus.HIT,
                List.of(attempt(
                        "config",
                        "openai",
                        "gpt-4o-mini",
                        200,
                        T0,
                        Duration.ofMillis(2),
                        0,
                        null,
                        Usage.of(120, 30),
                        Cost.ZERO,
                        CacheStatus.HIT))));

        assertEquals("HIT", requestSpan().getAttributes().get(CACHE_STATUS));
        assertEquals("HIT", attemptSpans().get(0).getAttributes().get(CACHE_STATUS));
        assertTrue(
                metricNames().stream()
                        .noneMatch(n ->
                                n.equals("gen_ai.client.token.usage") || n.equals("gen_ai.client.operation.duration")),
                "no provider call, no provider metrics: " + metricNames());
        assertEquals(
                0.003, points(metric("switchboard.gateway.overhead")).get(0).getSum(), 1e-9);
    }

    @Test
    void theRequestSpanNestsUnderTheSpanCurrentWhenTheSinkRuns() {
        Span caller = otel.getTracer("app").spanBuilder("handle /ask").startSpan();
        Scope scope = caller.makeCurrent();
        try {
            sink.log(chatRetriedAfter503());
        } finally {
            scope.close();
            caller.end();
        }

        SpanData request = requestSpan();
        assertEquals(caller.getSpanContext().getSpanId(), request.getParentSpanId());
        assertEquals(caller.getSpanContext().getTraceId(), request.getTraceId());
    }

    @Test
    void aRequestWithoutAttemptsIsNamedByItsOperationAlone() {
        // e.g. a guardrail denied it before any provider was called
        sink.log(TestTrace.of(Endpoint.COMPLETIONS, T0, Duration.ofMillis(4), 446, 0, CacheStatus.DISABLED, List.of()));

        SpanData request = requestSpan();
        assertEquals("text_completion", request.getName());
        assertEquals(StatusCode.ERROR, request.getStatus().getStatusCode());
        assertEquals("446", request.getAttributes().get(ERROR_TYPE));
        assertTrue(attemptSpans().isEmpty());
        assertEquals(
                0.004, points(metric("switchboard.gateway.overhead")).get(0).getSum(), 1e-9);
    }

    /** The one Switchboard span whose parent is not a Switchboard span. */
    private SpanData requestSpan() {
        List<SpanData> roots = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getInstrumentationScopeInfo().getName().equals(OtelLogSink.INSTRUMENTATION_NAME))
                .filter(s -> spans.getFinishedSpanItems().stream()
                        .noneMatch(p -> p.getSpanId().equals(s.getParentSpanId())
                                && p.getInstrumentationScopeInfo().getName().equals(OtelLogSink.INSTRUMENTATION_NAME)))
                .collect(Collectors.toList());
        assertEquals(1, roots.size(), "one request span: " + roots);
        return roots.get(0);
    }

    private List<SpanData> attemptSpans() {
        String requestId = requestSpan().getSpanId();
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(requestId))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .collect(Collectors.toList());
    }

    private MetricData metric(String name) {
        return metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metricNames()));
    }

    private List<String> metricNames() {
        return metrics.collectAllMetrics().stream().map(MetricData::getName).collect(Collectors.toList());
    }

    private static List<HistogramPointData> points(MetricData metric) {
        return List.copyOf(metric.getHistogramData().getPoints());
    }

    private static <T> HistogramPointData point(List<HistogramPointData> points, AttributeKey<T> key, T value) {
        return points.stream()
                .filter(p -> value.equals(p.getAttributes().get(key)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no point with " + key + "=" + value + " in " + points));
    }

    private static long nanos(Instant i) {
        return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
    }
}
