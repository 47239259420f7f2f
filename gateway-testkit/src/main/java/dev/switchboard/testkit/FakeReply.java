package dev.switchboard.testkit;

import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What {@link FakeTransport} answers to one request: an immutable value made with a static factory
 * and refined with withers. A reply can be reused: every send gets a fresh body publisher.
 *
 * <pre>{@code
 * transport.enqueue(FakeReply.json(503, "{\"error\":{\"message\":\"overloaded\"}}").header("retry-after", "1"));
 * transport.enqueue(FakeReply.failure(new ConnectException("refused")));
 * transport.enqueue(FakeReply.chatStream("Hel", "lo").cutAfter(2)); // body fails after 2 chunks
 * }</pre>
 *
 * <p>OpenAI payload factories ({@link #chatCompletion}, {@link #chatStream}) produce the same shapes
 * as {@link StubResponse}'s and echo the request's {@code model}; their bytes are rendered once per
 * model and reused, so the fake costs almost nothing in benchmarks.
 */
public final class FakeReply {
    private static final byte[] DONE = ServerSentEvent.DONE.toWireBytes();
    /** Bounds the per-reply render cache; beyond it answers are rendered on every call. */
    private static final int MAX_CACHED_VARIANTS = 64;

    private final int status;
    private final Map<String, String> headers;
    private final Function<UpstreamRequest, List<byte[]>> chunks;
    private final IOException failure;
    private final int cutAfter;
    /** Non-null only for the default reply, which picks a concrete reply per request. */
    private final Function<UpstreamRequest, FakeReply> adaptive;

    private FakeReply(
            int status,
            Map<String, String> headers,
            Function<UpstreamRequest, List<byte[]>> chunks,
            IOException failure,
            int cutAfter) {
        this(status, headers, chunks, failure, cutAfter, null);
    }

    private FakeReply(
            int status,
            Map<String, String> headers,
            Function<UpstreamRequest, List<byte[]>> chunks,
            IOException failure,
            int cutAfter,
            Function<UpstreamRequest, FakeReply> adaptive) {
        this.status = status;
        this.headers = headers;
        this.chunks = chunks;
        this.failure = failure;
        this.cutAfter = cutAfter;
        this.adaptive = adaptive;
    }

    private static FakeReply of(int status, String contentType, Function<UpstreamRequest, List<byte[]>> chunks) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("content-type", contentType);
        }
        return new FakeReply(checkStatus(status), Collections.unmodifiableMap(h), chunks, null, -1);
    }

    private static FakeReply fixed(int status, String contentType, List<byte[]> chunks) {
        List<byte[]> copy = new ArrayList<>(chunks.size());
        for (byte[] c : chunks) {
            copy.add(Objects.requireNonNull(c, "chunk").clone());
        }
        List<byte[]> immutable = Collections.unmodifiableList(copy);
        return of(status, contentType, req -> immutable);
    }

    /**
     * A JSON answer with the given status and body text (sent as is).
     *
     * @param status the HTTP status, 200–999
     * @param body   the body text
     * @return the reply
     */
    public static FakeReply json(int status, String body) {
        return fixed(
                status,
                StubResponse.JSON,
                List.of(Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * An OpenAI error envelope, with the same status-to-type table as {@link StubResponse#error}.
     *
     * @param status  the HTTP status, 200–999
     * @param message the error message
     * @return the reply
     */
    public static FakeReply error(int status, String message) {
        Objects.requireNonNull(message, "message");
        return fixed(status, StubResponse.JSON, List.of(Json.bytes(OpenAiPayloads.error(status, message))));
    }

    /**
     * A 200 OpenAI {@code chat.completion} saying {@code content} (usage 10 / 5 / 15), echoing the
     * request's model ({@code gpt-4o-mini} if none) — the same shape as {@link StubResponse#chatCompletion(String)}.
     *
     * @param content the assistant message
     * @return the reply
     */
    public static FakeReply chatCompletion(String content) {
        return chatCompletion(content, OpenAiPayloads.DEFAULT_PROMPT_TOKENS, OpenAiPayloads.DEFAULT_COMPLETION_TOKENS);
    }

    /**
     * Like {@link #chatCompletion(String)} with the given usage figures.
     *
     * @param content          the assistant message
     * @param promptTokens     {@code usage.prompt_tokens}, at least 0
     * @param completionTokens {@code usage.completion_tokens}, at least 0
     * @return the reply
     */
    public static FakeReply chatCompletion(String content, int promptTokens, int completionTokens) {
        Objects.requireNonNull(content, "content");
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, got prompt=" + promptTokens + " completion=" + completionTokens);
        }
        return of(
                200,
                StubResponse.JSON,
                perModel(facts -> List.of(Json.bytes(OpenAiPayloads.chatCompletion(
                        facts.modelOr(OpenAiPayloads.DEFAULT_CHAT_MODEL), content, promptTokens, completionTokens)))));
    }

    /**
     * A 200 OpenAI chat stream, the same events as {@link StubResponse#chatStream}: role chunk, one
     * chunk per token, finish chunk, a usage chunk only if the request set
     * {@code stream_options.include_usage}, then {@code [DONE]}; one body chunk per event.
     *
     * @param tokens the content pieces, one chunk each
     * @return the reply
     */
    public static FakeReply chatStream(String... tokens) {
        List<String> list = List.of(tokens);
        return of(200, StubResponse.EVENT_STREAM, perModel(facts -> {
            List<byte[]> events = new ArrayList<>();
            for (String payload : OpenAiPayloads.chatChunks(
                    facts.modelOr(OpenAiPayloads.DEFAULT_CHAT_MODEL), list, facts.includeUsage())) {
                events.add(ServerSentEvent.data(payload).toWireBytes());
            }
            events.add(DONE);
            return Collections.unmodifiableList(events);
        }));
    }

    /**
     * A 200 SSE body: one chunk {@code data: <payload>\n\n} per payload, then {@code data: [DONE]\n\n}.
     *
     * @param dataPayloads the {@code data} of each event, in order
     * @return the reply
     */
    public static FakeReply sse(List<String> dataPayloads) {
        List<byte[]> events = new ArrayList<>(dataPayloads.size() + 1);
        for (String payload : dataPayloads) {
            events.add(ServerSentEvent.data(Objects.requireNonNull(payload, "payload"))
                    .toWireBytes());
        }
        events.add(DONE);
        return fixed(200, StubResponse.EVENT_STREAM, events);
    }

    /**
     * Any body, delivered as the given chunks, one per unit of demand.
     *
     * @param status      the HTTP status, 200–999
     * @param contentType the {@code content-type}; null sends none
     * @param chunks      the body chunks, in order; copied
     * @return the reply
     */
    public static FakeReply chunks(int status, String contentType, List<byte[]> chunks) {
        return fixed(status, contentType, chunks);
    }

    /**
     * A network error before any response header.
     *
     * @param e the error the send future fails with, e.g. a {@code ConnectException}
     * @return the reply
     */
    public static FakeReply failure(IOException e) {
        return new FakeReply(200, Map.of(), null, Objects.requireNonNull(e, "e"), -1);
    }

    /**
     * FakeTransport's initial default: a chat completion saying "Hello from the fake transport",
     * streamed when the request has {@code "stream": true}, an 8-dimension embeddings list for URIs
     * ending in {@code /embeddings}.
     */
    static FakeReply openAiDefault() {
        String text = "Hello from the fake transport";
        FakeReply completion = chatCompletion(text);
        FakeReply stream = chatStream(OpenAiPayloads.words(text).toArray(new String[0]));
        return new FakeReply(200, Map.of(), null, null, -1, req -> {
            if (req.uri().getPath() != null && req.uri().getPath().endsWith("/embeddings")) {
                return fixed(
                        200,
                        StubResponse.JSON,
                        List.of(Json.bytes(OpenAiPayloads.embeddings(OpenAiPayloads.parseOrNull(req.body()), 8))));
            }
            return OpenAiRequestFacts.of(req.body()).stream() ? stream : completion;
        });
    }

    // ---- withers -------------------------------------------------------------------------------

    /**
     * The same reply with another status.
     *
     * @param status the HTTP status, 200–999
     * @return a new reply
     */
    public FakeReply status(int status) {
        return new FakeReply(checkStatus(status), headers, chunks, failure, cutAfter, adaptive);
    }

    /**
     * The same reply with a header added or replaced.
     *
     * @param name  the header name (lower-cased)
     * @param value the value
     * @return a new reply
     */
    public FakeReply header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), value);
        return new FakeReply(status, Collections.unmodifiableMap(h), chunks, failure, cutAfter, adaptive);
    }

    /**
     * The same reply whose body delivers {@code n} chunks and then signals
     * {@code onError(new IOException("connection reset"))} instead of completing.
     *
     * @param n the chunks delivered before the error, at least 0
     * @return a new reply
     */
    public FakeReply cutAfter(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cutAfter must be >= 0, got " + n);
        }
        return new FakeReply(status, headers, chunks, failure, n, adaptive);
    }

    // ---- what FakeTransport calls --------------------------------------------------------------

    /** An already-completed (or already-failed) future with a fresh one-shot body publisher. */
    CompletableFuture<UpstreamResponse> respond(UpstreamRequest request, Runnable onCancel) {
        if (adaptive != null) {
            return adaptive.apply(request).respond(request, onCancel);
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(new UpstreamResponse(
                status, headers, new FakeBodyPublisher(chunks.apply(request), cutAfter, onCancel)));
    }

    /** Renders once per (model, include_usage) and reuses the bytes afterwards. */
    private static Function<UpstreamRequest, List<byte[]>> perModel(Function<OpenAiRequestFacts, List<byte[]>> render) {
        Map<OpenAiRequestFacts, List<byte[]>> cache = new ConcurrentHashMap<>();
        return req -> {
            OpenAiRequestFacts raw = OpenAiRequestFacts.of(req.body());
            // Only the fields the payload depends on form the key.
            OpenAiRequestFacts key = new OpenAiRequestFacts(raw.model(), false, raw.includeUsage());
            List<byte[]> hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
            List<byte[]> rendered = render.apply(key);
            if (cache.size() < MAX_CACHED_VARIANTS) {
                cache.putIfAbsent(key, rendered);
            }
            return rendered;
        };
    }

    private static int checkStatus(int status) {
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("status must be between 200 and 999, got " + status);
        }
        return status;
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "FakeReply{failure=" + failure.getClass().getSimpleName() + "}";
        }
        return "FakeReply{" + status + ", headers=" + headers.keySet() + (cutAfter < 0 ? "" : ", cutAfter=" + cutAfter)
                + "}";
    }
}
