package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@link StubUpstream} answers to one request: an immutable value made with a static factory
 * and refined with withers, each returning a new value.
 *
 * <pre>{@code
 * stub.enqueue(StubResponse.error(429, "slow down").retryAfter("2"));   // a throttled answer
 * stub.enqueue(StubResponse.chatStream("Hel", "lo").cutAfterEvents(2)); // a stream that dies midway
 * stub.enqueue(StubResponse.resetConnection());                         // TCP reset, no bytes sent
 * stub.enqueue(StubResponse.chatCompletion("ok").delay(Duration.ofMillis(50)));
 * }</pre>
 *
 * <p>Factories that produce OpenAI payloads adapt to the request they answer: a chat completion
 * echoes the request's {@code model}, a chat stream adds the usage chunk only when the request set
 * {@code stream_options.include_usage}, embeddings return one vector per input.
 *
 * <p>Streams are sent with {@code Transfer-Encoding: chunked}; each element (an SSE event, or one
 * chunk of {@link #rawStream}) is written as its own chunk and flushed at once.
 */
public final class StubResponse {
    /** How the stub answers; the writer switches on it. */
    enum Kind {
        BODY,
        STREAM,
        RESET,
        HANG,
        ADAPTIVE,
        GENERATED
    }

    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";
    private static final byte[] DONE = ServerSentEvent.DONE.toWireBytes();

    private final Kind kind;
    private final int status;
    private final Map<String, String> headers;
    private final Function<RecordedRequest, byte[]> body;
    private final Function<RecordedRequest, List<byte[]>> chunks;
    private final Function<RecordedRequest, StubResponse> adaptive;
    private final Duration delay;
    private final Duration eventDelay;
    private final int cutAfterEvents;
    private final boolean stall;
    private final long generatedLength;
    private final byte[] generatedPrefix;
    private final byte generatedFill;

    private StubResponse(
            Kind kind,
            int status,
            Map<String, String> headers,
            Function<RecordedRequest, byte[]> body,
            Function<RecordedRequest, List<byte[]>> chunks,
            Function<RecordedRequest, StubResponse> adaptive,
            Duration delay,
            Duration eventDelay,
            int cutAfterEvents) {
        this(kind, status, headers, body, chunks, adaptive, delay, eventDelay, cutAfterEvents, false, 0, null, (byte)
                0);
    }

    private StubResponse(
            Kind kind,
            int status,
            Map<String, String> headers,
            Function<RecordedRequest, byte[]> body,
            Function<RecordedRequest, List<byte[]>> chunks,
            Function<RecordedRequest, StubResponse> adaptive,
            Duration delay,
            Duration eventDelay,
            int cutAfterEvents,
            boolean stall,
            long generatedLength,
            byte[] generatedPrefix,
            byte generatedFill) {
        this.stall = stall;
        this.generatedLength = generatedLength;
        this.generatedPrefix = generatedPrefix;
        this.generatedFill = generatedFill;
        this.kind = kind;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.chunks = chunks;
        this.adaptive = adaptive;
        this.delay = delay;
        this.eventDelay = eventDelay;
        this.cutAfterEvents = cutAfterEvents;
    }

    private static StubResponse body(int status, String contentType, Function<RecordedRequest, byte[]> body) {
        return new StubResponse(
                Kind.BODY,
                checkStatus(status),
                contentType(contentType),
                body,
                null,
                null,
                Duration.ZERO,
                Duration.ZERO,
                -1);
    }

    private static StubResponse stream(String contentType, Function<RecordedRequest, List<byte[]>> chunks) {
        Map<String, String> h = contentType(contentType);
        if (EVENT_STREAM.equals(contentType)) {
            h.put("cache-control", "no-cache");
        }
        return new StubResponse(Kind.STREAM, 200, h, null, chunks, null, Duration.ZERO, Duration.ZERO, -1);
    }

    private static Map<String, String> contentType(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("content-type", contentType);
        }
        return h;
    }

    // ---- bodies --------------------------------------------------------------------------------

    /**
     * A JSON answer with the given status and body text (sent as is, even if not valid JSON).
     *
     * @param status the HTTP status, 200–999
     * @param body   the body text
     * @return the response
     */
    public static StubResponse json(int status, String body) {
        byte[] bytes = Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8);
        return body(status, JSON, req -> bytes);
    }

    /**
     * A JSON answer with the given status and body tree.
     *
     * @param status the HTTP status, 200–999
     * @param body   the body
     * @return the response
     */
    public static StubResponse json(int status, JsonNode body) {
        byte[] bytes = Json.bytes(Objects.requireNonNull(body, "body"));
        return body(status, JSON, req -> bytes);
    }

    /**
     * A 200 OpenAI {@code chat.completion} whose single choice says {@code content}, with usage
     * 10 prompt / 5 completion / 15 total tokens. The model is the request's {@code model}, or
     * {@code gpt-4o-mini} when the request names none.
     *
     * @param content the assistant message
     * @return the response
     */
    public static StubResponse chatCompletion(String content) {
        return chatCompletion(content, OpenAiPayloads.DEFAULT_PROMPT_TOKENS, OpenAiPayloads.DEFAULT_COMPLETION_TOKENS);
    }

    /**
     * Like {@link #chatCompletion(String)} with the given usage figures.
     *
     * @param content          the assistant message
     * @param promptTokens     {@code usage.prompt_tokens}, at least 0
     * @param completionTokens {@code usage.completion_tokens}, at least 0
     * @return the response
     */
    public static StubResponse chatCompletion(String content, int promptTokens, int completionTokens) {
        Objects.requireNonNull(content, "content");
        checkTokens(promptTokens, completionTokens);
        return body(
                200,
                JSON,
                req -> Json.bytes(OpenAiPayloads.chatCompletion(
                        OpenAiPayloads.model(req.jsonOrNull(), OpenAiPayloads.DEFAULT_CHAT_MODEL),
                        content,
                        promptTokens,
                        completionTokens)));
    }

    /**
     * An OpenAI error envelope {@code {"error":{"message","type","param","code"}}} with a type that
     * fits the status: 400/404/409/413/415/422 {@code invalid_request_error}, 401
     * {@code authentication_error}, 403 {@code permission_error}, 429 {@code rate_limit_error},
     * 5xx {@code server_error}, anything else {@code api_error}.
     *
     * @param status  the HTTP status, 200–999
     * @param message the error message
     * @return the response
     */
    public static StubResponse error(int status, String message) {
        Objects.requireNonNull(message, "message");
        byte[] bytes = Json.bytes(OpenAiPayloads.error(status, message));
        return body(status, JSON, req -> bytes);
    }

    /**
     * A 200 OpenAI embeddings list with one {@code dims}-long vector per input of the request
     * (deterministic values), echoing the request's model ({@code text-embedding-3-small} if none).
     *
     * @param dims the vector length, at least 1
     * @return the response
     */
    public static StubResponse embeddings(int dims) {
        if (dims < 1) {
            throw new IllegalArgumentException("embeddings dims must be >= 1, got " + dims);
        }
        return body(200, JSON, req -> Json.bytes(OpenAiPayloads.embeddings(req.jsonOrNull(), dims)));
    }

    /**
     * Any bytes with any status and content type.
     *
     * @param status      the HTTP status, 200–999
     * @param contentType the {@code content-type}; null sends none
     * @param body        the body; copied
     * @return the response
     */
    public static StubResponse raw(int status, String contentType, byte[] body) {
        byte[] bytes = Objects.requireNonNull(body, "body").clone();
        return body(status, contentType, req -> bytes);
    }

    /**
     * A response claiming JSON ({@code application/json}) whose body is the truncated document <code>{"id": "x", "choices": [</code>.
     *
     * @param status the HTTP status, 200–999
     * @return the response
     */
    public static StubResponse malformedJson(int status) {
        return json(status, "{\"id\": \"x\", \"choices\": [");
    }

    // ---- streams -------------------------------------------------------------------------------

    /**
     * A 200 SSE stream: each payload becomes {@code data: <payload>\n\n}, followed by
     * {@code data: [DONE]\n\n}. Every event is one flushed chunk.
     *
     * @param dataPayloads the {@code data} of each event, in order
     * @return the response
     */
    public static StubResponse sse(List<String> dataPayloads) {
        List<byte[]> events = new ArrayList<>(dataPayloads.size() + 1);
        for (String payload : dataPayloads) {
            events.add(ServerSentEvent.data(Objects.requireNonNull(payload, "payload"))
                    .toWireBytes());
        }
        events.add(DONE);
        List<byte[]> fixed = Collections.unmodifiableList(events);
        return stream(EVENT_STREAM, req -> fixed);
    }

    /**
     * A 200 OpenAI chat stream: a first chunk with {@code delta.role:"assistant"} and empty content,
     * one chunk per token, a finish chunk ({@code finish_reason:"stop"}, empty delta), then — only
     * if the request set {@code stream_options.include_usage:true} — a usage chunk with
     * {@code choices:[]} (prompt 10, completion = number of tokens), then {@code [DONE]}.
     *
     * @param tokens the content pieces, one chunk each
     * @return the response
     */
    public static StubResponse chatStream(String... tokens) {
        List<String> list = List.of(tokens);
        return stream(EVENT_STREAM, req -> {
            JsonNode json = req.jsonOrNull();
            List<byte[]> events = new ArrayList<>();
            for (String payload : OpenAiPayloads.chatChunks(
                    OpenAiPayloads.model(json, OpenAiPayloads.DEFAULT_CHAT_MODEL),
                    list,
                    OpenAiPayloads.wantsStreamUsage(json))) {
                events.add(ServerSentEvent.data(payload).toWireBytes());
            }
            events.add(DONE);
            return events;
        });
    }

    /**
     * A 200 stream of arbitrary bytes, each element written and flushed as its own chunk — for
     * other providers' stream formats (named SSE events, newline-delimited JSON, binary frames).
     *
     * @param contentType the {@code content-type}; null sends none
     * @param chunks      the chunks, in order; copied
     * @return the response
     */
    public static StubResponse rawStream(String contentType, List<byte[]> chunks) {
        List<byte[]> copy = new ArrayList<>(chunks.size());
        for (byte[] c : chunks) {
            copy.add(Objects.requireNonNull(c, "chunk").clone());
        }
        List<byte[]> fixed = Collections.unmodifiableList(copy);
        return stream(contentType, req -> fixed);
    }

    // ---- faults --------------------------------------------------------------------------------

    /** {@return a fault: the stub reads the request, then resets the TCP connection (RST) without sending a single byte} */
    public static StubResponse resetConnection() {
        return new StubResponse(Kind.RESET, 200, Map.of(), null, null, null, Duration.ZERO, Duration.ZERO, -1);
    }

    /**
     * {@return a fault: the stub reads the request, then sends nothing until the stub is closed or the
     * client disconnects} For testing client timeouts.
     */
    public static StubResponse hang() {
        return new StubResponse(Kind.HANG, 200, Map.of(), null, null, null, Duration.ZERO, Duration.ZERO, -1);
    }

    /**
     * The stub's initial default: a chat completion saying "Hello from the stub", streamed when the
     * request sets {@code "stream": true}, and an 8-dimension embeddings list for paths ending in
     * {@code /embeddings}.
     */
    static StubResponse openAiDefault() {
        String text = "Hello from the stub";
        StubResponse completion = chatCompletion(text);
        StubResponse stream = chatStream(OpenAiPayloads.words(text).toArray(new String[0]));
        StubResponse embeddings = embeddings(8);
        return new StubResponse(
                Kind.ADAPTIVE,
                200,
                Map.of(),
                null,
                null,
                req -> {
                    if (req.path().endsWith("/embeddings")) {
                        return embeddings;
                    }
                    return OpenAiPayloads.wantsStream(req.jsonOrNull()) ? stream : completion;
                },
                Duration.ZERO,
                Duration.ZERO,
                -1);
    }

    // ---- withers -------------------------------------------------------------------------------

    /**
     * The same response with another status.
     *
     * @param status 200–999; Portkey-style codes like 246 or 446 are fine
     * @return a new response
     */
    public StubResponse status(int status) {
        return new StubResponse(
                kind,
                checkStatus(status),
                headers,
                body,
                chunks,
                adaptive,
                delay,
                eventDelay,
                cutAfterEvents,
                stall,
                generatedLength,
                generatedPrefix,
                generatedFill);
    }

    /**
     * The same response with a header added or replaced.
     *
     * @param name  the header name, case-insensitive; no {@code :}, CR or LF
     * @param value the value; no CR or LF
     * @return a new response
     */
    public StubResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || containsLineBreak(name) || containsLineBreak(value) || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("invalid response header '" + name + "': names must be non-empty"
                    + " without ':', and neither name nor value may contain CR or LF");
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), value);
        return new StubResponse(
                kind,
                status,
                h,
                body,
                chunks,
                adaptive,
                delay,
                eventDelay,
                cutAfterEvents,
                stall,
                generatedLength,
                generatedPrefix,
                generatedFill);
    }

    /**
     * The same response with {@code retry-after: <value>}.
     *
     * @param value seconds, or an HTTP date
     * @return a new response
     */
    public StubResponse retryAfter(String value) {
        return header("retry-after", value);
    }

    /**
     * The same response, held back before the status line is written.
     *
     * @param delay how long; not negative
     * @return a new response
     */
    public StubResponse delay(Duration delay) {
        return new StubResponse(
                kind,
                status,
                headers,
                body,
                chunks,
                adaptive,
                checkDuration("delay", delay),
                eventDelay,
                cutAfterEvents,
                stall,
                generatedLength,
                generatedPrefix,
                generatedFill);
    }

    /**
     * The same stream with a pause between consecutive chunks.
     *
     * @param delay the pause; not negative
     * @return a new response
     */
    public StubResponse eventDelay(Duration delay) {
        return new StubResponse(
                kind,
                status,
                headers,
                body,
                chunks,
                adaptive,
                this.delay,
                checkDuration("eventDelay", delay),
                cutAfterEvents,
                stall,
                generatedLength,
                generatedPrefix,
                generatedFill);
    }

    /**
     * The same response, cut short: a stream sends its first {@code n} chunks (events, including
     * {@code [DONE]} if n reaches it) and then the socket is closed without the chunked terminator.
     * A plain body sends its headers (with the full {@code content-length}) and the first half of the
     * body, then closes. Either way the client sees a truncated response, never a complete one.
     *
     * @param n the chunks sent before the cut, at least 0
     * @return a new response
     */
    public StubResponse cutAfterEvents(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cutAfterEvents must be >= 0, got " + n);
        }
        return new StubResponse(
                kind,
                status,
                headers,
                body,
                chunks,
                adaptive,
                delay,
                eventDelay,
                n,
                false,
                generatedLength,
                generatedPrefix,
                generatedFill);
    }

    /**
     * The same response, stalled: a stream sends its first {@code n} chunks, a plain body its headers
     * (with the full {@code content-length}) and the first half of the body; then the stub sends
     * nothing more and holds the connection open until the client closes it or the stub is closed
     * ({@link StubUpstream#openConnections()} shows when the client let go).
     *
     * @param n the chunks sent before the stall, at least 0
     * @return a new response
     */
    public StubResponse stallAfterEvents(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("stallAfterEvents must be >= 0, got " + n);
        }
        return new StubResponse(
                kind,
                status,
                headers,
                body,
                chunks,
                adaptive,
                delay,
                eventDelay,
                n,
                true,
                generatedLength,
                generatedPrefix,
                generatedFill);
    }

    /**
     * A generated body, never held in memory: {@code prefix}, then {@code fill} bytes up to
     * {@code length} bytes in all (sent with that {@code content-length}), or — when {@code length} is
     * negative — without end, chunked, until the client closes the connection. For testing size caps:
     * a huge JSON answer (a prefix such as <code>{"x":"</code>, so it never closes), or an SSE line that
     * never ends (the prefix {@code data: }).
     *
     * @param status      the status
     * @param contentType the content type
     * @param prefix      the first bytes
     * @param fill        the byte repeated after them
     * @param length      the body's total length, or negative for an endless body
     * @return the response
     */
    public static StubResponse generated(int status, String contentType, String prefix, char fill, long length) {
        return new StubResponse(
                Kind.GENERATED,
                checkStatus(status),
                contentType(contentType),
                null,
                null,
                null,
                Duration.ZERO,
                Duration.ZERO,
                -1,
                false,
                length,
                prefix.getBytes(StandardCharsets.UTF_8),
                (byte) fill);
    }

    // ---- what the writer reads -----------------------------------------------------------------

    /** The concrete response for this request (resolves the adaptive default). */
    StubResponse resolve(RecordedRequest request) {
        return kind == Kind.ADAPTIVE ? adaptive.apply(request).resolve(request) : this;
    }

    Kind kind() {
        return kind;
    }

    int statusCode() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    byte[] bodyFor(RecordedRequest request) {
        return body.apply(request);
    }

    List<byte[]> chunksFor(RecordedRequest request) {
        return chunks.apply(request);
    }

    Duration delay() {
        return delay;
    }

    Duration eventDelay() {
        return eventDelay;
    }

    /** -1 when the response is not cut. */
    int cutAfter() {
        return cutAfterEvents;
    }

    /** Whether the response stalls at {@link #cutAfter()} instead of closing. */
    boolean stalls() {
        return stall;
    }

    long generatedLength() {
        return generatedLength;
    }

    byte[] generatedPrefix() {
        return generatedPrefix;
    }

    byte generatedFill() {
        return generatedFill;
    }

    private static int checkStatus(int status) {
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("status must be between 200 and 999, got " + status);
        }
        return status;
    }

    private static void checkTokens(int promptTokens, int completionTokens) {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, got prompt=" + promptTokens + " completion=" + completionTokens);
        }
    }

    private static Duration checkDuration(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }

    private static boolean containsLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    @Override
    public String toString() {
        return "StubResponse{" + kind + (kind == Kind.BODY || kind == Kind.STREAM ? " " + status : "")
                + ", headers=" + headers.keySet()
                + (delay.isZero() ? "" : ", delay=" + delay)
                + (eventDelay.isZero() ? "" : ", eventDelay=" + eventDelay)
                + (cutAfterEvents < 0 ? "" : (stall ? ", stallAfterEvents=" : ", cutAfterEvents=") + cutAfterEvents)
                + (kind == Kind.GENERATED ? ", length=" + generatedLength : "") + "}";
    }
}
