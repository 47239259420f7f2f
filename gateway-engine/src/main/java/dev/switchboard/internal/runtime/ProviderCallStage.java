package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.internal.http.Http1Transport;
import dev.switchboard.internal.http.JdkHttpTransport;
import dev.switchboard.internal.stream.AnswerStream;
import dev.switchboard.internal.stream.GatewayEventStream;
import dev.switchboard.internal.stream.StreamPump;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.InProcessProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.IntFunction;

/**
 * The innermost stage: builds the provider call, sends it with the per-attempt timeout, and
 * translates the answer — a complete JSON, or a stream handed to a {@link StreamPump} and returned
 * as an {@link AnswerStream} whose end this stage wraps first. For a stream the timeout covers the
 * wait for the first event; a failure before it is an ordinary failure of the attempt.
 *
 * <p>Providers are reached through the {@link Transport} SPI only: {@link Transport#sendBlocking}
 * on {@code Gateway.execute}'s waiting thread for a whole answer (the timeout interrupts it),
 * {@link Transport#send} otherwise, its answer continuing on the request's executor. An
 * {@link InProcessProvider} is called instead of the transport ({@link InProcessCall}), under the
 * same timeout and with the same translation to a result; a cache hit sent through the chain
 * ({@link LeafCall#served}) is the answer itself.
 */
final class ProviderCallStage implements LeafStage {
    /** Upstream headers not passed to the caller. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive", "date", "server");

    /**
     * Endpoints whose 2xx answer, unless it declares JSON, is bytes handed to the caller as they arrive:
     * audio, transcripts as text/srt/vtt, and SSE (speech or transcription events, partial images).
     */
    private static final Set<Endpoint> BINARY_ANSWERS = java.util.EnumSet.of(
            Endpoint.AUDIO_SPEECH,
            Endpoint.AUDIO_TRANSCRIPTIONS,
            Endpoint.AUDIO_TRANSLATIONS,
            Endpoint.IMAGES_GENERATIONS,
            Endpoint.IMAGES_EDITS,
            Endpoint.IMAGES_VARIATIONS);

    /** How a stream whose first event did not come within the request timeout ends. */
    static final Failure STREAM_TIMEOUT = Failure.of(FailureKind.TIMEOUT, "no stream event within the request timeout");

    /** The status of an attempt its caller cancelled (nginx's "client closed request"); nobody sees the answer. */
    static final int CANCELLED_STATUS = 499;

    /** The request header that sets a stream's idle timeout (ms), as {@code stream_idle_timeout} does. */
    static final String STREAM_IDLE_HEADER = "x-switchboard-stream-idle-timeout";

    /** How an attempt (or a stream not yet handed over) ends when its caller cancelled the request. */
    static final Failure CALLER_CANCELLED = Failure.of(FailureKind.CANCELLED, "the caller cancelled the request");

    private final Transport transport;
    private final Scheduler scheduler;
    private final Clock clock;
    private final UsageEstimator estimator;
    private final InProcessCall inProcess;

    private final long maxEventBytes;
    private final boolean continueOnSender;

    ProviderCallStage(Transport transport, Scheduler scheduler, Clock clock, UsageEstimator estimator) {
        this(transport, scheduler, clock, estimator, StreamPump.MAX_EVENT_BYTES, false);
    }

