package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.support.SseDecoder;
import java.nio.ByteBuffer;

/**
 * Stream translator for upstreams that already speak OpenAI's SSE format (OpenAI, Azure, the
 * OpenAI-compatible family, Mistral): each event is forwarded untouched with
 * {@link StreamSink#emitRaw}, the upstream {@code [DONE]} is swallowed (the gateway adds its own),
 * a mid-stream {@code {"error":...}} event becomes {@link StreamSink#fail}, and an upstream that
 * closes before {@code [DONE]} is reported as a cut stream.
 *
 * <p>An optional {@link ChunkRewriter} sees only the events it asks for (a cheap text test), so
 * provider quirks (usage field names, finish reasons) cost a parse only on the chunks that carry them.
 *
 * <pre>{@code
 * StreamTranslator t = new OpenAiStreamPassThrough("groq", null);
 * }</pre>
 */
public final class OpenAiStreamPassThrough implements StreamTranslator {
    /** Rewrites selected chunks of an OpenAI-format stream. */
    public interface ChunkRewriter {
        /** A cheap test on the raw event data; true means parse it and call {@link #rewrite}. */
        boolean wants(String data);

        /** Emits zero or more chunks in place of {@code chunk}, or calls {@code sink.fail}. */
        void rewrite(ObjectNode chunk, StreamSink sink);

        /**
         * The upstream stream ended (its terminator, or a cut before it): emit whatever was held back.
         * Nothing by default.
         */
        default void finish(StreamSink sink) {}
    }

    /** Decides whether a named event ends the stream (Responses API streams have no {@code [DONE]}). */
    public interface Terminator {
        boolean isEnd(ServerSentEvent event);
    }

    private final String providerId;
    private final ChunkRewriter rewriter;
    private final Terminator terminator;
    private final SseDecoder decoder = new SseDecoder();
    private boolean done;
    private boolean failed;

    public OpenAiStreamPassThrough(String providerId, ChunkRewriter rewriter) {
        this(providerId, rewriter, e -> e.isDone());
    }

    public OpenAiStreamPassThrough(String providerId, ChunkRewriter rewriter, Terminator terminator) {
        this.providerId = providerId;
        this.rewriter = rewriter;
        this.terminator = terminator;
    }

    @Override
    public void onBytes(ByteBuffer bytes, StreamSink sink) {
        if (failed) {
            bytes.position(bytes.limit());
            return;
        }
        decoder.feed(bytes, e -> onEvent(e, sink));
    }

    @Override
    public void onEnd(StreamSink sink) {
        if (failed) {
            return;
        }
        decoder.finish(e -> onEvent(e, sink));
        if (!done && !failed) {
            if (rewriter != null) {
                rewriter.finish(new FailTracking(sink));
            }
            if (!failed) {
                failed = true;
                sink.fail("stream_error", providerId + " stream ended before [DONE]");
            }
        }
    }

    private void onEvent(ServerSentEvent event, StreamSink sink) {
        if (failed || done) {
            return;
        }
        String data = event.data();
        if (terminator.isEnd(event)) {
            if (rewriter != null) {
                rewriter.finish(new FailTracking(sink));
                if (failed) {
                    return;
                }
            }
            done = true;
            if (!event.isDone()) {
                sink.emitRaw(event);
            }
            return;
        }
        if (data == null || data.isEmpty()) {
            return;
        }
        if ("error".equals(event.event()) || data.contains("\"error\"")) {
            JsonNode parsed = UpstreamJson.parse(data);
            JsonNode err = parsed == null ? null : parsed.get("error");
            if (err != null && !err.isNull()) {
                fail(sink, err);
                return;
            }
            if ("error".equals(event.event())) {
                failed = true;
                String message = parsed != null && parsed.path("message").isTextual()
                        ? parsed.path("message").asText()
                        : clip(data);
                sink.fail("api_error", providerId + " error: " + message);
                return;
            }
        }
        if (rewriter != null && rewriter.wants(data)) {
            ObjectNode chunk = UpstreamJson.parseObject(data);
            if (chunk == null) {
                failed = true;
                sink.fail("stream_error", providerId + " sent a malformed stream event: " + clip(data));
                return;
            }
            rewriter.rewrite(chunk, new FailTracking(sink));
            return;
        }
        sink.emitRaw(event);
    }

    private void fail(StreamSink sink, JsonNode err) {
        failed = true;
        String type = "api_error";
        String message;
        if (err.isObject()) {
            JsonNode t = err.get("type");
            if (t != null && t.isTextual() && !t.asText().isBlank()) {
                type = t.asText();
            }
            message = err.path("message").asText(err.toString());
        } else {
            message = err.asText();
        }
        sink.fail(type, providerId + " error: " + message);
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    /** Lets a rewriter fail the stream and stops further forwarding when it does. */
    private final class FailTracking implements StreamSink {
        private final StreamSink sink;

        FailTracking(StreamSink sink) {
            this.sink = sink;
        }

        @Override
        public void emit(ObjectNode chunk) {
            sink.emit(chunk);
        }

        @Override
        public void emitRaw(ServerSentEvent event) {
            sink.emitRaw(event);
        }

        @Override
        public void fail(String type, String message) {
            failed = true;
            sink.fail(type, message);
        }
    }
}
