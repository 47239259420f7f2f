package dev.switchboard.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.switchboard.Gateway;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LangChain4j's {@link HttpClient} backed by a {@link Gateway}: each LangChain4j request becomes a
 * {@link GatewayRequest} (method and URL path → {@link Endpoint}, the JSON body, the headers), and each
 * gateway answer a LangChain4j response. Made by {@link SwitchboardHttpClientBuilder}, which LangChain4j's
 * model builders take in {@code httpClientBuilder(...)}; {@link SwitchboardLangChain4j} does the wiring.
 *
 * <ul>
 *   <li>Served: {@code POST .../chat/completions} (blocking and streamed), {@code .../completions} and
 *       {@code .../embeddings}, whatever the base URL in front of them; every other OpenAI operation
 *       (LangChain4j's moderation and image models, …) under a base URL ending in {@code /v1}, passed
 *       through with its method and path. Anything else fails with {@link HttpException} 404
 *       {@code unsupported_endpoint} without calling the gateway.</li>
 *   <li>Headers reach the gateway as request headers: {@code x-portkey-metadata},
 *       {@code x-portkey-trace-id} and {@code x-portkey-config} (an inline JSON config override), set with
 *       the model builder's {@code customHeaders(...)}, are honoured by the gateway. The
 *       {@code Authorization} header carrying {@link SwitchboardLangChain4j#PLACEHOLDER_API_KEY} is dropped.
 *       Query parameters ({@code customQueryParams}) are not used: the gateway's config addresses the
 *       providers.</li>
 *   <li>Errors: an error status from the gateway is thrown ({@link #execute(HttpRequest)}) or passed to
 *       {@link ServerSentEventListener#onError} as {@link HttpException} with the status and the OpenAI
 *       error envelope as message, which LangChain4j maps to its exception types (400
 *       {@code InvalidRequestException}, 401/403 {@code AuthenticationException}, 408
 *       {@code TimeoutException}, 429 {@code RateLimitException}, 5xx {@code InternalServerException}).</li>
 *   <li>Streams: events reach the parser as they arrive, read on the builder's stream executor. A stream
 *       that fails after it started (the gateway's error event {@code {"error": {...}}}) ends with
 *       {@code onError} ({@link HttpException} 502, or 408 for {@code timeout_error}) instead of
 *       {@code onClose}, so a cut answer is never taken for a complete one. Cancelling through
 *       LangChain4j's streaming handle closes the gateway's stream, which cancels the upstream call.</li>
 * </ul>
 *
 * <p>The gateway owns retries: build LangChain4j models with {@code maxRetries(0)}. The gateway is shared
 * and never closed by this client.
 */
public final class SwitchboardHttpClient implements HttpClient {
    private static final List<Endpoint> SERVED =
            List.of(Endpoint.CHAT_COMPLETIONS, Endpoint.COMPLETIONS, Endpoint.EMBEDDINGS);
    private static final String PLACEHOLDER_AUTHORIZATION = "Bearer " + SwitchboardLangChain4j.PLACEHOLDER_API_KEY;
    /** Headers of LangChain4j's HTTP request that describe its transport, not the call: never passed on. */
    private static final Set<String> TRANSPORT_HEADERS =
            Set.of("content-type", "content-length", "host", "connection", "transfer-encoding");

    private static final String TIMEOUT_HEADER = "x-portkey-request-timeout";

    private final Gateway gateway;
    private final Long timeoutMs;
    private final Executor streamExecutor;

    SwitchboardHttpClient(Gateway gateway, Duration readTimeout, Executor streamExecutor) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.timeoutMs = readTimeout == null
                        || readTimeout.isZero()
                        || readTimeout.isNegative()
                        || readTimeout.equals(SwitchboardHttpClientBuilder.LANGCHAIN4J_DEFAULT_READ_TIMEOUT)
                ? null
                : Long.valueOf(Math.max(1, readTimeout.toMillis()));
        this.streamExecutor = streamExecutor == null ? StreamThreads.POOL : streamExecutor;
    }

    /**
     * Runs the request through the gateway and waits for the whole answer.
     *
     * @param request LangChain4j's request
     * @return the answer when its status is 2xx
     * @throws HttpException         for an error status (the gateway's, a provider's, or a request this
     *                               client does not serve), with the OpenAI error envelope as message
     * @throws IllegalStateException when the gateway is closed
     */
    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
        GatewayResponse r = gateway.execute(map(request));
        if (!r.isSuccess()) {
            throw failure(r);
        }
        byte[] body;
        if (r.isStream()) {
            try (InputStream wire = r.stream().asInputStream()) {
                body = wire.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the gateway's streamed answer failed", e);
            }
        } else if (r.isBinaryStream()) {
            try (InputStream in = r.inputStream()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the gateway's answer failed", e);
            }
        } else {
            body = r.bytes();
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(r.status())
                .headers(headers(r))
                .body(body)
                .build();
    }

    /**
     * Runs the request through the gateway and returns at once; the answer is handed to {@code listener}
     * on the stream executor: {@code onOpen}, then each event as it arrives (parsed by {@code parser}),
     * then exactly one of {@code onClose} (the stream ended) or {@code onError} (an error status, a
     * stream that failed after it started, or a closed gateway).
     *
     * @param request  LangChain4j's request
     * @param parser   the parser that turns the SSE bytes into events
     * @param listener the listener
     */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(listener, "listener");
        CompletableFuture<GatewayResponse> answer;
        try {
            answer = gateway.executeAsync(map(request));
        } catch (RuntimeException e) {
            run(() -> tell(() -> listener.onError(e)));
            return;
        }
        answer.whenComplete((r, t) -> run(() -> {
            if (t != null) {
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                tell(() -> listener.onError(cause));
            } else {
                deliver(r, parser, listener);
            }
        }));
    }

    @Override
    public String toString() {
        return "SwitchboardHttpClient{" + gateway + "}";
    }

    /** Runs {@code task} on the stream executor, or on a fresh daemon thread when it refuses. */
    private void run(Runnable task) {
        try {
            streamExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            Thread t = new Thread(task, "switchboard-langchain4j-stream-overflow");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void deliver(GatewayResponse r, ServerSentEventParser parser, ServerSentEventListener listener) {
        if (!r.isSuccess()) {
            HttpException e = failure(r);
            tell(() -> listener.onError(e));
            return;
        }
        SuccessfulHttpResponse open = SuccessfulHttpResponse.builder()
                .statusCode(r.status())
                .headers(headers(r))
                .build();
        tell(() -> listener.onOpen(open));
        InputStream wire = r.isStream()
                ? r.stream().asInputStream()
                : r.isBinaryStream() ? r.inputStream() : new ByteArrayInputStream(r.bytes());
        ErrorWatch watch = new ErrorWatch(listener, wire);
        try (wire) {
            parser.parse(wire, watch);
        } catch (IOException | RuntimeException e) {
            watch.onError(e);
        }
        if (watch.streamError != null) {
            HttpException e = watch.streamError;
            tell(() -> listener.onError(e));
        } else if (!watch.failed) {
            tell(listener::onClose);
        }
    }

    /** Calls a listener method; what it throws is its own business and must not stop the stream's end. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // LangChain4j's own clients ignore listener exceptions the same way (ServerSentEventListenerUtils)
        }
    }

    /**
     * Passes events on to LangChain4j's listener until the gateway's error event, which it keeps back:
     * the stream then ends with {@code onError} rather than with a parse of the error envelope as a chunk.
     */
    private static final class ErrorWatch implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private final InputStream wire;
        private volatile HttpException streamError;
        private volatile boolean failed;

        ErrorWatch(ServerSentEventListener delegate, InputStream wire) {
            this.delegate = delegate;
            this.wire = wire;
        }

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            // already told, before parsing started
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            if (!stopped(event)) {
                delegate.onEvent(event, context);
            }
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            if (!stopped(event)) {
                delegate.onEvent(event);
            }
        }

        /** True when nothing more may reach the listener: an error was seen, now or before. */
        private boolean stopped(ServerSentEvent event) {
            if (streamError != null || failed) {
                return true;
            }
            HttpException e = streamError(event);
            if (e == null) {
                return false;
            }
            streamError = e;
            try {
                wire.close(); // ends the parse and cancels the upstream if it is still open
            } catch (IOException | RuntimeException ignored) {
                // closing is best effort; the error is reported either way
            }
            return true;
        }

        @Override
        public void onError(Throwable throwable) {
            if (streamError != null || failed) {
                return;
            }
            failed = true;
            tell(() -> delegate.onError(throwable));
        }

        @Override
        public void onClose() {
            // the client reports the end itself, once the parser has returned
        }
    }

    /**
     * The failure an event reports: an {@code error} event, or the OpenAI error envelope the gateway sends
     * as the last event of a stream that failed after it started; null for any other event.
     */
    static HttpException streamError(ServerSentEvent event) {
        String data = event.data();
        boolean named = "error".equals(event.event());
        if (!named && (data == null || !data.contains("\"error\""))) {
            return null;
        }
        JsonNode error = null;
        try {
            JsonNode json = data == null ? null : Json.parse(data);
            error = json != null && json.isObject() ? json.get("error") : null;
        } catch (IllegalArgumentException notJson) {
            // an error event whose data is not JSON is still an error
        }
        if (error == null || !error.isObject()) {
            return named ? new HttpException(502, data == null ? "the stream failed" : data) : null;
        }
        int status = "timeout_error".equals(error.path("type").asText()) ? 408 : 502;
        return new HttpException(status, data);
    }

    private static HttpException failure(GatewayResponse r) {
        String body;
        if (r.isStream()) {
            r.stream().close();
            body = "HTTP " + r.status();
        } else if (r.isBinaryStream()) {
            try (InputStream in = r.inputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "HTTP " + r.status();
            }
        } else {
            body = r.bodyAsString();
        }
        return new HttpException(r.status(), body);
    }

    private static Map<String, List<String>> headers(GatewayResponse r) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : r.headers().keySet()) {
            out.put(name, r.headers(name));
        }
        return out;
    }

    private GatewayRequest map(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        String method = request.method().name();
        String path = pathOf(request.url());
        Endpoint endpoint = endpoint(method, path);
        // any other OpenAI operation (moderations, images, files…) under a .../v1/ base URL passes through
        int v1 = path.indexOf("/v1/");
        if (endpoint == null && v1 < 0) {
            throw refusal(
                    404,
                    "Switchboard's LangChain4j HTTP client cannot address " + method + " " + path
                            + ": it serves .../chat/completions, .../completions and .../embeddings under any base URL,"
                            + " and every other OpenAI operation under a base URL ending in /v1",
                    "unsupported_endpoint");
        }
        GatewayRequest.Builder b;
        try {
            b = endpoint != null
                    ? GatewayRequest.builder(endpoint)
                    : GatewayRequest.builder(method, path.substring(v1));
        } catch (IllegalArgumentException e) {
            throw refusal(400, e.getMessage(), "invalid_request");
        }
        if (endpoint == null && request.body() == null) {
            return headersAndBuild(b, request); // a GET or DELETE on an existing object
        }
        String body = request.body();
        if (body == null) {
            throw refusal(
                    400,
                    method + " " + path + ": found a request without a JSON body"
                            + (request.formDataFields().isEmpty()
                                            && request.formDataFiles().isEmpty()
                                    ? ""
                                    : " (a multipart form)")
                            + ", expected a JSON object",
                    "invalid_request_body");
        }
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw refusal(
                    400,
                    method + " " + path + ": found a request body that is not JSON, expected a JSON object",
                    "invalid_request_body");
        }
        if (json == null || !json.isObject()) {
            throw refusal(
                    400,
                    method + " " + path + ": found a JSON "
                            + (json == null
                                    ? "null"
                                    : json.getNodeType().toString().toLowerCase(Locale.ROOT))
                            + " body, expected a JSON object",
                    "invalid_request_body");
        }
        b.body(json);
        return headersAndBuild(b, request);
    }

    private GatewayRequest headersAndBuild(GatewayRequest.Builder b, HttpRequest request) {
        boolean hasTimeout = false;
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (TRANSPORT_HEADERS.contains(lower) || h.getValue() == null) {
                continue;
            }
            List<String> values = h.getValue();
            if (lower.equals("authorization")) {
                values = values.stream()
                        .filter(v -> !PLACEHOLDER_AUTHORIZATION.equals(v))
                        .toList();
            }
            if (!values.isEmpty()) {
                b.header(lower, String.join(", ", values));
                hasTimeout |= lower.equals(TIMEOUT_HEADER);
            }
        }
        if (timeoutMs != null && !hasTimeout) {
            b.header(TIMEOUT_HEADER, Long.toString(timeoutMs));
        }
        return b.build();
    }

    /** The URL's path; the URL itself never leaves the JVM and is not looked up. */
    private static String pathOf(String url) {
        try {
            String p = URI.create(url).getRawPath();
            return p == null || p.isEmpty() ? "/" : p;
        } catch (IllegalArgumentException e) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
        }
    }

    /** The served endpoint the path ends with ({@code <any base>/chat/completions}), or null. */
    private static Endpoint endpoint(String method, String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (Endpoint e : SERVED) { // chat/completions before completions: the longer suffix first
            if (e.method().equals(method) && (p.equals(e.path()) || p.endsWith(e.relativePath()))) {
                return e;
            }
        }
        return null;
    }

    private static HttpException refusal(int status, String message, String code) {
        return new HttpException(
                status,
                new String(
                        Json.bytes(ErrorBody.of(message, "invalid_request_error", null, code)),
                        StandardCharsets.UTF_8));
    }

    /** The default stream executor: daemon threads made as needed, ended after 60 s idle. */
    private static final class StreamThreads {
        static final ExecutorService POOL;

        static {
            AtomicInteger n = new AtomicInteger();
            POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "switchboard-langchain4j-stream-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        private StreamThreads() {}
    }
}
