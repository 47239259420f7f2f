package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.internal.Redactor;
import dev.switchboard.internal.Registry;
import dev.switchboard.internal.accounting.LimitEnforcer;
import dev.switchboard.internal.config.CompiledConfig;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.internal.hooks.HookRunner;
import dev.switchboard.internal.trace.TraceRecorder;
import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.Embedder;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.Transport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The request engine: walks the compiled tree for each request with the {@link RouteEvaluator}
 * (strategies), runs each leaf through the {@link LeafPipeline}, and hands the result to the
 * {@link ResponseAssembler}. Attempts are recorded by the stages ({@link AttemptRecorder}).
 * Thread-safe; one per gateway. Built with {@link #builder()}.
 */
public final class Engine {
    private final CompiledConfig config;
    private final Registry registry;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Function<JsonNode, CompiledConfig> compiler;
    /** The gateway's executor: request work of {@code executeAsync}, and of any request once its caller stopped waiting. */
    private final Executor executor;

    private final RouteEvaluator router;
    /** Strategy nodes with {@code hedge}. */
    private final HedgedRoute hedges;

    private final AttemptRecorder recorder;
    private final ResponseAssembler assembler;
    private final List<LogSink> sinkList;
    private final LeafPipeline pipeline;
    /** Compiled per-request configs by their JSON text: the {@value #OVERRIDE_CACHE_SIZE} most recently used. */
    private final Map<String, CompiledConfig> overrides = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledConfig> eldest) {
            return size() > OVERRIDE_CACHE_SIZE;
        }
    };

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);

    private final CallListener.Factory listeners;
    private final CircuitBreakers breakers;
    /** Opens Realtime sessions (WebSockets) through the same config. */
    private final RealtimeSessions realtime;
    /** The Responses API answers this gateway produced on translated targets. */
    private final dev.switchboard.internal.responses.ResponseStore responses;
    /** Which target made each stateful object (files, batches, …), so calls naming it go back there. */
    private final Affinity affinity;
    /** Every secret of the gateway's config and virtual keys, and the key-shaped patterns. */
    private final Redactor redactor;

    private final ModelList models;
    /** The prompt templates of {@code POST /v1/prompts/{id}/completions}; null when the gateway has none. */
    private final dev.switchboard.spi.PromptStore prompts;
    /** How many compiled per-request configs are kept (least recently used evicted first). */
    static final int OVERRIDE_CACHE_SIZE = 256;

    private Engine(Builder b) {
        this.listeners = b.listeners;
        this.affinity = b.affinity != null ? b.affinity : new Affinity(null, java.time.Duration.ZERO);
        this.prompts = b.prompts;
        this.responses = b.responses != null
                ? b.responses
                : new dev.switchboard.internal.responses.ResponseStore(
                        new dev.switchboard.accounting.InMemoryStateStore(b.clock),
                        dev.switchboard.internal.responses.ResponseStore.DEFAULT_RETENTION);
        this.config = Objects.requireNonNull(b.config, "config");
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.compiler = Objects.requireNonNull(b.compiler, "compiler");
        this.executor = WorkerPool.neverRejecting(Objects.requireNonNull(b.executor, "executor"));
        Sleeper sleeper = b.sleeper != null ? b.sleeper : scheduler;
        Observations observations = new Observations(clock);
        this.router = new RouteEvaluator(b.random, observations);
        this.hedges = new HedgedRoute(sleeper, scheduler, router, this::route);
        this.recorder = new AttemptRecorder(clock, b.costs);
        this.models = new ModelList(b.modelCatalog != null ? b.modelCatalog : provider -> List.of());
        this.assembler = new ResponseAssembler(b.sinks);
        this.sinkList = b.sinks;
        EngineHooks hooks = new EngineHooks(new HookRunner(registry::check, clock, executor), b.transport, clock);
        List<LeafStage> stages = new ArrayList<>();
        this.breakers = new CircuitBreakers(clock);
        stages.add(new CircuitBreakerStage(breakers, recorder));
        stages.add(new BeforeHooksStage(hooks, recorder));
        stages.add(new CacheStage(b.cacheStore, b.embedder, b.vectorStore, clock, b.costs));
        stages.add(new RetryStage(sleeper, scheduler, clock, b.random, recorder));
        stages.add(new CostCapStage(b.pricing));
        if (b.limits != null) {
            stages.add(new AdmissionStage(b.limits, registry::virtualKey, b.costs));
        }
        stages.add(new AfterHooksStage(hooks));
        stages.add(new ObservationStage(observations));
        stages.add(new ProviderCallStage(b.transport, scheduler, clock, b.estimator, b.maxEventBytes, b.ownExecutor));
        this.pipeline = new LeafPipeline(stages);
        List<String> secrets = new ArrayList<>();
        collectSecrets(config.root(), registry, secrets);
        for (String slug : registry.virtualKeys()) {
            registry.virtualKey(slug).ifPresent(k -> {
                k.secret().ifPresent(secrets::add);
                ObjectNode o = k.options();
                k.baseUrl().ifPresent(u -> o.put("custom_host", u));
                Redactor.collectSecrets(o, Set.of(), secrets);
            });
        }
        this.redactor = Redactor.patterns().with(secrets);
        java.util.function.Supplier<java.net.http.HttpClient> ws =
                b.webSocketClient != null ? b.webSocketClient : Engine::defaultWebSocketClient;
        this.realtime = new RealtimeSessions(
                registry, router, clock, sleeper, scheduler, executor, b.sinks, b.costs, b.limits, ws);
    }

    private static volatile java.net.http.HttpClient defaultWebSocketClient;

    /** The JDK client for realtime WebSockets when the gateway was given none: one per JVM, made on first use. */
    private static java.net.http.HttpClient defaultWebSocketClient() {
        java.net.http.HttpClient c = defaultWebSocketClient;
        if (c == null) {
            synchronized (Engine.class) {
                c = defaultWebSocketClient;
                if (c == null) {
                    c = java.net.http.HttpClient.newBuilder()
                            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                            .connectTimeout(java.time.Duration.ofSeconds(30))
                            .build();
                    defaultWebSocketClient = c;
                }
            }
        }
        return c;
    }

    /**
     * Opens a Realtime session: the request is routed through its config (or override) like any
     * other, and the first target that opens serves the whole session.
     *
     * @return the open session; failed with {@link dev.switchboard.api.GatewayErrorException} (status,
     *         type, message without secrets) when no target could be opened; the trace is logged then
     */
    public CompletableFuture<dev.switchboard.api.RealtimeSession> realtime(
            GatewayRequest given, dev.switchboard.api.RealtimeListener sessionListener) {
        CallListener listener = GuardedListener.create(listeners, given);
        listener.requestStart(given);
        GatewayRequest request;
        try {
            request = withHeaderConfig(given);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(
                    new dev.switchboard.api.GatewayErrorException(400, "invalid_config", e.getMessage()));
        }
        TraceRecorder trace = newTrace(request);
        JsonNode override = request.configOverride().orElse(null);
        if (override != null) {
            List<String> secrets = new ArrayList<>();
            Redactor.collectConfigSecrets(override, secrets);
            trace.redactor(trace.redactor().with(secrets));
        }
        CompiledConfig cfg;
        try {
            cfg = configFor(request);
        } catch (dev.switchboard.ConfigException e) {
            trace.finish(400, sinkList, listener);
            return CompletableFuture.failedFuture(new dev.switchboard.api.GatewayErrorException(
                    400, "invalid_config", trace.redactor().redact(e.getMessage())));
        }
        Set<String> forwarded = forwardedHeaders(cfg.root());
        if (override != null) {
            List<String> secrets = new ArrayList<>();
            collectSecrets(cfg.root(), registry, secrets);
            trace.redactor(trace.redactor().with(secrets));
        }
        trace.redactor(requestRedactor(trace.redactor(), request, forwarded));
        String badHeader = badForwardedHeader(request, forwarded);
        if (badHeader != null) {
            trace.finish(400, sinkList, listener);
            return CompletableFuture.failedFuture(
                    new dev.switchboard.api.GatewayErrorException(400, "invalid_request_error", badHeader));
        }
        return realtime.open(request, cfg, trace, listener, sessionListener);
    }

    /** Adds the secrets of every target under {@code node} (by field name and the adapter's secret keys). */
    static void collectSecrets(ConfigNode node, Registry registry, List<String> into) {
        java.util.ArrayDeque<ConfigNode> todo = new java.util.ArrayDeque<>();
        todo.add(node);
        while (!todo.isEmpty()) {
            ConfigNode n = todo.poll();
            if (n instanceof StrategyNode st) {
                todo.addAll(st.targets());
            } else if (n instanceof TargetNode t) {
                Set<String> declared = registry.provider(t.provider())
                        .map(p -> p.secretKeys(t.provider()))
                        .orElse(Set.of());
                Redactor.collectSecrets(t.options(), declared == null ? Set.of() : declared, into);
            }
        }
    }

    /** The names of the request headers some target under {@code node} forwards upstream. */
    static Set<String> forwardedHeaders(ConfigNode node) {
        Set<String> names = new java.util.HashSet<>();
        java.util.ArrayDeque<ConfigNode> todo = new java.util.ArrayDeque<>();
        todo.add(node);
        while (!todo.isEmpty()) {
            ConfigNode n = todo.poll();
            names.addAll(n.settings().forwardHeaders());
            if (n instanceof StrategyNode st) {
                todo.addAll(st.targets());
            }
        }
        return names;
    }

    /**
     * The request's own secrets: the values of its credential headers ({@code authorization},
     * {@code x-api-key}, … by name) and of the headers the config forwards upstream.
     */
    private Redactor requestRedactor(Redactor base, GatewayRequest request, Set<String> forwarded) {
        List<String> secrets = new ArrayList<>();
        request.headers().forEach((name, value) -> {
            if (Redactor.isSecretName(name) || forwarded.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                secrets.add(value);
            }
        });
        return secrets.isEmpty() ? base : base.with(secrets);
    }

    /**
     * The 400 message for a forwarded request header whose value cannot be sent (a line break or
     * other control character), naming the header and never its value; null when every one is fine.
     */
    static String badForwardedHeader(GatewayRequest request, Set<String> forwarded) {
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (h.getValue() != null && forwarded.contains(name) && Redactor.controlCharacter(h.getValue()) >= 0) {
                return "request header \"" + name + "\" cannot be forwarded: its value contains "
                        + Redactor.describeControl(h.getValue()) + "; header values must be a single line without"
                        + " control characters";
            }
        }
        return null;
    }

    /**
     * When {@code target}'s circuit closes again (epoch ms of the gateway's clock), or 0 when it is not
     * open now or has no {@code cb_config}.
     */
    public long circuitOpenUntil(TargetNode target) {
        return breakers.openUntil(target.path(), target.settings().circuitBreaker());
    }

    /** {@return the redactor of the gateway's own secrets (config and virtual keys), for explanations} */
    public Redactor redactor() {
        return redactor;
    }

    /** {@return a builder; config, registry, transport, scheduler, clock, random, costs, estimator, compiler and executor are required} */
    public static Builder builder() {
        return new Builder();
    }

    /** A new default executor for a gateway (see {@code Gateway.Builder.executor}); shut it down with the gateway. */
    public static ExecutorService defaultExecutor() {
        return WorkerPool.create();
    }

    /** {@return the gateway's compiled config} */
    public CompiledConfig config() {
        return config;
    }

    /**
     * Why {@code request} is never hedged (sending it twice would do something twice), or null when
     * a {@code hedge} may send it to a second target.
     */
    public static String notHedged(GatewayRequest request) {
        return HedgedRoute.notIdempotent(request);
    }

    /** {@return the routing evaluator, for explanations} */
    public RouteEvaluator router() {
        return router;
    }

    /** Whether the gateway was closed: no request starts another attempt after it. */
    public boolean isClosed() {
        return scheduler.isClosed();
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
     * exceptionally (errors are answers). Cancelling the future cancels the request in any state: the
     * attempt under way is aborted (its connection released), no retry or fallback starts, and a stream
     * answer that was not handed over is closed. A stream already handed over belongs to the caller,
     * who closes it.
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
    public GatewayResponse executeBlocking(GatewayRequest request) throws InterruptedException, ExecutionException {
        CallerThreadExecutor caller = new CallerThreadExecutor(executor);
        return caller.runUntil(execute(request, caller));
    }

    private CompletableFuture<GatewayResponse> execute(GatewayRequest given, CallerThreadExecutor caller) {
        // the listener is made here, on the caller's thread: it can capture the caller's context
        CallListener listener = GuardedListener.create(listeners, given);
        listener.requestStart(given);
        GatewayRequest request = given;
        String headerProblem = null;
        try {
            request = withHeaderConfig(given);
        } catch (IllegalArgumentException e) {
            headerProblem = e.getMessage();
        }
        dev.switchboard.internal.prompts.PromptRoute.Rendered prompt = null;
        dev.switchboard.internal.prompts.PromptRoute.Refusal promptRefusal = null;
        if (headerProblem == null && dev.switchboard.internal.prompts.PromptRoute.matches(request)) {
            // Portkey's prompt route: the rendered chat request is what is routed, cached and traced
            try {
                prompt = dev.switchboard.internal.prompts.PromptRoute.render(request, prompts);
                request = prompt.request();
            } catch (dev.switchboard.internal.prompts.PromptRoute.Refusal e) {
                promptRefusal = e;
            }
        }
        String previousResponseId = null;
        if (request.endpoint() == dev.switchboard.api.Endpoint.RESPONSES) {
            GatewayRequest expanded = expandPrevious(request);
            if (expanded != request) {
                previousResponseId =
                        request.bodyView().path("previous_response_id").asText();
                request = expanded;
            }
        }
        RequestContext rc = new RequestContext(
                request,
                newTrace(request),
                caller != null ? Thread.currentThread() : null,
                caller != null ? caller : executor,
                listener);
        rc.previousResponseId = previousResponseId;
        if (headerProblem != null) {
            return CompletableFuture.completedFuture(assembler.gatewayError(rc, 400, "invalid_config", headerProblem));
        }
        if (prompt != null) {
            rc.trace.prompt(prompt.id(), prompt.version());
        }
        if (promptRefusal != null) {
            rc.trace.prompt(promptRefusal.id(), promptRefusal.version());
            return CompletableFuture.completedFuture(assembler.gatewayError(
                    rc,
                    promptRefusal.status(),
                    promptRefusal.status() == 400 ? "invalid_request_error" : "gateway_error",
                    promptRefusal.getMessage(),
                    promptRefusal.param(),
                    promptRefusal.code()));
        }
        if (request.endpoint() == dev.switchboard.api.Endpoint.PROXY) {
            // GET/DELETE /v1/responses/{id}[/input_items] of an answer this gateway produced: answered here
            JsonNode local = responses
                    .answer(request.method(), request.path(), request.query().orElse(null))
                    .orElse(null);
            if (local != null) {
                return CompletableFuture.completedFuture(assembler.localAnswer(rc, 200, local));
            }
        }
        JsonNode override = request.configOverride().orElse(null);
        if (override != null) {
            // a per-request config's secrets are masked too, also in its own config problems
            List<String> secrets = new ArrayList<>();
            Redactor.collectConfigSecrets(override, secrets);
            rc.trace.redactor(rc.trace.redactor().with(secrets));
        }
        CompiledConfig cfg;
        try {
            cfg = configFor(request);
        } catch (dev.switchboard.ConfigException e) {
            return CompletableFuture.completedFuture(assembler.gatewayError(rc, 400, "invalid_config", e.getMessage()));
        }
        Set<String> forwarded = forwardedHeaders(cfg.root());
        if (override != null) {
            List<String> secrets = new ArrayList<>();
            collectSecrets(cfg.root(), registry, secrets);
            rc.trace.redactor(rc.trace.redactor().with(secrets));
        }
        rc.trace.redactor(requestRedactor(rc.trace.redactor(), request, forwarded));
        String badHeader = badForwardedHeader(request, forwarded);
        if (badHeader != null) {
            return CompletableFuture.completedFuture(
                    assembler.gatewayError(rc, 400, "invalid_request_error", badHeader));
        }
        CompletableFuture<GatewayResponse> out = new CompletableFuture<>();
        out.whenComplete((v, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) {
                rc.cancellation.cancel();
            }
        });
        CompletableFuture<LeafResult> routed;
        try {
            TargetNode pinned = ModelList.answers(request) ? null : pinnedTarget(request, cfg.root());
            routed = ModelList.answers(request)
                    ? models.answer(cfg.root(), request, t -> leaf(t, modelsRequest(rc)))
                    : pinned != null ? leaf(pinned, rc) : route(cfg.root(), rc);
        } catch (RuntimeException e) {
            routed = CompletableFuture.failedFuture(e);
        }
        routed.handle((r, e) -> {
                    if (e != null) {
                        Throwable t = ProviderCallStage.unwrap(e);
                        if (t instanceof GatewayClosedException) {
                            return assembler.gatewayError(
                                    rc, LeafResult.CLOSED_STATUS, LeafResult.CLOSED, LeafResult.CLOSED_MESSAGE);
                        }
                        return assembler.gatewayError(
                                rc,
                                500,
                                "gateway_error",
                                "internal gateway error: " + t.getClass().getSimpleName() + ": " + t.getMessage());
                    }
                    return assembler.respond(rc, r);
                })
                .whenComplete((response, e) -> {
                    boolean delivered = e == null ? out.complete(response) : out.completeExceptionally(e);
                    if (!delivered && response != null && response.isStream()) {
                        response.stream().close(); // cancelled before the hand-over: nobody will read or close it
                    }
                });
        return out;
    }

    /**
     * A Responses request whose {@code previous_response_id} names an answer this gateway keeps: the
     * same request with the kept conversation (its input and output items) before its own input, and
     * no {@code previous_response_id}, so any target can continue it. Any other request is returned as is.
     */
    private GatewayRequest expandPrevious(GatewayRequest request) {
        ObjectNode body = request.bodyView();
        if (body == null || !body.path("previous_response_id").isTextual()) {
            return request;
        }
        String id = body.get("previous_response_id").asText();
        com.fasterxml.jackson.databind.node.ArrayNode before =
                responses.conversation(id).orElse(null);
        if (before == null) {
            return request; // not ours: OpenAI's own, or no longer kept
        }
        ObjectNode copy = body.deepCopy();
        try {
            before.addAll(dev.switchboard.internal.responses.ResponsesRequests.inputItems(body.get("input")));
        } catch (dev.switchboard.internal.responses.ResponsesException e) {
            return request; // the targets report the malformed input
        }
        copy.set("input", before);
        copy.remove("previous_response_id");
        return request.toBuilder().body(copy).build();
    }

    /** A target's own {@code GET /v1/models}, recorded in the caller's trace. */
    private static RequestContext modelsRequest(RequestContext rc) {
        GatewayRequest list = GatewayRequest.builder("GET", "/v1/models").build();
        return new RequestContext(list, rc.trace, rc.blockingCaller, rc.executor, rc.listener);
    }

    /** The request header that carries a per-request config, as Portkey's gateway reads it: inline JSON. */
    public static final String CONFIG_HEADER = "x-portkey-config";

    /**
     * A request of the prompt route ({@code POST /v1/prompts/{id}/completions}) rendered as the chat
     * request it stands for, for explanations; any other request as is.
     *
     * @throws IllegalArgumentException when the prompt cannot be rendered (unknown, missing variable)
     */
    public GatewayRequest renderPrompt(GatewayRequest request) {
        if (!dev.switchboard.internal.prompts.PromptRoute.matches(request)) {
            return request;
        }
        try {
            return dev.switchboard.internal.prompts.PromptRoute.render(request, prompts)
                    .request();
        } catch (dev.switchboard.internal.prompts.PromptRoute.Refusal e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * Applies a request's {@code x-portkey-config} header (an inline JSON config) as its config
     * override, so every caller that can only set headers (an SDK, a proxy) can pass one. An override
     * set on the request itself wins over the header.
     *
     * @param request the request
     * @return the request itself when it has no such header or already has an override; else a copy
     *         with the header's config as its override
     * @throws IllegalArgumentException when the header is not a JSON object; the message names the
     *                                  header and what was found, never the value (it may hold keys)
     */
    public static GatewayRequest withHeaderConfig(GatewayRequest request) {
        if (request.configOverride().isPresent()) {
            return request;
        }
        String text = request.header(CONFIG_HEADER).orElse(null);
        if (text == null) {
            return request;
        }
        JsonNode config;
        try {
            config = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request header \"" + CONFIG_HEADER + "\": found " + text.length()
                    + " characters that are not JSON, expected an inline config JSON object"
                    + " (saved config ids such as \"pc-...\" need Portkey's hosted service)");
        }
        if (!config.isObject()) {
            throw new IllegalArgumentException("request header \"" + CONFIG_HEADER + "\": found a JSON "
                    + config.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                    + ", expected an inline config JSON object");
        }
        return request.toBuilder().configOverride(config).build();
    }

    private CompiledConfig configFor(GatewayRequest request) {
        JsonNode o = request.configOverride().orElse(null);
        if (o == null) {
            return config;
        }
        String key = o.toString();
        CompiledConfig c;
        synchronized (overrides) {
            c = overrides.get(key);
        }
        if (c == null) {
            // compiled outside the lock: two first requests may both compile, none waits on another
            c = compiler.apply(o);
            synchronized (overrides) {
                overrides.put(key, c);
            }
        }
        return c;
    }

    private TraceRecorder newTrace(GatewayRequest request) {
        String traceId = request.traceId()
                .orElseGet(() -> request.header("x-portkey-trace-id").orElseGet(Engine::newTraceId));
        Map<String, String> md = RequestContext.metadataOf(request);
        ObjectNode b = request.paramsView();
        String user = b != null && b.path("user").isTextual() ? b.path("user").asText() : null;
        TraceRecorder trace = new TraceRecorder(traceId, request.endpoint(), clock, user, md);
        trace.redactor(redactor);
        return trace;
    }

    /**
     * A random (version 4) UUID from {@code ThreadLocalRandom}: trace ids need to be unique, not
     * unguessable, and {@code UUID.randomUUID()} goes through a locked {@code SecureRandom} per call.
     */
    static String newTraceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    // ---------------------------------------------------------------- routing

    private CompletableFuture<LeafResult> route(ConfigNode node, RequestContext rc) {
        if (node instanceof TargetNode t) {
            return leaf(t, rc);
        }
        StrategyNode s = (StrategyNode) node;
        RouteEvaluator.Decision d = router.decide(s, rc::queryContext, null);
        RequestContext ctx = rc;
        boolean hedged = false;
        if (s.strategy().hedge() != null) {
            String refusal = HedgedRoute.notIdempotent(rc.request);
            if (refusal != null) {
                ctx = rc.noted("hedge of " + s.path() + " not used: " + refusal);
            } else {
                hedged = true;
            }
        }
        if (d instanceof RouteEvaluator.Chosen c) {
            return hedged && s.strategy().mode() == dev.switchboard.internal.config.Strategy.Mode.LOADBALANCE
                    ? hedges.loadbalance(s, c.node(), ctx)
                    : route(c.node(), ctx);
        }
        if (d instanceof RouteEvaluator.NoRoute) {
            String msg = "Query router did not resolve to any valid target (" + s.path()
                    + "): no condition matched and there is no default";
            rc.trace.lastUsedOptionIndex(s.path());
            return CompletableFuture.completedFuture(LeafResult.failed(
                    400,
                    ErrorBody.of(msg, "invalid_request_error", null, "no_route"),
                    Failure.of(FailureKind.NO_ROUTE, msg),
                    null,
                    null));
        }
        List<ConfigNode> order = ((RouteEvaluator.Fallback) d).order();
        return hedged ? hedges.fallback(s, order, 0, ctx) : fallback(s, order, 0, ctx);
    }

    private CompletableFuture<LeafResult> fallback(StrategyNode s, List<ConfigNode> order, int i, RequestContext rc) {
        return route(order.get(i), rc).thenCompose(r -> {
            if (i + 1 < order.size() && movesOn(s.strategy().onStatusCodes(), r) && !rc.cancellation.isCancelled()) {
                if (isClosed()) {
                    return CompletableFuture.completedFuture(LeafResult.closed(r.provider(), r.model()));
                }
                return fallback(s, order, i + 1, rc);
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
            return CompletableFuture.completedFuture(LeafResult.closed(t.provider(), null));
        }
        rc.trace.lastUsedOptionIndex(t.path());
        rc.leaf(t.path());
        Provider provider = registry.provider(t.provider()).orElse(null);
        ObjectNode body = rc.request.params(); // a multipart upload: its text fields
        if (body != null && t.settings().overrideParams().size() > 0) {
            body.setAll(t.settings().overrideParams().deepCopy());
        }
        if (provider == null) {
            return fail(
                    rc,
                    t,
                    body,
                    500,
                    Failure.of(FailureKind.INTERNAL, "no provider adapter for \"" + t.provider() + "\""));
        }
        if (!provider.supports(t.provider(), rc.endpoint) && !translatesResponses(rc, t, provider)) {
            return fail(
                    rc,
                    t,
                    body,
                    400,
                    Failure.of(
                            FailureKind.UNSUPPORTED,
                            rc.request.method() + " " + rc.request.path() + " is not supported by provider "
                                    + t.provider() + " (target "
                                    + t.path() + ")"));
        }
        ObjectNode options = t.options();
        if (t.virtualKey() != null) {
            // expiry and limits are the admission stage's: it runs for every virtual-key attempt
            ProviderCredentials key = registry.virtualKey(t.virtualKey()).orElse(null);
            if (key == null) {
                return fail(
                        rc,
                        t,
                        body,
                        401,
                        Failure.refused("invalid_virtual_key", "virtual key " + t.virtualKey() + " is not registered"));
            }
            options = mergeKey(key, t.options());
        }
        if (translatesResponses(rc, t, provider)) {
            return responsesViaChat(rc, t, provider, options, body);
        }
        CompletableFuture<LeafResult> r =
                pipeline.run(new LeafCall(rc, t, provider, options, body, 0, new LeafCall.HookLog(new ArrayList<>())));
        if (!affinity.enabled()
                || !"POST".equals(rc.request.method())
                || !Affinity.mayCreate(rc.request, rc.endpoint)) {
            return r;
        }
        // a call that made an object (a file, a batch, a stored response): later calls naming it come back here
        return r.thenApply(result -> {
            if (result.isSuccess() && result.body() != null) {
                try {
                    affinity.record(t, result.body());
                } catch (RuntimeException e) {
                    LOG.warn("could not record which target made an object: {}", e.toString());
                }
            }
            return result;
        });
    }

    /** The target that made the object a request names, when the gateway recorded one and the config has it. */
    private TargetNode pinnedTarget(GatewayRequest request, ConfigNode root) {
        if (!affinity.enabled()) {
            return null;
        }
        String id = Affinity.referencedId(request).orElse(null);
        if (id == null) {
            return null;
        }
        try {
            return affinity.targetFor(id, root).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("could not read which target made {}: {}", id, e.toString());
            return null; // the store is down: follow the config
        }
    }

    /** A Responses request on a target whose adapter serves chat but not the Responses API: translated. */
    private static boolean translatesResponses(RequestContext rc, TargetNode t, Provider provider) {
        return rc.endpoint == dev.switchboard.api.Endpoint.RESPONSES
                && !provider.supports(t.provider(), dev.switchboard.api.Endpoint.RESPONSES)
                && provider.supports(t.provider(), dev.switchboard.api.Endpoint.CHAT_COMPLETIONS);
    }

    /** Responses fields the chat translation consumes: an {@code override_params} key among them is not copied to the chat request. */
    private static final Set<String> RESPONSES_ONLY = Set.of(
            "input",
            "instructions",
            "text",
            "reasoning",
            "max_output_tokens",
            "store",
            "metadata",
            "include",
            "truncation",
            "previous_response_id",
            "background",
            "conversation",
            "prompt",
            "stream_options");

    /**
     * Serves a Responses request through the target's chat translation: the request becomes a chat
     * request that runs through every stage as chat (hooks, cache, admission, retries, the adapter's
     * own translation), and its answer — JSON or stream — becomes a Responses answer, kept in the
     * {@link dev.switchboard.internal.responses.ResponseStore} unless the request said {@code store: false}.
     */
    private CompletableFuture<LeafResult> responsesViaChat(
            RequestContext rc, TargetNode t, Provider provider, ObjectNode options, ObjectNode body) {
        ObjectNode chatBody;
        com.fasterxml.jackson.databind.node.ArrayNode input;
        try {
            chatBody = dev.switchboard.internal.responses.ResponsesRequests.toChat(body);
            input = dev.switchboard.internal.responses.ResponsesRequests.inputItems(body.get("input"));
        } catch (dev.switchboard.internal.responses.ResponsesException e) {
            return fail(
                    rc,
                    t,
                    body,
                    400,
                    Failure.of(
                            FailureKind.UNSUPPORTED,
                            "/v1/responses cannot be translated for provider " + t.provider() + " (target " + t.path()
                                    + "): " + e.getMessage()));
        }
        t.settings().overrideParams().properties().forEach(p -> {
            if (!chatBody.has(p.getKey()) && !RESPONSES_ONLY.contains(p.getKey())) {
                chatBody.set(p.getKey(), p.getValue().deepCopy());
            }
        });
        GatewayRequest.Builder cb = GatewayRequest.builder(dev.switchboard.api.Endpoint.CHAT_COMPLETIONS)
                .body(chatBody)
                .metadata(rc.request.metadata())
                .traceId(rc.request.traceId().orElse(null));
        rc.request.headerValues().forEach((name, values) -> values.forEach(v -> cb.addHeader(name, v)));
        RequestContext leafRc = rc.translated(cb.build());
        ObjectNode skeleton = dev.switchboard.internal.responses.ResponsesAnswers.skeleton(
                body,
                dev.switchboard.internal.responses.ResponsesIds.response(),
                clock.instant().getEpochSecond(),
                rc.previousResponseId,
                "in_progress");
        boolean keep = body.path("store").asBoolean(true) && responses.enabled();
        return pipeline.run(new LeafCall(
                        leafRc, t, provider, options, chatBody, 0, new LeafCall.HookLog(new ArrayList<>())))
                .thenApply(r -> {
                    if (r.stream() != null) {
                        return r.withStream(r.stream()
                                .mapEvents(() -> new dev.switchboard.internal.responses.ChatToResponsesEvents(
                                        skeleton.deepCopy(), done -> {
                                            if (keep) {
                                                responses.save(done, input);
                                            }
                                        })));
                    }
                    if (!r.isSuccess() || r.body() == null || !r.body().has("choices")) {
                        return r;
                    }
                    ObjectNode answer =
                            dev.switchboard.internal.responses.ResponsesAnswers.fromChat(skeleton.deepCopy(), r.body());
                    if (keep) {
                        responses.save(answer.deepCopy(), input);
                    }
                    return r.toBuilder().body(answer).build();
                });
    }

    /** A leaf that cannot be tried at all: recorded, and a fallback moves on. */
    private CompletableFuture<LeafResult> fail(
            RequestContext rc, TargetNode t, ObjectNode body, int status, Failure failure) {
        LeafCall call = new LeafCall(rc, t, null, null, body, 0, new LeafCall.HookLog(List.of()));
        LeafResult r = LeafResult.failed(
                status,
                ErrorBody.of(failure.message(), failure.errorClass(), null, null),
                failure,
                t.provider(),
                call.model());
        recorder.recordSkipped(call, r);
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

    static boolean isChatLike(dev.switchboard.api.Endpoint e) {
        return e == dev.switchboard.api.Endpoint.CHAT_COMPLETIONS || e == dev.switchboard.api.Endpoint.COMPLETIONS;
    }

    /** Builds an {@link Engine} by name: the gateway's parts, each given once. */
    public static final class Builder {
        private CompiledConfig config;
        private Registry registry;
        private Transport transport;
        private Sleeper sleeper;
        private Scheduler scheduler;
        private Clock clock;
        private RandomGenerator random;
        private List<LogSink> sinks = List.of();
        private CostFunction costs;
        private UsageEstimator estimator;
        private Function<JsonNode, CompiledConfig> compiler;
        private CacheStore cacheStore;
        private Embedder embedder;
        private dev.switchboard.spi.VectorStore vectorStore;
        private LimitEnforcer limits;
        private Executor executor;
        private boolean ownExecutor;
        private CallListener.Factory listeners;
        private java.util.function.Supplier<java.net.http.HttpClient> webSocketClient;
        private dev.switchboard.internal.responses.ResponseStore responses;
        private Function<String, List<String>> modelCatalog;
        private dev.switchboard.spi.PromptStore prompts;
        private dev.switchboard.spi.PricingCatalog pricing;

        private long maxEventBytes = dev.switchboard.internal.stream.StreamPump.MAX_EVENT_BYTES;
        private Affinity affinity;

        private Builder() {}

        /** Where the target that made each stateful object is kept; null: nowhere (no affinity). */
        public Builder affinity(StateStore store, java.time.Duration ttl) {
            this.affinity = new Affinity(store, ttl);
            return this;
        }

        /** The most bytes a provider's stream may send between two events (default 8 MiB). */
        public Builder maxEventBytes(long bytes) {
            this.maxEventBytes = bytes;
            return this;
        }

        /** The prompt templates of the prompt route; null: none (a prompt request answers 400). */
        public Builder prompts(dev.switchboard.spi.PromptStore p) {
            this.prompts = p;
            return this;
        }

        /** Prices for cost caps ({@code max_cost_usd}); null: a capped request cannot be priced (412). */
        public Builder pricing(dev.switchboard.spi.PricingCatalog p) {
            this.pricing = p;
            return this;
        }

        /** The JDK client realtime WebSockets are opened with; null: a default one without redirects. */
        public Builder webSocketClient(java.util.function.Supplier<java.net.http.HttpClient> c) {
            this.webSocketClient = c;
            return this;
        }

        /** Where Responses API answers made on translated targets are kept; null: in memory for a day. */
        public Builder responses(dev.switchboard.internal.responses.ResponseStore r) {
            this.responses = r;
            return this;
        }

        /** Makes each request's observer, or null for none. */
        public Builder listeners(CallListener.Factory f) {
            this.listeners = f;
            return this;
        }

        /** The compiled config. */
        public Builder config(CompiledConfig c) {
            this.config = c;
            return this;
        }

        /** Providers, checks and virtual keys. */
        public Builder registry(Registry r) {
            this.registry = r;
            return this;
        }

        /** How providers are reached. */
        public Builder transport(Transport t) {
            this.transport = t;
            return this;
        }

        /** What waits between retries; null: the scheduler. */
        public Builder sleeper(Sleeper s) {
            this.sleeper = s;
            return this;
        }

        /** The gateway's timer (timeouts, default retry waits, closing). */
        public Builder scheduler(Scheduler s) {
            this.scheduler = s;
            return this;
        }

        /** The clock. */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Loadbalance draws and backoff jitter. */
        public Builder random(RandomGenerator r) {
            this.random = r;
            return this;
        }

        /** Where finished traces go. */
        public Builder sinks(List<LogSink> s) {
            this.sinks = s;
            return this;
        }

        /** Prices usage. */
        /** The models the pricing catalog knows for a provider id, listed by {@code GET /v1/models}. */
        public Builder modelCatalog(Function<String, List<String>> f) {
            this.modelCatalog = f;
            return this;
        }

        public Builder costs(CostFunction c) {
            this.costs = c;
            return this;
        }

        /** Estimates usage of streams that never reported it. */
        public Builder estimator(UsageEstimator e) {
            this.estimator = e;
            return this;
        }

        /** Compiles per-request configs. */
        public Builder compiler(Function<JsonNode, CompiledConfig> c) {
            this.compiler = c;
            return this;
        }

        /** The response cache's store; null: in memory. */
        public Builder cacheStore(CacheStore s) {
            this.cacheStore = s;
            return this;
        }

        /** The semantic cache's embedder, or null. */
        public Builder embedder(Embedder e) {
            this.embedder = e;
            return this;
        }

        /** The semantic cache's vector store, or null for an in-memory one. */
        public Builder vectorStore(dev.switchboard.spi.VectorStore v) {
            this.vectorStore = v;
            return this;
        }

        /** Budgets and rate limits of virtual keys, or null for none. */
        public Builder limits(LimitEnforcer l) {
            this.limits = l;
            return this;
        }

        /** The gateway's executor. */
        /**
         * Whether the executor is the gateway's own default pool: then an answer received on one of
         * the gateway's send threads is carried on there (no hand-off to the pool), as nothing but
         * the gateway's threads would run it anyway.
         */
        public Builder executorIsGatewaysOwn(boolean own) {
            this.ownExecutor = own;
            return this;
        }

        public Builder executor(Executor e) {
            this.executor = e;
            return this;
        }

        /** The engine. */
        public Engine build() {
            return new Engine(this);
        }
    }
}
