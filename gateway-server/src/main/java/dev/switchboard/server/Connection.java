package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.BytesBody;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.api.ServerSentEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads a request (headers, then its body), hands it to the gateway, writes
 * the answer, and repeats (HTTP/1.1 keep-alive). Every field is touched on the connection's event
 * loop only; the gateway's callbacks and the download reader hop back to it.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    private static final Logger ACCESS = LoggerFactory.getLogger("switchboard.access");
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Request bytes kept in memory before the rest of a body goes to a temporary file. */
    private static final int BODY_MEMORY = 1 << 20;
    /** Messages of pipelined requests held while an answer is written. */
    private static final int MAX_PENDING = 256;

    private static final Set<String> NOT_RETURNED =
            Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "te", "trailer");

    private enum State {
        IDLE,
        RECEIVING,
        WAITING,
        RESPONDING,
        CLOSED
    }

    private final SwitchboardServer.Settings s;
    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    // the current request
    private HttpRequest request;
    private String method;
    private String path;
    private long startedNanos;
    private boolean keepAlive;
    private boolean discarding;
    private boolean health;
    private boolean metricsRoute;
    private ServerKeys.@Nullable ServerKey key;
    private boolean authorizationConsumed;
    private @Nullable ScheduledFuture<?> bodyTimer;
    private @Nullable BodyBuffer body;
    private @Nullable CompletableFuture<GatewayResponse> call;
    private @Nullable MultipartBody form;
    private @Nullable EventStream stream;
    private Flow.@Nullable Subscription subscription;
    private @Nullable InputStream download;
    private boolean awaitingWritability;
    private @Nullable Runnable onWritable;
    private int status;
    private String traceId = "";

    Connection(SwitchboardServer.Settings settings) {
        this.s = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        s.metrics().connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ reading

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.WAITING || state == State.RESPONDING) {
            if (discarding && msg instanceof HttpContent) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            pending.add(msg); // a pipelined request: read after this answer
            return;
        }
        try {
            if (msg instanceof HttpRequest r) {
                onRequest(r);
            }
            if (msg instanceof HttpContent c && state == State.RECEIVING) {
                onContent(c);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest r) {
        if (state != State.IDLE) {
            return;
        }
        request = r;
        method = r.method().name();
        String uri = r.uri();
        int q = uri.indexOf('?');
        path = q < 0 ? uri : uri.substring(0, q);
        startedNanos = System.nanoTime();
        keepAlive = HttpUtil.isKeepAlive(r) && !s.draining().get();
        discarding = false;
        key = null;
        authorizationConsumed = false;
        traceId = headerOr(r.headers(), "x-portkey-trace-id", "");
        state = State.RECEIVING;
        s.metrics().requestStarted();
        s.inFlight().incrementAndGet();
        if (r.decoderResult().isFailure()) {
            Throwable cause = r.decoderResult().cause();
            keepAlive = false;
            path = "-";
            if (cause instanceof TooLongHttpHeaderException) {
                early(431, "request_header_fields_too_large", "the request headers are larger than the server's limit");
            } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
                early(414, "uri_too_long", "the request line is longer than 8192 bytes");
            } else {
                early(400, "invalid_request_error", "malformed HTTP request");
            }
            return;
        }
        health = path.equals("/health");
        metricsRoute = path.equals("/metrics");
        if (!health && !metricsRoute && path.startsWith("/v1/") && !authenticate(r.headers())) {
            return;
        }
        long length = HttpUtil.getContentLength(r, -1L);
        if (length > s.maxBodyBytes()) {
            keepAlive = false;
            early(
                    413,
                    "request_too_large",
                    "request body: Content-Length " + length + " is larger than the server's limit of "
                            + s.maxBodyBytes() + " bytes");
            return;
        }
        body = new BodyBuffer();
        bodyTimer = ctx.executor().schedule(this::bodyTooSlow, s.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The rule: the server key is {@code x-portkey-api-key}; else {@code Authorization: Bearer} when no {@code x-portkey-provider}. */
    private boolean authenticate(HttpHeaders h) {
        if (s.keys() == null) {
            return true;
        }
        String presented = h.get(PortkeyRequests.API_KEY);
        if (presented == null && h.get(PortkeyRequests.PROVIDER) == null) {
            presented = bearer(h);
            authorizationConsumed = presented != null;
        }
        if (presented == null) {
            keepAlive = false;
            early(
                    401,
                    "invalid_api_key",
                    h.get(PortkeyRequests.PROVIDER) != null
                            ? "no server API key: with x-portkey-provider, Authorization carries the provider's key and the"
                                    + " server key goes in x-portkey-api-key"
                            : "no server API key: send it in x-portkey-api-key or as Authorization: Bearer <key>");
            return false;
        }
        var found = s.keys().authenticate(presented.trim());
        if (found.isEmpty()) {
            keepAlive = false;
            early(401, "invalid_api_key", "the server API key is not valid");
            return false;
        }
        key = found.get();
        return true;
    }

    private static @Nullable String bearer(HttpHeaders h) {
        String a = h.get(HttpHeaderNames.AUTHORIZATION);
        if (a == null) {
            return null;
        }
        a = a.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
    }

    private void onContent(HttpContent c) {
        if (discarding) {
            return;
        }
        ByteBuf content = c.content();
        if (content.isReadable()) {
            if (body.size + content.readableBytes() > s.maxBodyBytes()) {
                keepAlive = false;
                early(
                        413,
                        "request_too_large",
                        "request body: larger than the server's limit of " + s.maxBodyBytes() + " bytes");
                return;
            }
            try {
                body.append(content);
            } catch (IOException e) {
                keepAlive = false;
                early(500, "server_error", "the request body could not be buffered: " + e.getMessage());
                return;
            }
        }
        if (c instanceof LastHttpContent) {
            cancelBodyTimer();
            state = State.WAITING;
            dispatch();
        }
    }

    private void bodyTooSlow() {
        if (state == State.RECEIVING && !discarding) {
            keepAlive = false;
            early(
                    408,
                    "request_timeout",
                    "the request body did not arrive within " + s.bodyTimeout().toMillis() + " ms");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (state == State.IDLE) {
                ctx.close(); // an idle keep-alive connection
            } else if (state == State.RECEIVING && !discarding) {
                keepAlive = false;
                early(408, "request_timeout", "the client sent nothing for too long in the middle of a request");
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void cancelBodyTimer() {
        if (bodyTimer != null) {
            bodyTimer.cancel(false);
            bodyTimer = null;
        }
    }

    // ------------------------------------------------------------------ handing the request to the gateway

    private void dispatch() {
        if (health) {
            ObjectNode o = Json.object().put("status", "ok");
            respondFull(200, "application/json", Json.bytes(o), Map.of());
            return;
        }
        if (metricsRoute) {
            respondFull(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    s.metrics().render(s.gateway().circuitBreakers()).getBytes(StandardCharsets.UTF_8),
                    Map.of());
            return;
        }
        if (!path.startsWith("/v1/")) {
            respondError(
                    404,
                    "invalid_request_error",
                    "not_found",
                    "no route for " + method + " " + excerpt(path)
                            + ": this server answers /v1/... (the OpenAI API), GET /health and GET /metrics");
            return;
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        String type =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("multipart/form-data")) {
            BodyBuffer b = body;
            try {
                s.blocking().execute(() -> {
                    MultipartBody parsed = null;
                    String problem = null;
                    try (InputStream in = b.open()) {
                        parsed = MultipartBody.parse(in, contentType, s.multipartMemoryLimit());
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    } catch (IOException | UncheckedIOException e) {
                        problem = "the multipart body could not be read: " + e.getMessage();
                    } finally {
                        b.discard();
                    }
                    MultipartBody f = parsed;
                    String p = problem;
                    ctx.executor().execute(() -> {
                        if (state != State.WAITING) {
                            if (f != null) {
                                f.close();
                            }
                            return;
                        }
                        if (f == null) {
                            respondError(400, "invalid_request_error", "invalid_multipart", p);
                        } else {
                            form = f;
                            send(f, null);
                        }
                    });
                });
            } catch (RejectedExecutionException e) {
                respondError(503, "server_error", "overloaded", "the server is shutting down");
            }
            return;
        }
        Object parsedBody = null;
        byte[] rawJson = null;
        if (body.size > 0) {
            byte[] bytes;
            try {
                bytes = body.bytes();
            } catch (IOException e) {
                respondError(500, "server_error", null, "the request body could not be read: " + e.getMessage());
                return;
            } finally {
                body.discard();
            }
            if (type.equals("application/json") || type.endsWith("+json") || (type.isEmpty() && looksLikeJson(bytes))) {
                JsonNode json;
                try {
                    Json.Parsed parsed = Json.parseKeepingSource(bytes);
                    json = parsed.json();
                    rawJson = parsed.source(); // exactly the tree: sent as it came when nothing rewrites it
                } catch (IllegalArgumentException e) {
                    respondError(
                            400,
                            "invalid_request_error",
                            "invalid_json",
                            "request body: not valid JSON (" + e.getMessage() + "), expected a JSON object");
                    return;
                }
                if (!json.isObject()) {
                    respondError(
                            400,
                            "invalid_request_error",
                            "invalid_json",
                            "request body: found a JSON "
                                    + json.getNodeType().toString().toLowerCase(Locale.ROOT)
                                    + ", expected a JSON object");
                    return;
                }
                parsedBody = json;
            } else {
                parsedBody = new BytesBody(bytes, contentType == null ? BytesBody.OCTET_STREAM : contentType);
            }
        } else {
            body.discard();
        }
        send(parsedBody, rawJson);
    }

    private static boolean looksLikeJson(byte[] b) {
        for (byte x : b) {
            if (x == ' ' || x == '\n' || x == '\r' || x == '\t') {
                continue;
            }
            return x == '{' || x == '[';
        }
        return false;
    }

    private void send(@Nullable Object parsedBody, byte @Nullable [] rawJson) {
        GatewayRequest.Builder b;
        try {
            b = GatewayRequest.builder(method, request.uri());
        } catch (IllegalArgumentException e) {
            respondError(400, "invalid_request_error", "invalid_path", e.getMessage());
            return;
        }
        HttpHeaders h = request.headers();
        boolean providerMode = h.get(PortkeyRequests.PROVIDER) != null;
        String providerKey = null;
        if (providerMode) {
            providerKey = bearer(h);
            if (providerKey == null) {
                providerKey = h.get("x-api-key");
            }
        }
        Map<String, String> lower = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : h) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (PortkeyRequests.NOT_FORWARDED.contains(name)) {
                continue;
            }
            if (name.equals("authorization") && (authorizationConsumed || providerMode)) {
                continue; // the server's key, or the provider key that goes into the request's config
            }
            if (name.equals("x-api-key") && providerMode) {
                continue;
            }
            b.addHeader(name, e.getValue());
            lower.merge(name, e.getValue(), (x, y) -> x + ", " + y);
        }
        try {
            PortkeyRequests.apply(b, lower, providerKey, s.configs(), key);
        } catch (PortkeyRequests.Refused r) {
            respondError(r.status, r.type, null, r.getMessage());
            return;
        }
        if (key != null) {
            key.metadata().forEach(b::metadata);
            b.metadata("api_key", key.name());
        }
        if (parsedBody instanceof JsonNode json && rawJson != null && json.isObject()) {
            b.body(json, rawJson);
        } else if (parsedBody instanceof JsonNode json) {
            b.body(json);
        } else if (parsedBody instanceof dev.switchboard.api.Body other) {
            b.body(other);
        }
        GatewayRequest gr;
        try {
            gr = b.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            respondError(400, "invalid_request_error", null, e.getMessage());
            return;
        }
        CompletableFuture<GatewayResponse> f;
        try {
            f = s.gateway().executeAsync(gr);
        } catch (IllegalStateException e) {
            respondError(503, "server_error", "gateway_closed", "the gateway is closed: the server is shutting down");
            return;
        }
        call = f;
        f.whenComplete((r, e) -> ctx.executor().execute(() -> onAnswer(f, r, e)));
    }

    // ------------------------------------------------------------------ writing the answer

    private void onAnswer(CompletableFuture<GatewayResponse> f, @Nullable GatewayResponse r, @Nullable Throwable e) {
        if (form != null) {
            form.close(); // the upload is no longer needed: the answer (or the stream's first event) is in
            form = null;
        }
        if (state != State.WAITING || call != f) {
            if (r != null) {
                discardAnswer(r);
            }
            return;
        }
        call = null;
        if (e != null || r == null) {
            LOG.warn("gateway call failed unexpectedly: {}", e == null ? "no answer" : e.toString());
            respondError(500, "server_error", "gateway_error", "internal gateway error");
            return;
        }
        traceId = r.header("x-portkey-trace-id").orElse(traceId);
        state = State.RESPONDING;
        status = r.status();
        if (r.isStream()) {
            writeStream(r);
        } else if (r.isBinaryStream()) {
            writeDownload(r);
        } else {
            byte[] bytes = r.bytes();
            respondFull(r.status(), r.contentType().orElse("application/json"), bytes, answerHeaders(r, false));
        }
    }

    private void discardAnswer(GatewayResponse r) {
        if (r.isStream()) {
            r.stream().close();
        } else if (r.isBinaryStream()) {
            s.blocking().execute(() -> {
                try {
                    r.inputStream().close();
                } catch (IOException | RuntimeException ignored) {
                    // nobody reads it any more
                }
            });
        }
    }

    /** The gateway's answer headers (Portkey's {@code x-portkey-*} and the provider's), without hop-by-hop ones. */
    private static Map<String, java.util.List<String>> answerHeaders(GatewayResponse r, boolean keepEncoding) {
        Map<String, java.util.List<String>> out = new LinkedHashMap<>();
        for (String name : r.headers().keySet()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (NOT_RETURNED.contains(n)
                    || n.equals("content-type")
                    || (!keepEncoding && n.equals("content-encoding"))) {
                continue;
            }
            out.put(n, r.headers(name));
        }
        return out;
    }

    private void applyHeaders(HttpResponse resp, Map<String, java.util.List<String>> headers) {
        headers.forEach((k, vs) -> vs.forEach(v -> resp.headers().add(k, v)));
        if (!resp.headers().contains("x-portkey-trace-id") && !traceId.isEmpty()) {
            resp.headers().set("x-portkey-trace-id", traceId);
        }
        if (!keepAlive || s.draining().get()) {
            keepAlive = false;
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private void respondFull(int code, String contentType, byte[] bytes, Map<String, java.util.List<String>> headers) {
        status = code;
        state = State.RESPONDING;
        FullHttpResponse resp = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(bytes));
        applyHeaders(resp, headers);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(resp, bytes.length);
        ctx.writeAndFlush(resp).addListener(done -> finished(done.isSuccess()));
    }

    private void respondError(int code, String type, @Nullable String errorCode, String message) {
        ObjectNode err = Json.object();
        ObjectNode e = err.putObject("error");
        e.put("message", message);
        e.put("type", type);
        e.putNull("param");
        if (errorCode == null) {
            e.putNull("code");
        } else {
            e.put("code", errorCode);
        }
        respondFull(code, "application/json", Json.bytes(err), Map.of());
    }

    /** An answer before the body was read (401, 408, 413, 431): the rest of the body is dropped, then the connection closed. */
    private void early(int code, String type, String message) {
        cancelBodyTimer();
        if (body != null) {
            body.discard();
            body = null;
        }
        discarding = true;
        keepAlive = false;
        state = State.WAITING;
        respondError(code, type, null, message);
    }

    private void writeStream(GatewayResponse r) {
        EventStream es = r.stream();
        stream = es;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
        applyHeaders(head, answerHeaders(r, false));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        es.publisher().subscribe(new Flow.Subscriber<ServerSentEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription sub) {
                ctx.executor().execute(() -> {
                    if (state != State.RESPONDING || stream != es) {
                        sub.cancel();
                        return;
                    }
                    subscription = sub;
                    sub.request(1);
                });
            }

            @Override
            public void onNext(ServerSentEvent event) {
                byte[] wire = event.toWireBytes();
                ctx.executor().execute(() -> {
                    if (stream != es || state != State.RESPONDING) {
                        return;
                    }
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(wire)))
                            .addListener(done -> {
                                if (!done.isSuccess()) {
                                    ctx.close();
                                    return;
                                }
                                whenWritable(() -> {
                                    Flow.Subscription sub = subscription;
                                    if (sub != null && stream == es) {
                                        sub.request(1);
                                    }
                                });
                            });
                });
            }

            @Override
            public void onError(Throwable t) {
                ctx.executor().execute(() -> endStream(es));
            }

            @Override
            public void onComplete() {
                ctx.executor().execute(() -> endStream(es));
            }
        });
    }

    private void endStream(EventStream es) {
        if (stream != es || state != State.RESPONDING) {
            return;
        }
        stream = null;
        subscription = null;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(done -> finished(done.isSuccess()));
    }

    /** Runs {@code next} now when the socket can take more, else once it can (the client drains at its pace). */
    private void whenWritable(Runnable next) {
        if (ctx.channel().isWritable()) {
            next.run();
        } else {
            awaitingWritability = true;
            onWritable = next;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && awaitingWritability) {
            awaitingWritability = false;
            Runnable r = onWritable;
            onWritable = null;
            if (r != null) {
                r.run();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void writeDownload(GatewayResponse r) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
        applyHeaders(head, answerHeaders(r, true));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType().orElse(BytesBody.OCTET_STREAM));
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        readChunk(r, null);
    }

    /** Reads the next chunk of a download on the blocking executor, then writes it here. */
    private void readChunk(GatewayResponse r, @Nullable InputStream opened) {
        try {
            s.blocking().execute(() -> {
                byte[] chunk = new byte[32 * 1024];
                int n;
                InputStream in = opened;
                try {
                    if (in == null) {
                        in = r.inputStream();
                    }
                    n = in.readNBytes(chunk, 0, 1); // block for the first byte only, then take what is there
                    if (n > 0) {
                        int more = Math.min(in.available(), chunk.length - 1);
                        if (more > 0) {
                            n += in.read(chunk, 1, more);
                        }
                    } else {
                        n = -1;
                    }
                } catch (IOException | RuntimeException e) {
                    n = -2;
                }
                InputStream stream = in;
                int read = n;
                ctx.executor().execute(() -> writeChunk(r, stream, chunk, read));
            });
        } catch (RejectedExecutionException e) {
            ctx.close();
        }
    }

    private void writeChunk(GatewayResponse r, @Nullable InputStream in, byte[] chunk, int n) {
        download = in;
        if (state != State.RESPONDING) {
            closeQuietly(in);
            return;
        }
        if (n == -2) {
            closeQuietly(in);
            download = null;
            ctx.close(); // the upstream failed mid-download: the client sees a cut chunked body
            return;
        }
        if (n < 0) {
            closeQuietly(in);
            download = null;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(done -> finished(done.isSuccess()));
            return;
        }
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk, 0, n)))
                .addListener(done -> {
                    if (!done.isSuccess()) {
                        ctx.close();
                        return;
                    }
                    whenWritable(() -> readChunk(r, in));
                });
    }

    private void closeQuietly(@Nullable InputStream in) {
        if (in == null) {
            return;
        }
        s.blocking().execute(() -> {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        });
    }

    /** The answer is written (or failed): log, count, and read the next request or close. */
    private void finished(boolean written) {
        if (state == State.CLOSED) {
            return;
        }
        endRequest(written ? status : 499);
        if (!written || !keepAlive || s.draining().get()) {
            state = State.CLOSED;
            ctx.close();
            return;
        }
        state = State.IDLE;
        while (!pending.isEmpty() && (state == State.IDLE || state == State.RECEIVING)) {
            channelRead(ctx, pending.poll()); // the next pipelined request, in order
        }
    }

    private void endRequest(int code) {
        long micros = (System.nanoTime() - startedNanos) / 1000;
        ACCESS.info(
                "{} {} {} {}ms trace={}{}",
                method,
                excerpt(path),
                code,
                String.format(Locale.ROOT, "%.1f", micros / 1000.0),
                traceId.isEmpty() ? "-" : excerpt(traceId),
                key == null ? "" : " key=" + key.name());
        s.metrics().httpAnswered(code);
        s.metrics().requestFinished();
        int left = s.inFlight().decrementAndGet();
        if (left == 0 && s.draining().get()) {
            synchronized (s.inFlight()) {
                s.inFlight().notifyAll();
            }
        }
        request = null;
        key = null;
        if (body != null) {
            body.discard();
            body = null;
        }
    }

    /** At shutdown: closes the connection now unless a request is under way (that one closes when answered). */
    void closeIfIdle(io.netty.channel.Channel c) {
        if (state == State.IDLE) {
            state = State.CLOSED;
            c.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        s.metrics().connectionClosed();
        cancelBodyTimer();
        if (call != null) {
            call.cancel(true); // the gateway cancels the upstream call and records the attempt
            call = null;
        }
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
        if (stream != null) {
            stream.close();
            stream = null;
        }
        if (download != null) {
            closeQuietly(download);
            download = null;
        }
        if (form != null) {
            form.close();
            form = null;
        }
        if (was == State.RECEIVING || was == State.WAITING || was == State.RESPONDING) {
            endRequest(499); // the client went away before its answer was written
        }
        while (!pending.isEmpty()) {
            ReferenceCountUtil.release(pending.poll());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("connection failed: {}", cause.toString());
        }
        ctx.close();
    }

    private static String headerOr(HttpHeaders h, String name, String dflt) {
        String v = h.get(name);
        return v == null ? dflt : v;
    }

    private static String excerpt(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 200 ? clean : clean.substring(0, 200) + "…";
    }

    /** A request body: in memory up to {@link #BODY_MEMORY}, the rest in a temporary file. */
    private static final class BodyBuffer {
        private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private @Nullable Path file;
        private @Nullable OutputStream out;
        long size;

        void append(ByteBuf buf) throws IOException {
            int n = buf.readableBytes();
            if (file == null && memory.size() + n <= BODY_MEMORY) {
                buf.readBytes(memory, n);
            } else {
                if (file == null) {
                    file = Files.createTempFile("switchboard-body-", ".tmp");
                    out = Files.newOutputStream(file);
                }
                buf.readBytes(out, n);
            }
            size += n;
        }

        InputStream open() throws IOException {
            if (out != null) {
                out.close();
                out = null;
            }
            InputStream head = new java.io.ByteArrayInputStream(memory.toByteArray());
            return file == null ? head : new SequenceInputStream(head, Files.newInputStream(file));
        }

        byte[] bytes() throws IOException {
            if (file == null) {
                return memory.toByteArray();
            }
            try (InputStream in = open()) {
                return in.readAllBytes();
            }
        }

        void discard() {
            try {
                if (out != null) {
                    out.close();
                    out = null;
                }
                if (file != null) {
                    Files.deleteIfExists(file);
                    file = null;
                }
            } catch (IOException ignored) {
                // a temp file left behind is removed by the OS's temp cleaning
            }
        }
    }
}
