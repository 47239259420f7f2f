package dev.switchboard.otel;

import static dev.switchboard.otel.GenAiConventions.CACHE_STATUS;
import static dev.switchboard.otel.GenAiConventions.COST_USD;
import static dev.switchboard.otel.GenAiConventions.ERROR_TYPE;
import static dev.switchboard.otel.GenAiConventions.HTTP_STATUS;
import static dev.switchboard.otel.GenAiConventions.INPUT_TOKENS;
import static dev.switchboard.otel.GenAiConventions.OPERATION_NAME;
import static dev.switchboard.otel.GenAiConventions.OUTPUT_TOKENS;
import static dev.switchboard.otel.GenAiConventions.PROVIDER_NAME;
import static dev.switchboard.otel.GenAiConventions.REQUEST_MODEL;
import static dev.switchboard.otel.GenAiConventions.RESPONSE_MODEL;
import static dev.switchboard.otel.GenAiConventions.RETRY;
import static dev.switchboard.otel.GenAiConventions.TARGET_PATH;
import static dev.switchboard.otel.GenAiConventions.TOKEN_TYPE;
import static dev.switchboard.otel.GenAiConventions.TRACE_ID;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.Cost;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.LogSink;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LogSink} that turns every finished request into OpenTelemetry spans and metrics named by
 * the GenAI semantic conventions: one CLIENT span per request ({@code chat gpt-4o-mini}) with a child
 * span per provider attempt, timed from the trace (not from when the sink runs); the histograms
 * {@code gen_ai.client.token.usage} and {@code gen_ai.client.operation.duration} per provider call;
 * and {@code switchboard.gateway.overhead}, the part of a request's latency not spent waiting on a
 * provider.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder()
 *         .config(json)
 *         .logSink(new OtelLogSink(GlobalOpenTelemetry.get()))
 *         .build();
 * }</pre>
 *
 * <p>Where the request span nests: installed as the gateway's call-listener factory, the sink makes
 * a listener per request on the caller's thread and captures the OpenTelemetry context current
 * there, so the request span is a child of the application's span at the call — whichever thread
 * later ends the request (a retry on the gateway's executor, a stream ending on a transport's
 * thread, {@code executeAsync}). Install it one way only, or every request is recorded twice:
 *
 * <pre>{@code
 * OtelLogSink otel = new OtelLogSink(GlobalOpenTelemetry.get());
 * Gateway gateway = Gateway.builder().config(json).callListenerFactory(otel).build();
 * }</pre>
 *
 * As a plain {@link LogSink} (above), the parent is the context current on the thread that calls
 * {@link #log}. Prompts, answers, user ids and metadata are never recorded.
 */
public final class OtelLogSink implements LogSink, CallListener.Factory {
    /** Name of the tracer and meter (the instrumentation scope). */
    public static final String INSTRUMENTATION_NAME = "dev.switchboard";

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final Tracer tracer;
    private final LongHistogram tokenUsage;
    private final DoubleHistogram operationDuration;
    private final DoubleHistogram overhead;

    /**
     * Creates the sink and its instruments.
     *
     * @param openTelemetry where the tracer and meter come from, e.g. {@code GlobalOpenTelemetry.get()}
     */
    public OtelLogSink(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
        Meter meter = openTelemetry.getMeter(INSTRUMENTATION_NAME);
        this.tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage")
                .ofLongs()
                .setUnit("{token}")
                .setDescription("Number of input and output tokens used per provider call")
                .setExplicitBucketBoundariesAdvice(GenAiConventions.TOKEN_BUCKETS)
                .build();
        this.operationDuration = meter.histogramBuilder("gen_ai.client.operation.duration")
                .setUnit("s")
                .setDescription("Duration of each provider call (attempt) the gateway made")
                .setExplicitBucketBoundariesAdvice(GenAiConventions.DURATION_BUCKETS)
                .build();
        this.overhead = meter.histogramBuilder("switchboard.gateway.overhead")
                .setUnit("s")
                .setDescription("Request latency minus the time spent waiting on providers")
                .setExplicitBucketBoundariesAdvice(GenAiConventions.OVERHEAD_BUCKETS)
                .build();
    }

    /**
     * The request's spans and metrics, parented to the context current on the calling thread.
     *
     * @param trace a finished request
     */
    @Override
    public void log(RequestTrace trace) {
        record(trace, Context.current());
    }

    /**
     * A listener for one request that captures the OpenTelemetry context current on the caller's
     * thread (the gateway calls this as the request starts) and records the request's spans and
     * metrics, parented to it, when the request ends.
     *
     * @param request the request starting
     * @return its listener
     */
    @Override
    public CallListener create(GatewayRequest request) {
        Context callersContext = Context.current();
        return new CallListener() {
            @Override
            public void requestEnd(RequestTrace trace) {
                record(trace, callersContext);
            }
        };
    }

    private void record(RequestTrace trace, Context callersContext) {
        Objects.requireNonNull(trace, "trace");
        String operation = GenAiConventions.operationName(trace.endpoint());
        List<Attempt> attempts = trace.attempts() == null ? List.of() : trace.attempts();
        // the answer came from the last attempt; earlier ones failed or were retried
        Attempt answering = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        String model = answering == null ? null : answering.model();
        String provider = answering == null ? null : GenAiConventions.providerName(answering.provider());
        Instant start = trace.startedAt() != null ? trace.startedAt() : Instant.now();
        Duration latency = nonNegative(trace.latency());

        AttributesBuilder attributes = Attributes.builder();
        attributes.put(OPERATION_NAME, operation);
        putIfPresent(attributes, PROVIDER_NAME, provider);
        putIfPresent(attributes, REQUEST_MODEL, model);
        putIfPresent(attributes, RESPONSE_MODEL, model);
        putUsage(attributes, trace.totalUsage());
        if (trace.status() > 0) {
            attributes.put(HTTP_STATUS, (long) trace.status());
        }
        boolean failed = !isSuccess(trace.status());
        if (failed) {
            attributes.put(
                    ERROR_TYPE,
                    trace.status() > 0
                            ? Integer.toString(trace.status())
                            : answering != null && answering.errorClass() != null ? answering.errorClass() : "_OTHER");
        }
        putIfPresent(attributes, TARGET_PATH, trace.lastUsedOptionIndex());
        attributes.put(RETRY, (long) trace.retryAttemptCount());
        if (trace.cacheStatus() != null) {
            attributes.put(CACHE_STATUS, trace.cacheStatus().header());
        }
        putIfPresent(attributes, TRACE_ID, trace.traceId());
        putCost(attributes, trace.totalCost());

        Span request = tracer.spanBuilder(spanName(operation, model))
                .setParent(callersContext)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(start)
                .setAllAttributes(attributes.build())
                .startSpan();
        if (failed) {
            request.setStatus(StatusCode.ERROR, "HTTP " + trace.status());
        }
        Context parent = callersContext.with(request);

        long providerNanos = 0;
        for (Attempt attempt : attempts) {
            recordAttempt(parent, operation, trace, attempt, start);
            if (!isCacheHit(attempt)) {
                providerNanos += nonNegative(attempt.latency()).toNanos();
            }
        }
        request.end(start.plus(latency));

        long overheadNanos = Math.max(0, latency.toNanos() - providerNanos);
        AttributesBuilder overheadAttributes = Attributes.builder().put(OPERATION_NAME, operation);
        putIfPresent(overheadAttributes, PROVIDER_NAME, provider);
        overhead.record(overheadNanos / NANOS_PER_SECOND, overheadAttributes.build());
    }

    private void recordAttempt(
            Context parent, String operation, RequestTrace trace, Attempt attempt, Instant requestStart) {
        String provider = GenAiConventions.providerName(attempt.provider());
        Instant start = attempt.startedAt() != null ? attempt.startedAt() : requestStart;
        Duration latency = nonNegative(attempt.latency());
        String errorType = attempt.succeeded()
                ? null
                : attempt.errorClass() != null
                        ? attempt.errorClass()
                        : attempt.status() > 0 ? Integer.toString(attempt.status()) : "_OTHER";

        AttributesBuilder common = Attributes.builder();
        common.put(OPERATION_NAME, operation);
        putIfPresent(common, PROVIDER_NAME, provider);
        putIfPresent(common, REQUEST_MODEL, attempt.model());
        putIfPresent(common, RESPONSE_MODEL, attempt.model());
        Attributes metricAttributes = common.build();

        AttributesBuilder spanAttributes = metricAttributes.toBuilder();
        putUsage(spanAttributes, attempt.usage());
        if (attempt.status() > 0) {
            spanAttributes.put(HTTP_STATUS, (long) attempt.status());
        }
        putIfPresent(spanAttributes, ERROR_TYPE, errorType);
        putIfPresent(spanAttributes, TARGET_PATH, attempt.targetPath());
        spanAttributes.put(RETRY, (long) attempt.retryNumber());
        if (attempt.cacheStatus() != null) {
            spanAttributes.put(CACHE_STATUS, attempt.cacheStatus().header());
        }
        putIfPresent(spanAttributes, TRACE_ID, trace.traceId());
        putCost(spanAttributes, attempt.cost());

        Span span = tracer.spanBuilder(spanName(operation, attempt.model()))
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(start)
                .setAllAttributes(spanAttributes.build())
                .startSpan();
        if (errorType != null) {
            span.setStatus(StatusCode.ERROR, errorType);
        }
        span.end(start.plus(latency));

        // A cache hit called no provider: it spent no tokens and is no provider-call duration.
        if (isCacheHit(attempt)) {
            return;
        }
        Usage usage = attempt.usage();
        if (usage != null) {
            tokenUsage.record(
                    usage.promptTokens(),
                    metricAttributes.toBuilder()
                            .put(TOKEN_TYPE, GenAiConventions.TOKEN_INPUT)
                            .build());
            tokenUsage.record(
                    usage.completionTokens(),
                    metricAttributes.toBuilder()
                            .put(TOKEN_TYPE, GenAiConventions.TOKEN_OUTPUT)
                            .build());
        }
        AttributesBuilder durationAttributes = metricAttributes.toBuilder();
        putIfPresent(durationAttributes, ERROR_TYPE, errorType);
        operationDuration.record(latency.toNanos() / NANOS_PER_SECOND, durationAttributes.build());
    }

    private static String spanName(String operation, String model) {
        return model == null || model.isEmpty() ? operation : operation + " " + model;
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static boolean isCacheHit(Attempt attempt) {
        return attempt.cacheStatus() != null && attempt.cacheStatus().isHit();
    }

    private static Duration nonNegative(Duration d) {
        return d == null || d.isNegative() ? Duration.ZERO : d;
    }

    private static void putUsage(AttributesBuilder attributes, Usage usage) {
        if (usage != null) {
            attributes.put(INPUT_TOKENS, usage.promptTokens());
            attributes.put(OUTPUT_TOKENS, usage.completionTokens());
        }
    }

    private static void putCost(AttributesBuilder attributes, Cost cost) {
        if (cost != null && cost.known()) {
            attributes.put(COST_USD, cost.usd().doubleValue());
        }
    }

    private static <T> void putIfPresent(AttributesBuilder attributes, AttributeKey<T> key, T value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