    /**
     * {@code maxEventBytes}: the most bytes a provider's stream may send between two events;
     * {@code continueOnSender}: the request executor is the gateway's own pool, so an answer fetched
     * on a send thread carries on there instead of being handed to the pool.
     */
    ProviderCallStage(
            Transport transport,
            Scheduler scheduler,
            Clock clock,
            UsageEstimator estimator,
            long maxEventBytes,
            boolean continueOnSender) {
        this.continueOnSender = continueOnSender;
        this.maxEventBytes = maxEventBytes;
        this.transport = transport;
        this.scheduler = scheduler;
        this.clock = clock;
        this.estimator = estimator;
        this.inProcess = new InProcessCall(scheduler, this);
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        if (call.served != null) {
            return CompletableFuture.completedFuture(call.served); // the cache's entry answers: no call
        }
        String providerId = call.target.provider();
        Endpoint endpoint = call.request.endpoint;
        boolean stream = call.request.stream
                && (endpoint == Endpoint.CHAT_COMPLETIONS
                        || endpoint == Endpoint.COMPLETIONS
                        || endpoint == Endpoint.RESPONSES);

        ObjectNode body = call.body;
        boolean stripUsage = false;
        boolean usageAdded = false; // stream_options added where the caller had none
        if (stream && endpoint != Endpoint.RESPONSES) { // a Responses stream always ends with its usage
            JsonNode so = body.path("stream_options");
            usageAdded = so.isMissingNode();
            if (!so.path("include_usage").asBoolean(false)) {
                // usage is always needed for accounting; the caller did not ask, so strip it again
                body = body.deepCopy();
                ObjectNode opts = so.isObject() ? ((ObjectNode) so).deepCopy() : Json.object();
                opts.put("include_usage", true);
                body.set("stream_options", opts);
                stripUsage = true;
            }
        }
        ProviderCall.Builder pb = ProviderCall.builder(providerId, endpoint).body(body).options(call.options).stream(
                        stream)
                .transport(transport)
                .clock(clock)
                .target(
                        call.request.request.method(),
                        call.request.request.path(),
                        call.request.request.query().orElse(null));
        if (call.request.request.bodyView() == null && call.request.request.content() != null) {
            pb.content(call.request.request.content()); // a multipart upload or raw bytes; body holds its fields
        }
        if (!stripUsage && sendsCallersBody(call)) {
            // the body is the caller's own: a pass-through adapter may send the caller's bytes as they came
            pb.rawJson(call.request.request::rawJsonView);
        } else if (stripUsage && usageAdded && sendsCallersBody(call)) {
            // the caller's bytes with "stream_options" put in front: what the tree says, not serialised again
            GatewayRequest callers = call.request.request;
            pb.rawJson(() -> withUsageRequested(callers.rawJsonView()));
        }
        // a binary answer (text-to-speech audio) is handed to the caller as it arrives, never read whole here
        // so is any pass-through answer (a file's content) until its headers say it is JSON
        boolean binary = BINARY_ANSWERS.contains(endpoint) || endpoint == Endpoint.PROXY;
        for (String h : call.target.settings().forwardHeaders()) {
            call.request.request.header(h).ifPresent(v -> pb.forwardedHeader(h, v));
        }
        ProviderCall pc = pb.build();
        String model = call.model();
        long timeoutMs = timeoutMs(call);
        call.request.listener.attemptStart(call.target.path(), providerId, model, call.retryNumber);
        long started = System.nanoTime();

        Cancellation cancellation = call.request.cancellation;
        if (cancellation.isCancelled()) {
            // the caller cancelled before this attempt started: nothing is sent
            return CompletableFuture.completedFuture(cancelled(call, pc, model, started, false));
        }
        // executeAsync's caller can cancel its future; Gateway.execute's cannot
        boolean cancellable = call.request.blockingCaller == null;
        AttemptOutcome outcome = new AttemptOutcome(timeoutMs > 0 || cancellable);
        Executor executor = call.request.executor;
        // once the request is handed to the transport (or an in-process provider), the provider may bill it
        java.util.concurrent.atomic.AtomicBoolean handedOver = new java.util.concurrent.atomic.AtomicBoolean();
        // Gateway.execute's thread waits anyway: fetch a whole answer (a stream: its headers) on it
        // (the JDK's synchronous path is several times faster than sendAsync, and starts no thread);
        // a timeout interrupts it
        boolean onCaller = call.request.blockingCaller == Thread.currentThread();
        ScheduledFuture<?> timer;
        try {
            timer = timeoutMs > 0
                    ? scheduler.schedule(
                            () -> outcome.timeOut(
                                    () -> timeout(call, pc, model, timeoutMs, started, handedOver.get()), executor),
                            timeoutMs)
                    : null;
        } catch (GatewayClosedException e) {
            // closed since the attempt was decided on: it does not start
            return CompletableFuture.completedFuture(LeafResult.closed(providerId, model));
        }
        CompletableFuture<LeafResult> result = outcome.future();
        if (timer != null) {
            result.whenComplete((r, e) -> timer.cancel(false));
        }
        if (cancellable) {
            Runnable abort =
                    () -> outcome.cancel(() -> cancelled(call, pc, model, started, handedOver.get()), executor);
            cancellation.onCancel(abort);
            result.whenComplete((r, e) -> cancellation.clear(abort));
        }
        if (call.provider instanceof InProcessProvider local) {
            handedOver.set(true);
            inProcess.start(local, call, pc, stream, stripUsage, model, started, timeoutMs, outcome);
            return result;
        }

        CompletionStage<UpstreamRequest> prepared;
        try {
            prepared = call.provider.prepareAsync(pc);
        } catch (RuntimeException e) {
            prepared = CompletableFuture.failedFuture(e);
        }
        boolean strip = stripUsage;
        prepared.thenCompose(req -> {
                    if (outcome.isDone()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    CompletableFuture<UpstreamResponse> raw;
                    CompletableFuture<UpstreamResponse> sent;
                    handedOver.set(true);
                    if (onCaller) {
                        raw = sendOnCaller(req, outcome, stream || binary);
                        sent = raw;
                    } else if (transport instanceof JdkHttpTransport || transport instanceof Http1Transport) {
                        raw = sendOnPool(req, outcome, stream || binary);
                        // the send thread is the gateway's: with the gateway's own executor, carry on there
                        sent = continueOnSender ? raw : onExecutor(raw, executor);
                    } else {
                        raw = transport.send(req, stream || binary);
                        sent = onExecutor(raw, executor);
                    }
                    // the answer's body belongs to whoever takes it first: this attempt, or its abort,
                    // which drops it (cancelling it closes the connection). An answer whose headers came
                    // just as the attempt was aborted must not be left unread: its connection would
                    // stay open and the JDK client would count the exchange as pending for ever.
                    java.util.concurrent.atomic.AtomicBoolean bodyTaken =
                            new java.util.concurrent.atomic.AtomicBoolean();
                    if (outcome.timed()) {
                        outcome.onCancel(() -> {
                            sent.cancel(true);
                            raw.thenAccept(resp -> {
                                if (bodyTaken.compareAndSet(false, true)) {
                                    UpstreamResponse.collect(resp.body()).cancel(true);
                                }
                            });
                        });
                    }
                    return sent.thenCompose(resp -> {
                        if (!bodyTaken.compareAndSet(false, true)) {
                            return CompletableFuture.completedFuture(null); // the abort dropped it
                        }
                        if (outcome.isDone()) {
                            // timed out while headers were on their way: drop the body
                            UpstreamResponse.collect(resp.body()).cancel(true);
                            return CompletableFuture.completedFuture(null);
                        }
                        if (stream && resp.status() >= 200 && resp.status() < 300) {
                            return startStream(call, pc, resp, model, started, strip, outcome);
                        }
                        if (binary
                                && resp.status() >= 200
                                && resp.status() < 300
                                && !(endpoint != Endpoint.AUDIO_SPEECH && isJson(resp))) {
                            HttpReply reply = HttpReply.streamed(resp.status(), resp.headerValues(), resp.bodyStream());
                            outcome.complete(translate(call, pc, reply, model, started));
                            return CompletableFuture.completedFuture(null);
                        }
                        CompletableFuture<byte[]> read = resp.readAll();
                        if (outcome.timed()) {
                            outcome.onCancel(() -> read.cancel(true));
                        }
                        return onExecutor(read, executor).thenAccept(bytes -> {
                            HttpReply reply = new HttpReply(resp.status(), resp.headers(), bytes);
                            outcome.complete(translate(call, pc, reply, model, started));
                        });
                    });
                })
                .whenComplete((v, e) -> {
                    if (e != null && !outcome.isDone()) {
                        outcome.complete(failure(call, pc, model, unwrap(e), started));
                    }
                });
        return result;
    }

    /** Whether an answer declares a JSON body (a pass-through answer is then read whole and parsed). */
    private static boolean isJson(UpstreamResponse resp) {
        String type = resp.header("content-type").orElse("");
        int semi = type.indexOf(';');
        String media = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }

    /**
     * Sends on the caller's thread with {@link Transport#sendBlocking}; the attempt's timeout
     * interrupts it. The interrupt flag is left as it was before, unless someone else interrupted.
     */
    private CompletableFuture<UpstreamResponse> sendOnCaller(
            UpstreamRequest req, AttemptOutcome outcome, boolean expectStream) {
        if (!outcome.timed()) {
            try {
                return CompletableFuture.completedFuture(transport.sendBlocking(req, expectStream));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // not ours: no timeout interrupts this attempt
                return CompletableFuture.failedFuture(e);
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CallerInterrupt guard = new CallerInterrupt();
        outcome.onInterrupt(guard::interrupt);
        try {
            return CompletableFuture.completedFuture(transport.sendBlocking(req, expectStream));
        } catch (InterruptedException e) {
            guard.notOurs();
            return CompletableFuture.failedFuture(e);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            outcome.sendReturned();
            guard.done();
        }
    }

    /**
     * Sends with {@link Transport#sendBlocking} on a thread of the gateway's send pool
     * ({@link Scheduler#sending()}), as {@link #sendOnCaller} does on a waiting caller's: the JDK
     * client's {@code sendAsync} would start a new thread per response on a machine of 2 cores or
     * fewer. The timeout and the caller's cancellation interrupt that thread, which aborts the
     * exchange. After {@link Scheduler#close()} the pool refuses work: the send is then asynchronous.
     */
    private CompletableFuture<UpstreamResponse> sendOnPool(
            UpstreamRequest req, AttemptOutcome outcome, boolean expectStream) {
        CompletableFuture<UpstreamResponse> out = new CompletableFuture<>();
        try {
            scheduler.sending().execute(() -> sendOnCaller(req, outcome, expectStream)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            out.completeExceptionally(e);
                        } else if (!out.complete(v)) {
                            // nobody will read it (cancelled meanwhile): release the connection
                            UpstreamResponse.collect(v.body()).cancel(true);
                        }
                    }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return transport.send(req, expectStream);
        }
        return out;
    }

    /**
     * {@code f}, its dependents run on the request's executor when it completes later on another
     * thread (a transport's or a provider's): those threads only deliver, the request continues on
     * its own. An already completed future stays as it is: no hand-off on the fast path.
     */
    static <T> CompletableFuture<T> onExecutor(CompletableFuture<T> f, Executor executor) {
        if (f.isDone()) {
            return f;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> executor.execute(() -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        out.whenComplete((v, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) {
                f.cancel(true);
            }
        });
        return out;
    }

    /** The most bytes a provider's stream may send between two events. */
    long maxEventBytes() {
        return maxEventBytes;
    }

    private long timeoutMs(LeafCall call) {
        return timeoutMs(
                call.request.request.header("x-portkey-request-timeout").orElse(null),
                call.target.settings().requestTimeoutMs());
    }

    /**
     * The attempt's timeout in ms, 0 for none: {@code x-portkey-request-timeout} when it is a positive
     * whole number of milliseconds, else the config's {@code request_timeout}. A header of 0, a
     * negative number or anything unreadable is ignored: a request can shorten or lengthen the
     * timeout, never switch the configured one off.
     */
    static long timeoutMs(String header, Long configured) {
        if (header != null) {
            try {
                long ms = Long.parseLong(header.trim());
                if (ms > 0) {
                    return ms;
                }
            } catch (NumberFormatException ignored) {
                // an unreadable header does not override the config
            }
        }
        return configured == null || configured <= 0 ? 0 : configured;
    }

    private LeafResult translate(LeafCall call, ProviderCall pc, HttpReply reply, String model, long started) {
        long nanos = System.nanoTime() - started;
        ProviderReply pr;
        try {
            pr = call.provider.translate(pc, reply);
        } catch (RuntimeException e) {
            ObjectNode err = ErrorBody.provider(
                    pc.providerId(),
                    "could not translate the provider's answer (HTTP " + reply.status() + "): " + e.getMessage(),
                    "api_error",
                    null,
                    null);
            return LeafResult.builder(502)
                    .headers(passHeaders(reply.headers()))
                    .body(err)
                    .failure(Failure.of(FailureKind.TRANSLATION, e.getMessage()))
                    .provider(pc.providerId())
                    .model(model)
                    .upstreamNanos(nanos)
                    .notes(pc.notes())
                    .build();
        }
        return fromReply(pc, pr, passHeaders(reply.headers()), model, nanos);
    }

    /** The result for a provider's translated answer (success or error status). */
    static LeafResult fromReply(
            ProviderCall pc, ProviderReply pr, Map<String, String> headers, String model, long nanos) {
        boolean ok = pr.status() >= 200 && pr.status() < 300;
        if (pr.binary() != null) {
            return LeafResult.builder(pr.status())
                    .headers(headers)
                    .binary(pr.binary())
                    .units(MediaMeter.measure(pc.endpoint(), pc.body(), null, ok))
                    .failure(ok ? null : Failure.httpStatus(pr.status(), pr.overloaded(), null))
                    .provider(pc.providerId())
                    .model(model)
                    .upstreamNanos(nanos)
                    .notes(pc.notes())
                    .build();
        }
        Usage usage = ok && pr.body() != null ? Usage.fromOpenAi(pr.body().get("usage")) : null;
        String message = ok
                ? null
                : pr.body() == null
                        ? null
                        : pr.body().path("error").path("message").asText(null);
        return LeafResult.builder(pr.status())
                .headers(headers)
                .body(pr.body())
                .failure(ok ? null : Failure.httpStatus(pr.status(), pr.overloaded(), message))
                .provider(pc.providerId())
                .model(model)
                .upstreamNanos(nanos)
                .usage(usage)
                .units(MediaMeter.measure(pc.endpoint(), pc.body(), pr.body(), ok))
                .notes(pc.notes())
                .build();
    }

    private CompletableFuture<Void> startStream(
            LeafCall call,
            ProviderCall pc,
            UpstreamResponse resp,
            String model,
            long started,
            boolean stripUsage,
            AttemptOutcome outcome) {
        StreamTranslator translator = call.provider.streamTranslator(pc);
        GatewayEventStream out = new GatewayEventStream();
        StreamPump pump = new StreamPump(translator, out, stripUsage, call.needs, maxEventBytes, call.meter);
        outcome.onCancel(
                () -> pump.cancel(outcome.cancelledByCaller() ? call.request.cancellation.reason() : STREAM_TIMEOUT));
        resp.body().subscribe(pump);
        return onExecutor(pump.firstEvent(), call.request.executor).handle((v, e) -> {
            if (outcome.isDone()) {
                return null;
            }
            if (e == null) {
                call.request.listener.firstEvent(call.target.path());
                outcome.complete(streaming(
                        resp.status(),
                        passHeaders(resp.headers()),
                        answerStream(call, pump, out, model, started),
                        pc,
                        model,
                        started));
            } else {
                Throwable t = unwrap(e);
                Failure f = t instanceof StreamPump.EarlyStreamFailure early
                        ? early.failure()
                        : Failure.of(FailureKind.STREAM_BROKEN, t.getMessage());
                outcome.complete(earlyStreamFailure(passHeaders(resp.headers()), f, pc, model, started));
            }
            return null;
        });
    }

    /**
     * The streamed answer this stage returns, its end wrapped first (innermost): timed from the
     * attempt's start, and a failure without reported usage gets an estimate (the prompt, and the
     * answer so far), as will a failure a stage above makes of it.
     */
    AnswerStream answerStream(LeafCall call, StreamPump pump, GatewayEventStream out, String model, long started) {
        watchIdle(
                call,
                pump,
                streamIdleTimeoutMs(
                        call.request.request.header(STREAM_IDLE_HEADER).orElse(null),
                        call.target.settings().streamIdleTimeoutMs()));
        IntFunction<Usage> estimate = chars -> estimator
                .estimate(call.target.provider(), model, call.body, chars)
                .asEstimate();
        AnswerStream answer = AnswerStream.of(out, pump.end())
                .mapEnd(end -> end.withNanos(System.nanoTime() - started).withEstimator(estimate));
        // a Responses stream served natively: no [DONE], the gateway's own errors as Responses error events
        return call.request.endpoint == Endpoint.RESPONSES
                ? answer.mapEvents(dev.switchboard.internal.responses.ResponsesPassThroughEvents::new)
                : answer;
    }

    private static final byte[] USAGE_OPTION =
            "\"stream_options\":{\"include_usage\":true}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The caller's JSON object {@code raw} with {@code "stream_options":{"include_usage":true}} as its
     * first member (the caller's has none: its bytes were parsed strictly, so no repeated key can
     * hide one), or null when there are no bytes or they are not an object.
     */
    static byte[] withUsageRequested(byte[] raw) {
        if (raw == null) {
            return null;
        }
        int open = skipSpace(raw, 0);
        if (open >= raw.length || raw[open] != '{') {
            return null;
        }
        int next = skipSpace(raw, open + 1);
        boolean empty = next < raw.length && raw[next] == '}';
        int insert = USAGE_OPTION.length + (empty ? 0 : 1);
        byte[] out = new byte[raw.length + insert];
        System.arraycopy(raw, 0, out, 0, open + 1);
        System.arraycopy(USAGE_OPTION, 0, out, open + 1, USAGE_OPTION.length);
        if (!empty) {
            out[open + 1 + USAGE_OPTION.length] = ',';
        }
        System.arraycopy(raw, open + 1, out, open + 1 + insert, raw.length - open - 1);
        return out;
    }

    private static int skipSpace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Whether the body of {@code call} is the caller's, unchanged: a JSON request whose body no
     * {@code override_params} and no before-hook rewrote (the {@code stream_options} added for usage
     * is checked by the caller of this).
     */
    static boolean sendsCallersBody(LeafCall call) {
        return call.request.request.bodyView() != null
                && !call.bodyRewritten
                && call.target.settings().overrideParams().size() == 0;
    }

    /**
     * The stream's idle timeout in ms: {@value #STREAM_IDLE_HEADER} when it is a positive whole
     * number of milliseconds, else the config's {@code stream_idle_timeout}, else the default (60 s).
     * Like the request timeout, a header can change it, never switch it off.
     */
    static long streamIdleTimeoutMs(String header, Long configured) {
        long ms = timeoutMs(header, configured);
        return ms > 0 ? ms : dev.switchboard.internal.config.Settings.DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    }

    /**
     * Ends the stream when its upstream stays silent for {@code idleMs} after the first event (a
     * caller that does not read does not count: the pump then waits for it). One timer at a time,
     * re-armed for what is left of the window; the end itself runs on the request's executor. Once
     * the gateway is closed the timer cannot be re-armed: the stream is no longer watched.
     */
    private void watchIdle(LeafCall call, StreamPump pump, long idleMs) {
        long idleNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(idleMs);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (pump.end().isDone()) {
                return;
            }
            long left = idleNanos - pump.idleNanos();
            if (left <= 0) {
                Failure f = Failure.of(
                        FailureKind.STREAM_IDLE,
                        "the provider's stream sent nothing for " + idleMs + " ms (stream_idle_timeout)");
                call.request.executor.execute(() -> pump.expire(f, "timeout_error"));
                return;
            }
            try {
                scheduler.schedule(check[0], Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (GatewayClosedException e) {
                // closed: timers cannot be re-armed; the stream runs unwatched to its end
            }
        };
        try {
            ScheduledFuture<?> first = scheduler.schedule(check[0], idleMs);
            pump.end().whenComplete((v, e) -> first.cancel(false));
        } catch (GatewayClosedException e) {
            // closed: no new timers
        }
    }

    /** The result for a stream whose first event is ready. */
    static LeafResult streaming(
            int status, Map<String, String> headers, AnswerStream stream, ProviderCall pc, String model, long started) {
        return LeafResult.builder(status).headers(headers).stream(stream)
                .provider(pc.providerId())
                .model(model)
                .upstreamNanos(System.nanoTime() - started)
                .notes(pc.notes())
                .build();
    }

    /** The result (502) for a stream that failed before its first event. */
    static LeafResult earlyStreamFailure(
            Map<String, String> headers, Failure failure, ProviderCall pc, String model, long started) {
        ObjectNode err = ErrorBody.provider(pc.providerId(), failure.message(), failure.errorClass(), null, null);
        return LeafResult.builder(502)
                .headers(headers)
                .body(err)
                .failure(failure)
                .provider(pc.providerId())
                .model(model)
                .upstreamNanos(System.nanoTime() - started)
                .notes(pc.notes())
                .build();
    }

    /**
     * The 408 of an attempt that ran out of time. When the request had been handed over, the provider
     * may bill it although no answer came: its usage is the gateway's estimate of the input (output
     * unknown, so 0), marked as an estimate — priced in the trace and charged to budgets, not a known $0.
     */
    private LeafResult timeout(
            LeafCall call, ProviderCall pc, String model, long timeoutMs, long started, boolean requestSent) {
        ObjectNode body = ErrorBody.of(
                "Request exceeded the timeout sent in the request: " + timeoutMs + "ms", "timeout_error", null, null);
        return unanswered(
                408,
                body,
                Failure.of(FailureKind.TIMEOUT, "no answer within " + timeoutMs + " ms"),
                call,
                pc,
                model,
                started,
                requestSent);
    }

    /**
     * The 499 of an attempt its caller (or a hedge that answered first) cancelled. As for a timeout, once the request was handed over
     * the provider may bill it: its usage is the estimated input, marked as an estimate.
     */
    private LeafResult cancelled(LeafCall call, ProviderCall pc, String model, long started, boolean requestSent) {
        Failure why = call.request.cancellation.reason();
        ObjectNode body = ErrorBody.of(why.message(), "request_cancelled", null, null);
        return unanswered(CANCELLED_STATUS, body, why, call, pc, model, started, requestSent);
    }

    /**
     * An attempt that ended without an answer (timed out, cancelled). Once its request was handed over,
     * the provider may bill it although no answer came: its usage is the gateway's estimate of the input
     * (output unknown, so 0), marked as an estimate — priced in the trace and charged to budgets.
     */
    private LeafResult unanswered(
            int status,
            ObjectNode body,
            Failure failure,
            LeafCall call,
            ProviderCall pc,
            String model,
            long started,
            boolean requestSent) {
        Usage billable = requestSent
                ? estimator
                        .estimate(call.target.provider(), model, call.body, 0)
                        .asEstimate()
                : null;
        return LeafResult.builder(status)
                .body(body)
                .failure(failure)
                .provider(pc.providerId())
                .model(model)
                .upstreamNanos(System.nanoTime() - started)
                .notes(pc.notes())
                .usage(billable)
                .build();
    }

    private LeafResult failure(LeafCall call, ProviderCall pc, String model, Throwable t, long started) {
        long nanos = System.nanoTime() - started;
        if (t instanceof ProviderException pe) {
            ObjectNode body = ErrorBody.of(pc.providerId() + ": " + pe.getMessage(), pe.type(), null, null);
            return LeafResult.builder(pe.status())
                    .body(body)
                    .failure(Failure.of(FailureKind.INVALID_REQUEST, pe.getMessage()))
                    .provider(pc.providerId())
                    .model(model)
                    .upstreamNanos(nanos)
                    .notes(pc.notes())
                    .build();
        }
        if (t instanceof dev.switchboard.spi.AnswerTooLargeException
                || t.getCause() instanceof dev.switchboard.spi.AnswerTooLargeException) {
            String msg = pc.providerId() + ": "
                    + (t instanceof dev.switchboard.spi.AnswerTooLargeException
                            ? t.getMessage()
                            : t.getCause().getMessage());
            ObjectNode body = ErrorBody.of(msg, "answer_too_large", null, null);
            return LeafResult.builder(502)
                    .body(body)
                    .failure(Failure.of(FailureKind.TOO_LARGE, msg))
                    .provider(pc.providerId())
                    .model(model)
                    .upstreamNanos(nanos)
                    .notes(pc.notes())
                    .build();
        }
        if (t instanceof HttpTimeoutException && !(t instanceof HttpConnectTimeoutException)) {
            return timeout(call, pc, model, timeoutMs(call), started, true);
        }
        if (t instanceof IOException || t instanceof CancellationException) {
            String what = t instanceof HttpConnectTimeoutException
                    ? "connect timeout"
                    : t instanceof ConnectException ? "connection refused" : "network error";
            String msg = pc.providerId() + " could not be reached (" + what + ": " + describe(t) + ")";
            ObjectNode body = ErrorBody.of(msg, "network_error", null, null);
            return LeafResult.builder(502)
                    .body(body)
                    .failure(Failure.of(FailureKind.NETWORK, describe(t)))
                    .provider(pc.providerId())
                    .model(model)
                    .upstreamNanos(nanos)
                    .notes(pc.notes())
                    .build();
        }
        String msg = "gateway error while calling " + pc.providerId() + ": " + describe(t);
        ObjectNode body = ErrorBody.of(msg, "gateway_error", null, null);
        return LeafResult.builder(500)
                .body(body)
                .failure(Failure.of(FailureKind.INTERNAL, describe(t)))
                .provider(pc.providerId())
                .model(model)
                .upstreamNanos(nanos)
                .notes(pc.notes())
                .build();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null && t.getCause() != null) {
            m = t.getCause().toString();
        }
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static Map<String, String> passHeaders(Map<String, String> upstream) {
        Map<String, String> m = new LinkedHashMap<>();
        upstream.forEach((k, v) -> {
            if (!HOP_BY_HOP.contains(k) && !k.startsWith("x-portkey-")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /**
     * Lets the timeout timer interrupt the caller's thread while it is blocked in a synchronous
     * send, and never after: the flag is cleared again when the interrupt was ours.
     */
    private static final class CallerInterrupt {
        private final Thread thread = Thread.currentThread();
        private boolean done;
        private boolean interrupted;

        synchronized void interrupt() {
            if (!done) {
                interrupted = true;
                thread.interrupt();
            }
        }

        /**
         * The send threw {@link InterruptedException}, which cleared the flag: when the interrupt was
         * not the timeout's, set the flag again for the caller to see.
         */
        synchronized void notOurs() {
            if (!interrupted) {
                thread.interrupt();
            }
        }

        /** Called on the caller's thread once the send returned: clears the timeout's interrupt. */
        synchronized void done() {
            done = true;
            if (interrupted) {
                Thread.interrupted();
            }
        }
    }
}
