package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.BillableUnits;
import dev.switchboard.accounting.CostCalculator;
import dev.switchboard.accounting.DefaultPricingCatalog;
import dev.switchboard.accounting.InMemoryStateStore;
import dev.switchboard.api.Cost;
import dev.switchboard.api.GatewayErrorException;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.RealtimeListener;
import dev.switchboard.api.RealtimeSession;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.Redactor;
import dev.switchboard.internal.Registry;
import dev.switchboard.internal.accounting.LimitEnforcer;
import dev.switchboard.internal.accounting.TokenEstimator;
import dev.switchboard.internal.cache.SemanticCacheCheck;
import dev.switchboard.internal.config.CompiledConfig;
import dev.switchboard.internal.config.ConfigCompiler;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.internal.http.Http1Transport;
import dev.switchboard.internal.http.JdkHttpTransport;
import dev.switchboard.internal.runtime.CostFunction;
import dev.switchboard.internal.runtime.Engine;
import dev.switchboard.internal.runtime.Scheduler;
import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.Embedder;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.PricingCatalog;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.Sleeper;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AI gateway inside the JVM: routes OpenAI-format requests through a Portkey-compatible config
 * (fallback, loadbalance, conditional, retries, timeouts, guardrails), calls the chosen provider,
 * translates the answer back to the OpenAI format and records every attempt. Thread-safe; build
 * once and share.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.fromConfig(json);
 * GatewayResponse r = gateway.execute(GatewayRequest.chat(body).metadata("user_plan", "paid").build());
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Engine engine;
    private final Scheduler scheduler;
    /** The default executor, owned and shut down by this gateway; null when the builder was given one. */
    private final ExecutorService ownExecutor;
    /** The default transport, owned and closed by this gateway; null when the builder was given one. */
    private final Http1Transport ownTransport;

    private Gateway(Engine engine, Scheduler scheduler, ExecutorService ownExecutor, Http1Transport ownTransport) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.ownExecutor = ownExecutor;
        this.ownTransport = ownTransport;
    }

    /**
     * Parses and validates a config; providers and checks come from {@code ServiceLoader}.
     *
     * @param json a Portkey-format config
     * @return the gateway
     * @throws ConfigException naming every problem of the config
     */
    public static Gateway fromConfig(String json) {
        return builder().config(json).build();
    }

    /**
     * Reads, parses and validates a config file, as {@link #fromConfig(String)}.
     *
     * @param file a Portkey-format config file (UTF-8)
     * @return the gateway
     * @throws ConfigException          naming every problem of the config
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static Gateway fromConfig(Path file) {
        return builder().config(file).build();
    }

    /** {@return a builder, for virtual keys, sinks, stores, a transport or a clock besides the config} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the request and waits for the answer (for a stream: until its first event).
     *
     * @param request the request
     * @return the answer; an error status is an answer, not an exception
     * @throws IllegalStateException {@code "gateway is closed"} after {@link #close()}; also when
     *                               interrupted while waiting, or on an unexpected internal failure
     */
    public GatewayResponse execute(GatewayRequest request) {
        ensureOpen();
        try {
            Objects.requireNonNull(request, "request");
            return engine.executeBlocking(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gateway", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("gateway failed unexpectedly", e.getCause());
        }
    }

    /**
     * Runs the request without blocking; the future never fails for an upstream error (errors are answers).
     *
     * @param request the request
     * @return the answer, completed as {@link #execute} would return it (for a stream: at its first event)
     * @throws IllegalStateException {@code "gateway is closed"} after {@link #close()}, thrown by this
     *                               call itself (not through the future), as {@link #execute} does
     */
    public CompletableFuture<GatewayResponse> executeAsync(GatewayRequest request) {
        ensureOpen();
        Objects.requireNonNull(request, "request");
        return engine.execute(request);
    }

    /**
     * Opens a Realtime API session (a WebSocket) through the config: the request is routed like any
     * other (conditions on metadata and {@code params.model}, loadbalance, fallback), admitted on the
     * target's virtual key, and connected to the target's realtime endpoint ({@code openai}:
     * {@code wss://api.openai.com/v1/realtime?model=…}; {@code azure-openai}: the resource's
     * {@code /openai/realtime?api-version=…&deployment=…}). A target that cannot be opened (connection
     * refused, handshake answered 4xx/5xx, refused by its limits) is recorded and a fallback moves
     * on; once open, the session stays on its target. Events go both ways in order; each
     * {@code response.done} is priced and charged as the session goes; one trace per session goes to
     * the log sinks when it ends. See {@link RealtimeSession} for the close codes the gateway uses.
     *
     * <pre>{@code
     * RealtimeSession s = gateway.realtime(GatewayRequest.realtime("gpt-realtime").build(), listener).join();
     * s.send("{\"type\":\"response.create\"}");
     * }</pre>
     *
     * @param request  the session request, e.g. {@code GatewayRequest.realtime("gpt-realtime")}; its
     *                 {@code OpenAI-Beta} header (beta protocol: {@code realtime=v1}) is passed upstream
     * @param listener receives the server events, then the close
     * @return the open session; failed with {@link GatewayErrorException} (the last target's status,
     *         an error type, a message without secrets) when no target could be opened
     * @throws IllegalStateException {@code "gateway is closed"} after {@link #close()}
     */
    public CompletableFuture<RealtimeSession> realtime(GatewayRequest request, RealtimeListener listener) {
        ensureOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        return engine.realtime(request, listener);
    }

    /**
     * Dry run: which leaf would be tried first, every condition evaluated with its result, and the
     * settings that leaf inherits. Calls nothing.
     *
     * @param request the request to route (its metadata and body feed the conditions; its config
     *                override, or else its {@code x-portkey-config} header, replaces the gateway's config)
     * @return the explanation; {@code toString()} is meant for people
     * @throws IllegalStateException {@code "gateway is closed"} after {@link #close()}
     * @throws IllegalArgumentException when the {@code x-portkey-config} header is not a JSON object, or
     *                                  a prompt request names an unknown prompt or lacks a variable (a
     *                                  prompt request is explained as the chat request it renders)
     */
    public RouteExplanation explain(GatewayRequest request) {
        ensureOpen();
        request = engine.renderPrompt(Engine.withHeaderConfig(request));
        ConfigNode root = request.configOverride()
                .map(o -> engine.compile(o).root())
                .orElse(engine.config().root());
        return RouteExplanation.explain(engine.router(), root, engine.queryContext(request), request);
    }

    /**
     * The circuit breaker of every leaf target of the gateway's config, in config order, as it is
     * now: a read-only snapshot for health checks. A target without {@code cb_config} is listed as
     * closed and not {@link CircuitBreakerState#configured() configured}. Targets of per-request
     * configs are not listed.
     *
     * @return one entry per leaf target; never a credential
     */
    public List<CircuitBreakerState> circuitBreakers() {
        List<CircuitBreakerState> out = new ArrayList<>();
        java.util.ArrayDeque<ConfigNode> todo = new java.util.ArrayDeque<>();
        todo.push(engine.config().root());
        while (!todo.isEmpty()) {
            ConfigNode n = todo.pop();
            if (n instanceof StrategyNode st) {
                for (int i = st.targets().size() - 1; i >= 0; i--) {
                    todo.push(st.targets().get(i)); // depth first, in config order
                }
            } else if (n instanceof TargetNode t) {
                long until = engine.circuitOpenUntil(t);
                out.add(new CircuitBreakerState(
                        t.path(),
                        t.provider(),
                        t.virtualKey(),
                        t.settings().circuitBreaker() != null,
                        until > 0 ? java.time.Instant.ofEpochMilli(until) : null));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Closes the gateway; idempotent. Afterwards {@link #execute}, {@link #executeAsync} and
     * {@link #explain} throw {@code IllegalStateException("gateway is closed")}. Requests in flight
     * are not cut: an attempt under way finishes (or times out) and open streams run to their end;
     * but no new attempt starts — a request waiting to retry, or about to try a fallback's next
     * target, answers 503 with an error of type {@code gateway_closed}. Open realtime sessions are
     * ended with close code 1001 ({@link RealtimeSession#CLOSE_GATEWAY_CLOSED}).
     */
    @Override
    public void close() {
        scheduler.close();
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        if (ownTransport != null) {
            ownTransport.close(); // idle connections now; those in use when their exchange ends
        }
    }

    private void ensureOpen() {
        if (scheduler.isClosed()) {
            throw new IllegalStateException("gateway is closed");
        }
    }

    @Override
    public String toString() {
        return "Gateway{root=" + engine.config().root().path() + "}";
    }

    /** Builds a {@link Gateway}; explicit registrations win over {@code ServiceLoader} discovery. */
    public static final class Builder {
        private JsonNode config;
        private final Map<String, ProviderCredentials> keys = new LinkedHashMap<>();
        private final List<Provider> providers = new ArrayList<>();
        private final List<GuardrailCheck> checks = new ArrayList<>();
        private final List<LogSink> sinks = new ArrayList<>();
        private Transport transport;
        private HttpClient httpClient;
        private long maxAnswerBytes = JdkHttpTransport.DEFAULT_MAX_ANSWER_BYTES;
        private long maxEventBytes = dev.switchboard.internal.stream.StreamPump.MAX_EVENT_BYTES;
        private CacheStore cacheStore;
        private Embedder embedder;
        private dev.switchboard.spi.VectorStore vectorStore;
        private StateStore stateStore;
        private java.time.Duration responseRetention =
                dev.switchboard.internal.responses.ResponseStore.DEFAULT_RETENTION;
        private java.time.Duration objectAffinity = java.time.Duration.ofDays(30);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper;
        private RandomGenerator random;
        private PricingCatalog pricing;
        private boolean discover = true;
        private Function<String, String> environment = System::getenv;
        private Executor executor;
        private CallListener.Factory listeners;
        private dev.switchboard.spi.PromptStore prompts;

        private Builder() {}

        /**
         * Loads the prompt templates of a folder (every {@code *.json} file in it, see
         * {@link dev.switchboard.prompts.PromptLibrary#fromFolder}), validated now: a request for
         * {@code GatewayRequest.prompt("support-reply", vars)} or {@code POST /v1/prompts/support-reply/completions}
         * renders one and routes it as a chat request. Replaces earlier prompts.
         *
         * @param folder the folder of prompt files
         * @return this builder
         * @throws dev.switchboard.prompts.PromptException naming the file, line and column of an invalid prompt
         * @throws UncheckedIOException when the folder cannot be read
         */
        public Builder prompts(Path folder) {
            this.prompts = dev.switchboard.prompts.PromptLibrary.fromFolder(Objects.requireNonNull(folder, "folder"));
            return this;
        }

        /**
         * Where prompt templates come from: a {@link dev.switchboard.prompts.PromptLibrary} or a store
         * of your own. Replaces earlier prompts.
         *
         * @param store the store, or null for none (a prompt request then answers 400)
         * @return this builder
         */
        public Builder prompts(dev.switchboard.spi.PromptStore store) {
            this.prompts = store;
            return this;
        }

        /**
         * Sets the config; it is validated by {@link #build}.
         *
         * @param json a Portkey-format config
         * @return this builder
         * @throws ConfigException when {@code json} is not JSON
         */
        public Builder config(String json) {
            Objects.requireNonNull(json, "config");
            try {
                this.config = Json.parse(json);
            } catch (IllegalArgumentException e) {
                // never Jackson's message: it quotes the offending token, which may be a secret
                String where = e.getCause() instanceof IOException io ? where(io) : "unreadable";
                throw new ConfigException("", "malformed JSON (" + where + ")", "a JSON object", null);
            }
            return this;
        }

        /**
         * Reads the config from a file.
         *
         * @param file a Portkey-format config file (UTF-8)
         * @return this builder
         * @throws ConfigException          when the file is not JSON
         * @throws java.io.UncheckedIOException when the file cannot be read
         */
        public Builder config(Path file) {
            try {
                return config(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config " + file, e);
            }
        }

        /**
         * Sets an already parsed config.
         *
         * @param json a Portkey-format config
         * @return this builder
         */
        public Builder config(JsonNode json) {
            this.config = Objects.requireNonNull(json, "config");
            return this;
        }

        /**
         * Registers a virtual key, addressed from the config as {@code "provider": "@slug"}.
         *
         * @param slug        the key's name, with or without the leading {@code @}
         * @param credentials the provider, secret and limits behind it
         * @return this builder
         */
        public Builder provider(String slug, ProviderCredentials credentials) {
            String s = slug.startsWith("@") ? slug : "@" + slug;
            keys.put(s, Objects.requireNonNull(credentials, "credentials"));
            return this;
        }

        /**
         * Replaces the HTTP transport; tests pass the testkit's fake. The default is Switchboard's own
         * HTTP/1.1 client: a blocking exchange over pooled keep-alive connections (plain or TLS with the
         * JVM's default {@code SSLContext}, hostname verification on, 10 s to connect), written and read
         * on the thread that waits for it — {@link Gateway#execute}'s caller for a whole answer — so a
         * call crosses no thread between the caller and the socket. It speaks HTTP/1.1 only, follows no
         * redirect and uses no proxy; for a proxy, HTTP/2 or an authenticator give a JDK client to
         * {@link #httpClient}. The gateway closes the default transport's connections when it is closed.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * Sends provider calls with this JDK client instead of the default transport (for a proxy,
         * HTTP/2, an authenticator, or TLS settings of its own). The
         * client must not follow redirects: the JDK client would resend the provider's
         * {@code Authorization} (the API key) to whatever host a redirect names, so a client built with
         * {@code followRedirects(ALWAYS)} or {@code NORMAL} is refused. The gateway's own default client
         * follows none either.
         *
         * <p>Threads, with either transport: a request whose caller does not wait for it
         * ({@link Gateway#executeAsync}) makes its exchange on a reused thread {@code switchboard-send-N};
         * a stream's body is read on reused threads ({@code switchboard-http1-N} by the default transport,
         * the client's executor here), so no request starts a thread of its own in steady state. A client
         * given here keeps its own executor (the JDK's default reuses threads too).
         *
         * @param client the client, built with {@code HttpClient.Redirect.NEVER} (the JDK's default);
         *               ignored when a {@link #transport} is set
         * @return this builder
         * @throws IllegalArgumentException when {@code client} follows redirects
         */
        public Builder httpClient(HttpClient client) {
            if (client != null && client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("httpClient: a client that follows redirects (followRedirects "
                        + client.followRedirects() + ") would send provider credentials to the redirected host; "
                        + "build it with HttpClient.Redirect.NEVER (the JDK's default)");
            }
            this.httpClient = client;
            return this;
        }

        /**
         * Caps a provider's whole (not streamed) answer read by the default HTTP transport: past
         * {@code bytes} the read stops, the connection is closed and the attempt fails with the error
         * class {@code answer_too_large} (502; not retried, a fallback moves on) instead of buffering
         * the rest. Default 64 MiB. It stays well under {@code Json}'s document limit of 256 MiB, so an
         * answer the cap lets through is never refused by the parser for its size alone; raising it
         * past 256 MiB only moves the refusal to the parser. A custom {@link #transport} enforces its
         * own bound (it may throw {@link dev.switchboard.spi.AnswerTooLargeException}).
         *
         * @param bytes the cap, at least 1 (values past a Java array's bound are clamped to it)
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is below 1
         */
        public Builder maxAnswerBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxAnswerBytes: expected at least 1 byte, got " + bytes);
            }
            this.maxAnswerBytes = bytes;
            return this;
        }

        /**
         * Caps the bytes a provider's stream may send between two events (an SSE line or event that
         * never ends, from a faulty or hostile upstream): past {@code bytes} without a complete event
         * the stream ends instead of buffering more, and the upstream is cancelled. Before the first
         * event the attempt fails with 502 and the error class {@code answer_too_large} (not retried,
         * a fallback moves on); after it the stream ends with an error event of that type, naming the
         * cap. Default 8 MiB. Applies to every provider's stream, in-process ones included.
         *
         * @param bytes the cap, at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is below 1
         */
        public Builder maxEventBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxEventBytes: expected at least 1 byte, got " + bytes);
            }
            this.maxEventBytes = bytes;
            return this;
        }

        /**
         * Adds a sink that receives the trace of every finished request; may be called several times.
         *
         * @param sink the sink
         * @return this builder
         */
        public Builder logSink(LogSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Where cached answers live (default: in memory, bounded).
         *
         * @param store the store, e.g. Redis to share a cache between JVMs
         * @return this builder
         */
        public Builder cacheStore(CacheStore store) {
            this.cacheStore = store;
            return this;
        }

        /**
         * The embedder of the semantic cache ({@code "cache": {"mode": "semantic"}}), e.g. a
         * {@link dev.switchboard.cache.GatewayEmbedder}; a semantic config without one fails {@link #build}.
         *
         * @param embedder the embedder
         * @return this builder
         */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /**
         * Where the semantic cache keeps its embeddings and finds the nearest (default: an {@link
         * dev.switchboard.cache.InMemoryVectorStore} of 10,000 vectors on the gateway's clock).
         *
         * @param store the store, e.g. a bigger in-memory one, or Redis's vector search to share
         *     semantic entries between JVMs
         * @return this builder
         */
        public Builder vectorStore(dev.switchboard.spi.VectorStore store) {
            this.vectorStore = store;
            return this;
        }

        /**
         * Where rate-limit and budget counters live (default: in memory).
         *
         * @param store the store, e.g. Redis so several gateways share the limits
         * @return this builder
         */
        public Builder stateStore(StateStore store) {
            this.stateStore = store;
            return this;
        }

        /**
         * How long the Responses API answers the gateway produces on translated targets (Anthropic,
         * Gemini, …) are kept in the {@link #stateStore state store}, so {@code previous_response_id},
         * {@code GET /v1/responses/{id}}, {@code DELETE} and {@code input_items} work for them (default:
         * one day; a request with {@code "store": false} is never kept).
         *
         * @param retention how long; {@link java.time.Duration#ZERO} keeps nothing
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder responseRetention(java.time.Duration retention) {
            java.util.Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("responseRetention: found " + retention
                        + ", expected zero (keep nothing) or a positive duration");
            }
            this.responseRetention = retention;
            return this;
        }

        /**
         * How long the gateway remembers which target made each stateful object (a file, a batch, a
         * fine-tuning job, a vector store, a stored response, an assistant or thread, …), so that every
         * later call naming the object's id — in its path or in a body field such as {@code input_file_id}
         * or {@code training_file} — goes to that same target, whatever a load balancer or condition would
         * pick (default: 30 days). The record is a fingerprint of the target's provider and connection
         * fields, never a credential, kept in the {@link #stateStore state store}: on Redis every JVM agrees.
         *
         * @param ttl how long; {@link java.time.Duration#ZERO} turns affinity off
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder objectAffinity(java.time.Duration ttl) {
            java.util.Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException(
                        "objectAffinity: found " + ttl + ", expected zero (no affinity) or a positive duration");
            }
            this.objectAffinity = ttl;
            return this;
        }

        /**
         * The clock for timeouts, windows, expiry and traces (default: system UTC); tests pass a manual one.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * What schedules the waits between retries and the delays of hedged requests (default: a timer
         * thread); tests pass one that returns at once, or one they complete by hand to drive a hedge.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * The random source of loadbalance draws and backoff jitter; seed it for reproducible tests.
         *
         * @param random the generator
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /**
         * Replaces the bundled price catalog used for costs and budgets.
         *
         * @param catalog the catalog
         * @return this builder
         */
        public Builder pricing(PricingCatalog catalog) {
            this.pricing = catalog;
            return this;
        }

        /**
         * Registers a provider adapter; it wins over one discovered for the same id.
         *
         * @param provider the adapter
         * @return this builder
         */
        public Builder register(Provider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Registers a guardrail check; it wins over one discovered with the same id.
         *
         * @param check the check
         * @return this builder
         */
        public Builder register(GuardrailCheck check) {
            checks.add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /**
         * Where {@code ${VAR}} references in the config's secret fields are looked up (default
         * {@code System::getenv}; a function returning null means "not set"). References are expanded
         * in {@code api_key} and each provider's credential fields ({@code aws_secret_access_key},
         * {@code azure_ad_token}, {@code vertex_service_account_json}, ... — see
         * {@link Provider#secretKeys}) when {@link #build} runs; write <code>$${</code> for a literal
         * <code>${</code>. An unset or empty variable fails the build with a {@link ConfigException}
         * naming the field's JSON pointer and the variable, never a value. Per-request configs
         * ({@code GatewayRequest.configOverride}) never read the environment: a reference there is
         * an invalid config.
         *
         * @param environment variable name to value, null when not set; e.g. a {@code Map}'s {@code get}
         *                    in tests
         * @return this builder
         */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * Where request work continues after a hand-off — after a retry wait, a timeout, or an answer
         * delivered on a transport's thread — for {@link Gateway#executeAsync} (and for a stream's
         * remaining work once {@link Gateway#execute} returned it): the next attempt, cache reads and
         * writes, hooks, accounting and log sinks. {@link Gateway#execute} runs that work on the
         * caller's own thread while it waits. The gateway's timer thread only schedules; it never
         * runs request work.
         *
         * <p>Default: a pool owned by the gateway and shut down by {@link Gateway#close()}: one daemon
         * thread per core, at least 2 and at most 8, named {@code switchboard-worker-N}, ending after
         * 30 s idle; and an answer an {@code executeAsync} request received on one of the gateway's
         * send threads ({@code switchboard-send-N}) is carried on by that thread, with no hand-off. The work is short (sends are asynchronous) but may include a blocking store or
         * sink call, so two threads keep one slow call from holding the rest. An executor given here
         * is not shut down by the gateway; a task it refuses runs on a fresh daemon thread.
         *
         * @param executor the executor, e.g. a virtual-thread or an application pool
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Installs an observer of every request: {@code factory} makes one {@link CallListener} per
         * request, on the caller's thread as the request starts, so it can capture the caller's context
         * (e.g. the current OpenTelemetry span: {@code dev.switchboard.otel.OtelLogSink} is such a
         * factory); it is then told of each attempt, the first streamed event, cache hits, the stream's
         * end and the finished trace, whichever thread they happen on. Replaces an earlier factory.
         *
         * @param factory the factory, or null for none
         * @return this builder
         */
        public Builder callListenerFactory(CallListener.Factory factory) {
            this.listeners = factory;
            return this;
        }

        /**
         * Turns {@code ServiceLoader} discovery off: only registered providers and checks are used.
         *
         * @return this builder
         */
        public Builder noDiscovery() {
            this.discover = false;
            return this;
        }

        /**
         * Compiles the config against the providers and checks, and builds the gateway.
         *
         * @return the gateway; thread-safe, build once and share
         * @throws ConfigException naming every problem of the config
         */
        public Gateway build() {
            if (config == null) {
                throw new ConfigException("", "no config", "a config (builder().config(json))", null);
            }
            Redactor known = knownSecrets();
            Registry registry;
            CompiledConfig compiled;
            try {
                validateKeys();
                registry = Registry.create(
                        providers,
                        checks,
                        keys,
                        discover,
                        Thread.currentThread().getContextClassLoader() != null
                                ? Thread.currentThread().getContextClassLoader()
                                : Gateway.class.getClassLoader());
                compiled = ConfigCompiler.compile(config, registry, environment);
            } catch (ConfigException e) {
                throw ConfigCompiler.redacted(e, known); // also the virtual keys' secrets
            }
            compiled.warnings().forEach(w -> LOG.warn(known.redact(w)));
            SemanticCacheCheck.requireEmbedder(compiled.root(), embedder);
            Scheduler scheduler = new Scheduler();
            ExecutorService pool = executor != null ? null : Engine.defaultExecutor();
            Http1Transport own = transport == null && httpClient == null
                    ? Http1Transport.builder().maxAnswerBytes(maxAnswerBytes).build()
                    : null;
            Transport t = transport != null
                    ? transport
                    : own != null ? own : new JdkHttpTransport(httpClient, maxAnswerBytes);
            PricingCatalog catalog = pricing != null ? pricing : DefaultPricingCatalog.bundled();
            StateStore state = stateStore != null ? stateStore : new InMemoryStateStore(clock);
            Engine engine = Engine.builder()
                    .config(compiled)
                    .registry(registry)
                    .transport(t)
                    .maxEventBytes(maxEventBytes)
                    .sleeper(sleeper)
                    .scheduler(scheduler)
                    .clock(clock)
                    .random(random != null ? random : RandomGenerator.getDefault())
                    .sinks(sinks)
                    .costs(new CostFunction() {
                        @Override
                        public Cost cost(String provider, String model, Usage usage) {
                            return CostCalculator.cost(provider, model, usage, catalog);
                        }

                        @Override
                        public Cost cost(String provider, String model, Usage usage, BillableUnits units) {
                            return CostCalculator.cost(provider, model, usage, units, catalog);
                        }
                    })
                    .modelCatalog(
                            provider -> catalog instanceof DefaultPricingCatalog d ? d.models(provider) : List.of())
                    .estimator(Gateway::estimate)
                    .compiler(json -> ConfigCompiler.compile(json, registry))
                    .cacheStore(cacheStore)
                    .embedder(embedder)
                    .vectorStore(vectorStore)
                    .limits(new LimitEnforcer(state, catalog, clock))
                    .executor(executor != null ? executor : pool)
                    .executorIsGatewaysOwn(executor == null)
                    .listeners(listeners)
                    .webSocketClient(httpClient != null ? () -> httpClient : null)
                    .responses(new dev.switchboard.internal.responses.ResponseStore(state, responseRetention))
                    .affinity(state, objectAffinity)
                    .prompts(prompts)
                    .pricing(catalog)
                    .build();
            return new Gateway(engine, scheduler, pool, own);
        }

        /** Where a parse failed and of what kind, without quoting any of the input. */
        private static String where(IOException e) {
            String kind = e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException
                    ? "past the gateway's read limits"
                    : e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                            ? "unexpected end of input"
                            : "unreadable";
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null) {
                return kind + " at line " + p.getLocation().getLineNr() + ", column "
                        + p.getLocation().getColumnNr();
            }
            return kind;
        }

        /**
         * Each virtual key's secret and fields go into HTTP headers or URLs: a line break or other
         * control character is a problem naming the key and the field, never the value.
         */
        private void validateKeys() {
            List<ConfigException.Problem> problems = new ArrayList<>();
            keys.forEach((slug, c) -> {
                Map<String, String> fields = new LinkedHashMap<>();
                c.secret().ifPresent(v -> fields.put("secret", v));
                c.baseUrl().ifPresent(v -> fields.put("baseUrl", v));
                c.organization().ifPresent(v -> fields.put("organization", v));
                c.project().ifPresent(v -> fields.put("project", v));
                c.options().properties().forEach(e -> {
                    if (e.getValue().isTextual()
                            && !e.getKey().endsWith("_json")
                            && !e.getValue().textValue().stripLeading().startsWith("{")) {
                        fields.put("options/" + e.getKey(), e.getValue().textValue());
                    }
                });
                fields.forEach((field, value) -> {
                    if (Redactor.controlCharacter(value) >= 0) {
                        problems.add(new ConfigException.Problem(
                                "virtual key " + slug + " (" + field + ")",
                                "a value with " + Redactor.describeControl(value),
                                "a value without line breaks or"
                                        + " control characters (it is sent in an HTTP header or URL; check for a trailing"
                                        + " newline from a file or an environment variable)",
                                null));
                    }
                });
            });
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }

        /** Every secret the builder was given: the config's and the virtual keys'. */
        private Redactor knownSecrets() {
            List<String> secrets = new ArrayList<>();
            Redactor.collectConfigSecrets(config, secrets);
            keys.values().forEach(c -> {
                c.secret().ifPresent(secrets::add);
                Redactor.collectSecrets(c.options(), java.util.Set.of(), secrets);
                c.baseUrl()
                        .ifPresent(u -> Redactor.collectSecrets(
                                Json.object().put("custom_host", u), java.util.Set.of(), secrets));
            });
            return Redactor.patterns().with(secrets);
        }
    }

    /**
     * Usage of a stream that ended before its usage arrived: the prompt counted by the tokenizer (or
     * estimated), the answer so far at about four characters a token; marked as an estimate.
     */
    static Usage estimate(String provider, String model, ObjectNode body, int answerChars) {
        long prompt = body == null
                ? 0
                : TokenEstimator.estimate(provider, model, body).promptTokens();
        long completion = (answerChars + 3) / 4;
        return Usage.of(prompt, completion).asEstimate();
    }
}
