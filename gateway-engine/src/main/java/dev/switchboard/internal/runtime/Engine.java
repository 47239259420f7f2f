package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.Registry;
import dev.switchboard.internal.config.CompiledConfig;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.internal.hooks.HookRunner;
import dev.switchboard.internal.trace.TraceRecorder;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The request engine: walks the compiled tree for each request (strategies), runs each leaf through
 * the {@link LeafPipeline}, records every attempt, and assembles the caller's response with the
 * {@code x-portkey-*} headers. Thread-safe; one per gateway.
 */
public final class Engine {
    /** Prices an attempt's usage. */
    @FunctionalInterface
    public interface CostFunction {
        Cost cost(String provider, String model, Usage usage);
    }

    /** Estimates usage for an attempt whose real usage never arrived (a cut or cancelled stream). */
    @FunctionalInterface
    public interface UsageEstimator {
        Usage estimate(String provider, String model, ObjectNode requestBody, String answerText);
    }

    static final int CLOSED_STATUS = 503;
    static final String CLOSED = "gateway_closed";
    static final String CLOSED_MESSAGE = "the gateway was closed while this request was in flight;"
            + " no further attempt was made";

    final Registry registry;
    final Transport transport;
    final Sleeper sleeper;
    final Scheduler scheduler;
    final Clock clock;
    final RandomGenerator random;
    final List<LogSink> sinks;
    final CostFunction costs;
    final UsageEstimator estimator;
    final CircuitBreakers breakers;
    final EngineHooks hooks;
    final Function<JsonNode, CompiledConfig> compiler;
    /** The gateway's executor: request work of {@code executeAsync}, and of any request once its caller stopped waiting. */
    final java.util.concurrent.Executor executor;
    private final CompiledConfig config;
    private final LeafPipeline pipeline;
    private final Map<String, CompiledConfig> overrides = new java.util.concurrent.ConcurrentHashMap<>();

    public Engine(CompiledConfig config, Registry registry, Transport transport, Sleeper sleeper, Scheduler scheduler,
                  Clock clock, RandomGenerator random, List<LogSink> sinks, CostFunction costs,
                  UsageEstimator estimator, Function<JsonNode, CompiledConfig> compiler,
                  dev.switchboard.spi.CacheStore cacheStore, dev.switchboard.spi.Embedder embedder,
                  dev.switchboard.internal.accounting.LimitEnforcer limits, java.util.concurrent.Executor executor) {
        this.executor = WorkerPool.neverRejecting(executor);
        this.config = config;
        this.registry = registry;
        this.transport = transport;
        this.sleeper = sleeper;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.sinks = List.copyOf(sinks);
        this.costs = costs;
        this.estimator = estimator;
        this.compiler = compiler;
        this.breakers = new CircuitBreakers(clock);
        this.hooks = new EngineHooks(this, new HookRunner(registry::check, clock, this.executor));
        this.pipeline = new LeafPipeline(this, List.of(new CacheStage(this, cacheStore, embedder)),
                limits == null ? List.of() : List.of(new AdmissionStage(this, limits)));
    }

    /** A new default executor for a gateway (see {@code Gateway.Builder.executor}); shut it down with the gateway. */
    public static java.util.concurrent.ExecutorService defaultExecutor() {
        return WorkerPool.create();
    }

    public CompiledConfig config() {
        return config;
    }

    /** Whether the gateway was closed: no request starts another attempt after it. */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    /**
     * The answer of a request that would start a new attempt (a retry, a fallback's next target)
     * after the gateway was closed: 503 {@code gateway_closed}; neither retried nor moved on from.
     */
    static LeafResult closedResult(String provider, String model) {
        return LeafResult.failed(CLOSED_STATUS, ErrorBody.of(CLOSED_MESSAGE, CLOSED, null, CLOSED),
                Failure.of(FailureKind.CLOSED, CLOSED_MESSAGE), provider, model);
    }

    /** Compiles a per-request config (for explanations). */
    public CompiledConfig compile(JsonNode json) {
        return compiler.apply(json);
    }

