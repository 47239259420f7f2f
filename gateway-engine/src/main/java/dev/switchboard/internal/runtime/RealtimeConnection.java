package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Json;
import dev.switchboard.api.RealtimeListener;
import dev.switchboard.api.RealtimeSession;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.accounting.Admission;
import dev.switchboard.internal.accounting.LimitEnforcer;
import dev.switchboard.internal.config.RealtimeSettings;
import dev.switchboard.internal.trace.TraceRecorder;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.LogSink;
import dev.switchboard.spi.Sleeper;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open Realtime session: the {@link WebSocket.Listener} of the upstream connection and the
 * caller's {@link RealtimeSession}. Server messages are handed to the caller's listener one at a time,
 * in order, on the gateway's executor ({@link SerialExecutor}); the next one is requested from the
 * upstream only after the listener returned (WebSocket {@code request(1)}), so a slow listener slows
 * the upstream. Client messages are chained, so they go up in the order {@link #send} was called.
 *
 * <p>Every {@code response.done} is priced, recorded in the trace as its own entry and charged to the
 * virtual key ({@link LimitEnforcer#chargeSession}); when a limit has no room for another response,
 * the listener gets an {@code error} event of type {@code budget_exceeded} (or
 * {@code rate_limit_exceeded}) and the session ends with close code 4412 (or 4429). One timer per
 * session, on the gateway's {@link Sleeper} and clock, ends it after its idle or session timeout.
 */
final class RealtimeConnection implements WebSocket.Listener, RealtimeSession {
    /** How long a client's close waits for the upstream's close frame before the connection is dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** What the session needs from the gateway and the chosen target. */
    record Context(
            TraceRecorder trace,
            CallListener callListener,
            List<LogSink> sinks,
            Clock clock,
            Sleeper sleeper,
            Scheduler scheduler,
            java.util.concurrent.Executor executor,
            CostFunction costs,
            LimitEnforcer limits,
            Admission admission,
            RealtimeSettings settings,
            String targetPath,
            String provider,
            String model,
            String virtualKey) {}

    private final Context cx;
    private final RealtimeListener listener;
    private final SerialExecutor serial;
    private final CompletableFuture<RequestTrace> ended = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Object lock = new Object();
    private final Instant openedAt;
    private final long openedNanos = System.nanoTime();
    private final AtomicLong lastActivityMillis = new AtomicLong();
    private final Map<String, Instant> responseStarts = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private final List<ByteBuffer> binary = new ArrayList<>();

    private volatile WebSocket ws;
    private volatile boolean open = true;
    private int attemptIndex = -1;
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> timer;
    /** Set when the gateway ends the session: the listener already got its close; later upstream calls are ignored. */
    private volatile boolean endedByGateway;

    RealtimeConnection(Context cx, RealtimeListener listener) {
        this.cx = cx;
        this.listener = listener;
        this.serial = new SerialExecutor(cx.executor());
        this.openedAt = cx.clock().instant();
        touch();
    }

    // ------------------------------------------------------------------ upstream side (WebSocket.Listener)

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        synchronized (lock) {
            attemptIndex = cx.trace()
                    .addAttempt(new Attempt(
                            cx.targetPath(),
                            cx.provider(),
                            cx.model(),
                            101,
                            Duration.ZERO,
                            0,
                            null,
                            null,
                            null,
                            Cost.ZERO,
                            null,
                            openedAt,
                            CacheStatus.DISABLED,
                            List.of("realtime session opened"),
                            cx.virtualKey()));
        }
        webSocket.request(1);
    }

    /** Starts the timeouts and the gateway-close watch; called once the caller's future is about to complete. */
    void start() {
        cx.scheduler().untilClosed(ended.thenApply(t -> (Void) null)).whenComplete((v, e) -> {
            if (e != null && ProviderCallStage.unwrap(e) instanceof GatewayClosedException) {
                endByGateway(CLOSE_GATEWAY_CLOSED, "gateway_closed", "gateway_closed", "the gateway was closed");
            }
        });
        armTimer();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        touch();
        String message;
        synchronized (text) {
            text.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            message = text.toString();
            text.setLength(0);
        }
        LimitEnforcer.Exhausted exhausted = account(message);
        if (!endedByGateway) {
            serial.execute(() -> {
                safely(() -> listener.onEvent(message));
                if (exhausted == null) {
                    webSocket.request(1);
                }
            });
        }
        if (exhausted != null) {
            int code = Admission.BUDGET_EXCEEDED.equals(exhausted.type()) ? CLOSE_BUDGET_EXCEEDED : CLOSE_TOKEN_LIMIT;
            endByGateway(
                    code, exhausted.type(), exhausted.type(), exhausted.message() + "; the realtime session is closed");
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        touch();
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        ByteBuffer whole;
        synchronized (binary) {
            binary.add(copy);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            int size = binary.stream().mapToInt(ByteBuffer::remaining).sum();
            whole = ByteBuffer.allocate(size);
            binary.forEach(whole::put);
            whole.flip();
            binary.clear();
        }
        if (!endedByGateway) {
            serial.execute(() -> {
                safely(() -> listener.onBinary(whole.asReadOnlyBuffer()));
                webSocket.request(1);
            });
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        boolean clientClosed = !open;
        open = false;
        String why = reason == null || reason.isEmpty()
                ? (clientClosed ? "closed by the client" : "closed by the upstream")
                : cx.trace().redactor().redact(reason);
        String errorClass = null;
        String message = null;
        if (!clientClosed && statusCode != CLOSE_NORMAL) {
            errorClass = "upstream_closed";
            message = "the upstream closed the session with code " + statusCode + ": " + why;
        }
        finish(statusCode, why, errorClass, message, null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        open = false;
        String what = error instanceof IOException
                ? "the upstream connection ended without a close frame"
                : "the upstream connection failed";
        String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String message = cx.trace().redactor().redact(what + " (" + detail + ")");
        finish(CLOSE_ABNORMAL, what, "upstream_aborted", message, new IOException(message));
    }

    // ------------------------------------------------------------------ caller side (RealtimeSession)

    @Override
    public CompletableFuture<Void> send(String jsonEvent) {
        java.util.Objects.requireNonNull(jsonEvent, "jsonEvent");
        return enqueue(w -> w.sendText(jsonEvent, true));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        java.util.Objects.requireNonNull(data, "data");
        return enqueue(w -> w.sendBinary(data, true));
    }

    private CompletableFuture<Void> enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> op) {
        synchronized (lock) {
            if (!open || ws == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("realtime session is closed"));
            }
            touch();
            WebSocket w = ws;
            CompletableFuture<Void> next = sendTail.handle((v, e) -> null)
                    .thenCompose(x -> op.apply(w))
                    .thenApply(x -> (Void) null);
            sendTail = next;
            return next;
        }
    }

    @Override
    public void close() {
        WebSocket w;
        synchronized (lock) {
            if (!open) {
                return;
            }
            open = false;
            w = ws;
        }
        if (w == null) {
            return;
        }
        sendTail.handle((v, e) -> null)
                .thenCompose(x -> w.sendClose(CLOSE_NORMAL, ""))
                .whenComplete((v, e) -> {
                    // the upstream's close frame normally finishes the session; without one, drop the connection
                    CompletableFuture<Void> grace =
                            e != null ? CompletableFuture.completedFuture(null) : safeSleep(CLOSE_GRACE);
                    grace.whenComplete((x, y) -> {
                        if (!finished.get()) {
                            w.abort();
                            finish(CLOSE_NORMAL, "closed by the client", null, null, null);
                        }
                    });
                });
    }

    @Override
    public boolean isOpen() {
        return open && !finished.get();
    }

    @Override
    public RequestTrace trace() {
        return cx.trace();
    }

    @Override
    public CompletableFuture<RequestTrace> ended() {
        return ended;
    }

    // ------------------------------------------------------------------ accounting

    /** Prices and charges a {@code response.done}; returns why the session must end, or null. */
    private LimitEnforcer.Exhausted account(String message) {
        boolean created = message.contains("\"response.created\"");
        if (!created && !message.contains("\"response.done\"")) {
            return null; // audio deltas and the like: not parsed
        }
        JsonNode event;
        try {
            event = Json.parse(message);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String type = event.path("type").asText("");
        JsonNode response = event.path("response");
        String id = response.path("id").asText("");
        Instant now = cx.clock().instant();
        if ("response.created".equals(type)) {
            synchronized (responseStarts) {
                responseStarts.put(id, now);
            }
            return null;
        }
        if (!"response.done".equals(type)) {
            return null;
        }
        Instant started;
        synchronized (responseStarts) {
            started = responseStarts.remove(id);
        }
        if (started == null) {
            started = now;
        }
        Usage usage = usage(response.path("usage"));
        String status = response.path("status").asText("completed");
        boolean failed = "failed".equals(status);
        Cost cost = usage == null
                ? ("completed".equals(status) ? Cost.unknown("the response reported no usage") : Cost.ZERO)
                : cx.costs().cost(cx.provider(), cx.model(), usage);
        String error = failed
                ? response.path("status_details").path("error").path("message").asText("the response failed")
                : null;
        Attempt a = new Attempt(
                cx.targetPath(),
                cx.provider(),
                cx.model(),
                200,
                Duration.between(started, now),
                0,
                failed ? "response_failed" : null,
                error,
                usage,
                cost,
                null,
                started,
                CacheStatus.DISABLED,
                List.of("realtime response " + (id.isEmpty() ? "(no id)" : id) + ": " + status),
                cx.virtualKey());
        int index = cx.trace().addAttempt(a);
        cx.callListener().attemptEnd(cx.trace().attempt(index));
        if (cx.admission() == null || usage == null) {
            return null;
        }
        Optional<LimitEnforcer.Exhausted> out =
                cx.limits().chargeSession(cx.admission().reservation(), usage, cost);
        return out.orElse(null);
    }

    /**
     * A realtime {@code usage}: input and output tokens with their text/audio/cached details. Cached
     * audio input counts among the cached tokens (priced at the cache-read price), so
     * {@code audioInputTokens} is the audio input that was not cached.
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        long input = count(u.path("input_tokens"));
        long output = count(u.path("output_tokens"));
        long total = u.has("total_tokens") ? count(u.path("total_tokens")) : input + output;
        JsonNode in = u.path("input_token_details");
        JsonNode out = u.path("output_token_details");
        long cached = count(in.path("cached_tokens"));
        long cachedAudio = count(in.path("cached_tokens_details").path("audio_tokens"));
        long audioIn = Math.max(0, count(in.path("audio_tokens")) - cachedAudio);
        return new Usage(input, output, total, cached, 0, 0, audioIn, count(out.path("audio_tokens")), false);
    }

    private static long count(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return 0;
        }
        if (n.canConvertToLong()) {
            return Math.max(0, n.longValue());
        }
        return n.doubleValue() > 0 ? Long.MAX_VALUE : 0;
    }

    // ------------------------------------------------------------------ timeouts and ending

    private void touch() {
        lastActivityMillis.set(cx.clock().millis());
    }

    /** Sleeps until the earliest deadline (session end, or idle since the last activity), then checks. */
    private void armTimer() {
        if (finished.get()) {
            return;
        }
        long now = cx.clock().millis();
        long sessionEnd = openedAt.toEpochMilli() + cx.settings().sessionTimeoutMs();
        long idleEnd = lastActivityMillis.get() + cx.settings().idleTimeoutMs();
        long wait = Math.max(0, Math.min(sessionEnd, idleEnd) - now);
        CompletableFuture<Void> t = safeSleep(Duration.ofMillis(wait));
        synchronized (lock) {
            timer = t;
        }
        t.whenComplete((v, e) -> {
            if (finished.get()) {
                return;
            }
            if (e != null) {
                return; // the gateway is closing: its own watch ends the session
            }
            long at = cx.clock().millis();
            if (at >= openedAt.toEpochMilli() + cx.settings().sessionTimeoutMs()) {
                endByGateway(
                        CLOSE_SESSION_TIMEOUT,
                        "timeout_error",
                        "session_timeout",
                        "the realtime session reached its session_timeout of "
                                + cx.settings().sessionTimeoutMs() + " ms");
            } else if (at >= lastActivityMillis.get() + cx.settings().idleTimeoutMs()) {
                endByGateway(
                        CLOSE_IDLE_TIMEOUT,
                        "timeout_error",
                        "idle_timeout",
                        "nothing was sent either way for the realtime idle_timeout of "
                                + cx.settings().idleTimeoutMs() + " ms");
            } else {
                armTimer();
            }
        });
    }

    private CompletableFuture<Void> safeSleep(Duration d) {
        try {
            return cx.sleeper().sleep(d);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The gateway ends the session: an {@code error} event in OpenAI's realtime shape to the listener,
     * then its close; the upstream gets a normal close and the connection is dropped.
     */
    private void endByGateway(int code, String errorType, String errorClass, String message) {
        if (finished.get() || endedByGateway) {
            return;
        }
        String safe = cx.trace().redactor().redact(message);
        ObjectNode event = Json.object();
        event.put("type", "error");
        event.put("event_id", "event_switchboard_" + Long.toHexString(System.nanoTime()));
        ObjectNode err = event.putObject("error");
        err.put("type", errorType);
        err.put("code", errorClass);
        err.put("message", safe);
        err.putNull("param");
        String json = event.toString();
        synchronized (lock) {
            if (endedByGateway) {
                return;
            }
            endedByGateway = true;
        }
        serial.execute(() -> safely(() -> listener.onEvent(json)));
        open = false;
        finish(code, safe, errorClass, safe, null);
        WebSocket w = ws;
        if (w != null) {
            w.sendClose(CLOSE_NORMAL, "ended by the gateway").whenComplete((v, e) -> w.abort());
        }
    }

    /** Ends the session once: the listener's last calls, the reservation settled, the trace logged. */
    private void finish(int code, String reason, String errorClass, String errorMessage, Throwable error) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        open = false;
        CompletableFuture<Void> t;
        int index;
        synchronized (lock) {
            t = timer;
            index = attemptIndex;
        }
        if (t != null) {
            t.cancel(false);
        }
        if (cx.admission() != null) {
            cx.limits().release(cx.admission().reservation()); // the room held for the next response
        }
        long nanos = System.nanoTime() - openedNanos;
        if (index >= 0) {
            cx.trace().updateAttempt(index, old -> {
                List<String> notes = new ArrayList<>(old.notes());
                notes.add("realtime session closed " + code + ": " + reason);
                return new Attempt(
                        old.targetPath(),
                        old.provider(),
                        old.model(),
                        old.status(),
                        Duration.ofNanos(nanos),
                        old.retryNumber(),
                        errorClass,
                        errorMessage,
                        old.usage(),
                        old.cost(),
                        old.saved(),
                        old.startedAt(),
                        old.cacheStatus(),
                        notes,
                        old.virtualKey());
            });
            cx.callListener().attemptEnd(cx.trace().attempt(index));
        }
        String safeReason = cx.trace().redactor().redact(reason);
        serial.execute(() -> {
            if (error != null) {
                safely(() -> listener.onError(error));
            }
            safely(() -> listener.onClose(code, safeReason));
            cx.trace().finish(101, cx.sinks(), cx.callListener());
            ended.complete(cx.trace());
        });
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RealtimeConnection.class)
                    .warn("realtime listener failed: {}", cx.trace().redactor().redact(e.toString()));
        }
    }

    @Override
    public String toString() {
        return "RealtimeSession{" + cx.trace().traceId() + " via " + cx.targetPath() + ", "
                + (isOpen() ? "open" : "ended") + "}";
    }
}
