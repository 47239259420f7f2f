package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayErrorException;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.RealtimeListener;
import dev.switchboard.api.RealtimeSession;
import dev.switchboard.internal.Registry;
import dev.switchboard.internal.accounting.Admission;
import dev.switchboard.internal.accounting.LimitEnforcer;
import dev.switchboard.internal.config.CompiledConfig;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.internal.trace.TraceRecorder;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.UpstreamRequest;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Opens Realtime sessions: routes the request through the config like any other (conditional on
 * metadata and {@code params.model}, loadbalance, fallback), admits it on the target's virtual key
 * (the session counts as one request; budgets and token limits must have room for one response at
 * the model's output limit, or the request's {@code max_output_tokens}), and connects the target's
 * WebSocket. A target that cannot be opened — connection refused, a handshake answered 4xx/5xx, a
 * refusal by the limits — is recorded and a fallback moves on to its next target; once open, the
 * session stays on its target. Guardrails, the cache, retries and circuit breakers do not apply.
 */
final class RealtimeSessions {
    /** Handshake headers the JDK's WebSocket builder sets itself (and refuses). */
    private static final Set<String> RESTRICTED = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "sec-websocket-accept",
            "sec-websocket-extensions",
            "sec-websocket-key",
            "sec-websocket-protocol",
            "sec-websocket-version",
            "content-type");

    private final Registry registry;
    private final RouteEvaluator router;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Scheduler scheduler;
    private final Executor executor;
    private final List<LogSink> sinks;
    private final CostFunction costs;
    private final LimitEnforcer limits;
    private final Supplier<HttpClient> client;

    RealtimeSessions(
            Registry registry,
            RouteEvaluator router,
            Clock clock,
            Sleeper sleeper,
            Scheduler scheduler,
            Executor executor,
            List<LogSink> sinks,
            CostFunction costs,
            LimitEnforcer limits,
            Supplier<HttpClient> client) {
        this.registry = registry;
        this.router = router;
        this.clock = clock;
        this.sleeper = sleeper;
        this.scheduler = scheduler;
        this.executor = executor;
        this.sinks = sinks;
        this.costs = costs;
        this.limits = limits;
        this.client = client;
    }

    /** How one target's opening ended: a session, or a failure with the status a fallback judges. */
    private record Opened(RealtimeConnection session, int status, String type, String message) {
        static Opened failed(int status, String type, String message) {
            return new Opened(null, status, type, message);
        }
    }

    /** One session's opening: the request, its trace and listener. */
    private record Opening(
            GatewayRequest request,
            TraceRecorder trace,
            CallListener callListener,
            RealtimeListener listener,
            Supplier<JsonNode> queryContext) {}

    CompletableFuture<RealtimeSession> open(
            GatewayRequest request,
            CompiledConfig cfg,
            TraceRecorder trace,
            CallListener callListener,
            RealtimeListener listener) {
        JsonNode[] ctx = new JsonNode[1];
        Supplier<JsonNode> queryContext = () -> {
            if (ctx[0] == null) {
                ctx[0] = RequestContext.buildQueryContext(request);
            }
            return ctx[0];
        };
        Opening o = new Opening(request, trace, callListener, listener, queryContext);
        CompletableFuture<Opened> routed;
        try {
            routed = route(cfg.root(), o);
        } catch (RuntimeException e) {
            routed = CompletableFuture.completedFuture(Opened.failed(
                    500,
                    "gateway_error",
                    "internal gateway error: " + e.getClass().getSimpleName()));
        }
        return routed.thenApply(r -> {
            if (r.session() != null) {
                trace.status(101);
                r.session().start();
                return (RealtimeSession) r.session();
            }
            trace.finish(r.status(), sinks, callListener);
            throw new GatewayErrorException(
                    r.status(), r.type(), trace.redactor().redact(r.message()));
        });
    }

    private CompletableFuture<Opened> route(ConfigNode node, Opening o) {
        if (node instanceof TargetNode t) {
            return leaf(t, o);
        }
        StrategyNode s = (StrategyNode) node;
        RouteEvaluator.Decision d = router.decide(s, o.queryContext(), null);
        if (d instanceof RouteEvaluator.Chosen c) {
            return route(c.node(), o);
        }
        if (d instanceof RouteEvaluator.NoRoute) {
            o.trace().lastUsedOptionIndex(s.path());
            return CompletableFuture.completedFuture(Opened.failed(
                    400,
                    "invalid_request_error",
                    "Query router did not resolve to any valid target (" + s.path()
                            + "): no condition matched and there is no default"));
        }
        return fallback(s, ((RouteEvaluator.Fallback) d).order(), 0, o);
    }

    private CompletableFuture<Opened> fallback(StrategyNode s, List<ConfigNode> order, int i, Opening o) {
        return route(order.get(i), o).thenCompose(r -> {
            Set<Integer> codes = s.strategy().onStatusCodes();
            boolean movesOn = r.session() == null
                    && (codes == null || codes.contains(r.status()) || r.status() == 0 || r.status() == 502);
            if (i + 1 < order.size() && movesOn && !scheduler.isClosed()) {
                return fallback(s, order, i + 1, o);
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    private CompletableFuture<Opened> leaf(TargetNode t, Opening o) {
        if (scheduler.isClosed()) {
            return CompletableFuture.completedFuture(Opened.failed(503, "gateway_closed", "the gateway is closed"));
        }
        o.trace().lastUsedOptionIndex(t.path());
        ObjectNode params = o.request().params();
        if (params == null) {
            params = Json.object();
        }
        String queryModel = queryParam(o.request().query().orElse(null), "model");
        if (!params.has("model") && queryModel != null) {
            params.put("model", queryModel);
        }
        if (t.settings().overrideParams().size() > 0) {
            params.setAll(t.settings().overrideParams().deepCopy());
        }
        String model = params.path("model").asText(null);
        Provider provider = registry.provider(t.provider()).orElse(null);
        if (provider == null) {
            return refuse(o, t, model, 500, "gateway_error", "no provider adapter for \"" + t.provider() + "\"");
        }
        if (!provider.supports(t.provider(), Endpoint.REALTIME)) {
            return refuse(
                    o,
                    t,
                    model,
                    400,
                    "unsupported_endpoint",
                    "realtime sessions are not supported by provider " + t.provider() + " (target " + t.path()
                            + "); openai and azure-openai serve them");
        }
        ObjectNode options = t.options();
        ProviderCredentials key = null;
        if (t.virtualKey() != null) {
            key = registry.virtualKey(t.virtualKey()).orElse(null);
            if (key == null) {
                return refuse(
                        o,
                        t,
                        model,
                        401,
                        "invalid_virtual_key",
                        "virtual key " + t.virtualKey() + " is not registered");
            }
            options = Engine.mergeKey(key, t.options());
        }
        Admission admission = null;
        if (key != null && limits != null) {
            admission = limits.admit(
                    t.virtualKey(), key, t.provider(), model, params, o.trace().metadata());
            if (!admission.granted()) {
                String type = admission.type().orElse("limit");
                return refuse(
                        o,
                        t,
                        model,
                        admission.status(),
                        type,
                        admission.message().orElse("refused by " + t.virtualKey()));
            }
        }
        ProviderCall.Builder pb = ProviderCall.builder(t.provider(), Endpoint.REALTIME)
                .body(params)
                .options(options)
                .clock(clock)
                .target("GET", o.request().path(), o.request().query().orElse(null));
        for (String h : t.settings().forwardHeaders()) {
            o.request().header(h).ifPresent(v -> pb.forwardedHeader(h, v));
        }
        // the caller's protocol choice (beta: "realtime=v1"; GA: none) reaches the upstream
        o.request().header("openai-beta").ifPresent(v -> pb.forwardedHeader("openai-beta", v));
        UpstreamRequest up;
        try {
            up = provider.prepare(pb.build());
        } catch (ProviderException e) {
            release(admission);
            return refuse(o, t, model, e.status() > 0 ? e.status() : 400, "invalid_request_error", e.getMessage());
        }
        WebSocket.Builder wb = client.get().newWebSocketBuilder();
        up.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                wb.header(name, value);
            }
        });
        Long timeout = t.settings().requestTimeoutMs();
        if (timeout != null) {
            wb.connectTimeout(Duration.ofMillis(timeout));
        }
        RealtimeConnection session = new RealtimeConnection(
                new RealtimeConnection.Context(
                        o.trace(),
                        o.callListener(),
                        sinks,
                        clock,
                        sleeper,
                        scheduler,
                        executor,
                        costs,
                        limits,
                        admission,
                        t.settings().realtimeOrDefaults(),
                        t.path(),
                        t.provider(),
                        model,
                        t.virtualKey()),
                o.listener());
        long started = System.nanoTime();
        java.time.Instant startedAt = clock.instant();
        Admission held = admission;
        return wb.buildAsync(up.uri(), session).handle((ws, e) -> {
            if (e == null) {
                return new Opened(session, 101, null, null);
            }
            release(held);
            Throwable cause = ProviderCallStage.unwrap(e);
            int status = 0;
            String errorClass = "network";
            String message;
            if (cause instanceof WebSocketHandshakeException h && h.getResponse() != null) {
                status = h.getResponse().statusCode();
                errorClass = "http_" + status;
                message = t.provider() + " refused the realtime handshake with HTTP " + status
                        + upstreamMessage(h.getResponse().body());
            } else if (cause instanceof java.net.http.HttpConnectTimeoutException) {
                errorClass = "timeout";
                message = "the realtime handshake with " + t.provider() + " timed out after " + timeout + " ms";
                status = 408;
            } else {
                message = "could not open the realtime session with " + t.provider() + ": "
                        + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
            }
            record(o, t, model, status, errorClass, message, Duration.ofNanos(System.nanoTime() - started), startedAt);
            return Opened.failed(status == 0 ? 502 : status, errorClass, message);
        });
    }

    private void release(Admission a) {
        if (a != null && limits != null) {
            limits.release(a.reservation());
        }
    }

    /** A target that cannot be tried: recorded, and a fallback moves on. */
    private CompletableFuture<Opened> refuse(
            Opening o, TargetNode t, String model, int status, String type, String msg) {
        record(o, t, model, status, type, msg, Duration.ZERO, clock.instant());
        return CompletableFuture.completedFuture(Opened.failed(status, type, msg));
    }

    private void record(
            Opening o,
            TargetNode t,
            String model,
            int status,
            String errorClass,
            String message,
            Duration latency,
            java.time.Instant startedAt) {
        int index = o.trace()
                .addAttempt(new Attempt(
                        t.path(),
                        t.provider(),
                        model,
                        status,
                        latency,
                        0,
                        errorClass,
                        message,
                        null,
                        Cost.ZERO,
                        null,
                        startedAt,
                        CacheStatus.DISABLED,
                        List.of(),
                        t.virtualKey()));
        o.callListener().attemptEnd(o.trace().attempt(index));
    }

    /** {@code ": <error.message>"} of an OpenAI error body, if the handshake answer has one. */
    private static String upstreamMessage(Object body) {
        String text = body instanceof byte[] b
                ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : body instanceof String s ? s : null;
        if (text == null || text.isBlank()) {
            return "";
        }
        try {
            JsonNode n = Json.parse(text);
            String m = n.path("error").path("message").asText(null);
            return m == null ? "" : ": " + m;
        } catch (IllegalArgumentException e) {
            return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
        }
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name) && kv.length == 2) {
                return java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