    /** The conditional-routing context of a request. */
    public JsonNode queryContext(GatewayRequest request) {
        return RequestContext.buildQueryContext(request);
    }

    /**
     * Runs a request without blocking; its work continues on the gateway's executor. Never completes
     * exceptionally (errors are answers).
     */
    public CompletableFuture<GatewayResponse> execute(GatewayRequest request) {
        return execute(request, null);
    }

    /**
     * Runs a request on the calling thread and waits for its answer: a whole (non-streamed) provider
     * answer is fetched on this thread, and the work handed off by the timer or a transport (after a
     * retry wait, a timeout, an asynchronous answer) runs on it too.
     *
     * @throws InterruptedException when the caller is interrupted (the request still finishes)
     */
    public GatewayResponse executeBlocking(GatewayRequest request)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        CallerThreadExecutor caller = new CallerThreadExecutor(executor);
        return caller.runUntil(execute(request, caller));
    }

    private CompletableFuture<GatewayResponse> execute(GatewayRequest request, CallerThreadExecutor caller) {
        RequestContext rc = new RequestContext(request, newTrace(request), caller != null ? Thread.currentThread() : null,
                caller != null ? caller : executor);
        CompiledConfig cfg;
        try {
            cfg = configFor(request);
        } catch (dev.switchboard.ConfigException e) {
            return CompletableFuture.completedFuture(gatewayError(rc, 400, "invalid_config", e.getMessage()));
        }
        CompletableFuture<LeafResult> routed;
        try {
            routed = route(cfg.root(), rc);
        } catch (RuntimeException e) {
            routed = CompletableFuture.failedFuture(e);
        }
        return routed.handle((r, e) -> {
            if (e != null) {
                Throwable t = ProviderCallStage.unwrap(e);
                if (t instanceof GatewayClosedException) {
                    return gatewayError(rc, CLOSED_STATUS, CLOSED, CLOSED_MESSAGE);
                }
                return gatewayError(rc, 500, "gateway_error",
                        "internal gateway error: " + t.getClass().getSimpleName() + ": " + t.getMessage());
            }
            return respond(rc, r);
        });
    }

    private CompiledConfig configFor(GatewayRequest request) {
        JsonNode o = request.configOverride().orElse(null);
        if (o == null) {
            return config;
        }
        String key = o.toString();
        CompiledConfig c = overrides.get(key);
        if (c == null) {
            c = compiler.apply(o);
            if (overrides.size() < 256) {
                overrides.put(key, c);
            }
        }
        return c;
    }

    private TraceRecorder newTrace(GatewayRequest request) {
        String traceId = request.traceId().orElseGet(() -> request.header("x-portkey-trace-id")
                .orElseGet(Engine::newTraceId));
        Map<String, String> md = new LinkedHashMap<>();
        request.header("x-portkey-metadata").ifPresent(h -> {
            try {
                JsonNode n = Json.parse(h);
                n.properties().iterator().forEachRemaining(f -> md.put(f.getKey(), f.getValue().asText()));
            } catch (IllegalArgumentException ignored) {
                // Portkey treats unreadable metadata as {}
            }
        });
        md.putAll(request.metadata());
        ObjectNode b = request.bodyView();
        String user = b != null && b.path("user").isTextual() ? b.path("user").asText() : null;
        return new TraceRecorder(traceId, request.endpoint(), clock, user, md);
    }

    /**
     * A random (version 4) UUID from {@code ThreadLocalRandom}: trace ids need to be unique, not
     * unguessable, and {@code UUID.randomUUID()} goes through a locked {@code SecureRandom} per call.
     */
    static String newTraceId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    // ---------------------------------------------------------------- routing

    CompletableFuture<LeafResult> route(ConfigNode node, RequestContext rc) {
        if (node instanceof TargetNode t) {
            return leaf(t, rc);
        }
        StrategyNode s = (StrategyNode) node;
        switch (s.strategy().mode()) {
            case SINGLE:
                return route(s.targets().get(0), rc);
            case LOADBALANCE:
                return route(RouteChoice.weighted(s, random), rc);
            case CONDITIONAL: {
                ConfigNode chosen = RouteChoice.conditional(s, rc.queryContext(), null);
                if (chosen == null) {
                    String msg = "Query router did not resolve to any valid target (" + s.path()
                            + "): no condition matched and there is no default";
                    rc.trace.lastUsedOptionIndex(s.path());
                    return CompletableFuture.completedFuture(LeafResult.failed(400,
                            ErrorBody.of(msg, "invalid_request_error", null, "no_route"),
                            Failure.of(FailureKind.NO_ROUTE, msg), null, null));
                }
                return route(chosen, rc);
            }
            case FALLBACK:
            default:
                return fallback(s, 0, rc);
        }
    }

    private CompletableFuture<LeafResult> fallback(StrategyNode s, int i, RequestContext rc) {
        return route(s.targets().get(i), rc).thenCompose(r -> {
            if (i + 1 < s.targets().size() && movesOn(s.strategy().onStatusCodes(), r)) {
                if (isClosed()) {
                    return CompletableFuture.completedFuture(closedResult(r.provider(), r.model()));
                }
                return fallback(s, i + 1, rc);
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    static boolean movesOn(Set<Integer> onStatusCodes, LeafResult r) {
        if (r.moveOn()) {
            return true;
        }
        return onStatusCodes == null ? !r.isSuccess() : onStatusCodes.contains(r.status());
    }

    private CompletableFuture<LeafResult> leaf(TargetNode t, RequestContext rc) {
        if (isClosed()) {
            return CompletableFuture.completedFuture(closedResult(t.provider(), null));
        }
        rc.trace.lastUsedOptionIndex(t.path());
        Provider provider = registry.provider(t.provider()).orElse(null);
        ObjectNode body = rc.request.body();
        if (body != null && t.settings().overrideParams().size() > 0) {
            body.setAll(t.settings().overrideParams().deepCopy());
        }
        if (provider == null) {
            return fail(rc, t, body, 500, Failure.of(FailureKind.INTERNAL,
                    "no provider adapter for \"" + t.provider() + "\""));
        }
        if (!provider.supports(t.provider(), rc.endpoint)) {
            return fail(rc, t, body, 400, Failure.of(FailureKind.UNSUPPORTED,
                    rc.endpoint.path() + " is not supported by provider " + t.provider() + " (target " + t.path() + ")"));
        }
        ObjectNode options = t.options();
        if (t.virtualKey() != null) {
            // expiry and limits are the admission stage's: it runs for every virtual-key attempt
            ProviderCredentials key = registry.virtualKey(t.virtualKey()).orElse(null);
            if (key == null) {
                return fail(rc, t, body, 401, Failure.refused("invalid_virtual_key",
                        "virtual key " + t.virtualKey() + " is not registered"));
            }
            options = mergeKey(key, t.options());
        }
        return pipeline.run(new LeafCall(rc, t, provider, options, body, 0,
                new LeafCall.HookLog(new java.util.ArrayList<>())));
    }

    /** A leaf that cannot be tried at all: recorded, and a fallback moves on. */
    private CompletableFuture<LeafResult> fail(RequestContext rc, TargetNode t, ObjectNode body, int status,
                                               Failure failure) {
        LeafCall call = new LeafCall(rc, t, null, null, body, 0, new LeafCall.HookLog(List.of()));
        LeafResult r = LeafResult.failed(status, ErrorBody.of(failure.message(), failure.errorClass(), null, null),
                failure, t.provider(), call.model());
        recordSkipped(call, r);
        return CompletableFuture.completedFuture(r);
    }

    static ObjectNode mergeKey(ProviderCredentials key, ObjectNode targetOptions) {
        ObjectNode o = key.options();
        key.secret().ifPresent(s -> o.put("api_key", s));
        key.baseUrl().ifPresent(u -> o.put("custom_host", u));
        key.organization().ifPresent(v -> o.put("openai_organization", v));
        key.project().ifPresent(v -> o.put("openai_project", v));
        Iterator<Map.Entry<String, JsonNode>> it = targetOptions.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            o.set(e.getKey(), e.getValue());
        }
        return o;
    }

    // ---------------------------------------------------------------- recording

    /** Records an attempt for a leaf that never reached the provider. */
    void recordSkipped(LeafCall call, LeafResult r) {
        call.request.trace.addAttempt(new Attempt(call.target.path(), call.target.provider(), call.model(), r.status(),
                Duration.ZERO, call.retryNumber, r.errorClass(), r.errorMessage(), null, Cost.ZERO, null,
                clock.instant(), r.cacheStatus(), r.notes(), call.target.virtualKey()));
    }

    void recordAttempt(LeafCall call, LeafResult r) {
        Instant started = clock.instant().minusNanos(r.upstreamNanos());
        Cost cost = costOf(call, r.usage(), r.isSuccess());
        Attempt a = new Attempt(call.target.path(), call.target.provider(), r.model(), r.status(),
                Duration.ofNanos(r.upstreamNanos()), call.retryNumber, r.errorClass(), r.errorMessage(), r.usage(),
                r.saved() != null ? Cost.ZERO : cost, r.saved(), started, r.cacheStatus(), r.notes(),
                call.target.virtualKey());
        int index = call.request.trace.addAttempt(a);
        if (r.streamAttempt() != null) {
            r.streamAttempt().onEnd(end -> {
                Cost c = costOf(call, end.usage(), end.failure() == null);
                call.request.trace.updateAttempt(index, old -> new Attempt(old.targetPath(), old.provider(),
                        old.model(), old.status(), Duration.ofNanos(end.nanos()), old.retryNumber(),
                        end.failure() == null ? null : end.failure().errorClass(),
                        end.failure() == null ? null : end.failure().message(), end.usage(), c, old.saved(), old.startedAt(), old.cacheStatus(),
                        old.notes(), old.virtualKey()));
            });
        }
    }

    private Cost costOf(LeafCall call, Usage usage, boolean success) {
        if (usage == null) {
            return success ? Cost.unknown("the provider reported no usage") : Cost.ZERO;
        }
        return costs.cost(call.target.provider(), call.model(), usage);
    }

    void retryOutcome(LeafCall call, int count) {
        call.request.trace.retryAttemptCount(count);
    }

    Usage estimateUsage(LeafCall call, String answerText) {
        return estimator.estimate(call.target.provider(), call.model(), call.body, answerText).asEstimate();
    }

    // ---------------------------------------------------------------- response

    private GatewayResponse respond(RequestContext rc, LeafResult r) {
        TraceRecorder trace = rc.trace;
        if (r.cacheStatus() != null) {
            trace.cacheStatus(r.cacheStatus());
        }
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put("x-portkey-last-used-option-index", trace.lastUsedOptionIndex());
        headers.put("x-portkey-trace-id", trace.traceId());
        headers.put("x-portkey-retry-attempt-count", Integer.toString(trace.retryAttemptCount()));
        headers.put("x-portkey-cache-status", trace.cacheStatus().header());
        if (r.provider() != null) {
            headers.put("x-portkey-provider", r.provider());
        }
        trace.status(r.status());
        if (r.stream() != null) {
            headers.put("content-type", "text/event-stream");
            GatewayResponse resp = GatewayResponse.ofStream(r.status(), headers, r.stream(), trace);
            if (r.streamAttempt() != null) {
                r.streamAttempt().onEnd(end -> trace.finish(r.status(), sinks));
            } else {
                trace.finish(r.status(), sinks);
            }
            return resp;
        }
        headers.put("content-type", "application/json");
        ObjectNode body = r.body() == null ? ErrorBody.of("empty answer", "api_error", null, null) : r.body();
        trace.finish(r.status(), sinks);
        return GatewayResponse.ofJson(r.status(), headers, body, trace);
    }

    private GatewayResponse gatewayError(RequestContext rc, int status, String type, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-portkey-trace-id", rc.trace.traceId());
        headers.put("x-portkey-gateway-exception", "true");
        rc.trace.finish(status, sinks);
        return GatewayResponse.ofJson(status, headers, ErrorBody.of(message, type, null, null), rc.trace);
    }

    static boolean isChatLike(Endpoint e) {
        return e == Endpoint.CHAT_COMPLETIONS || e == Endpoint.COMPLETIONS;
    }
}
