package dev.switchboard.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.openai.ChunkBuilder;
import dev.switchboard.spi.openai.FinishReasons;
import dev.switchboard.spi.support.SseDecoder;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Cohere v2 chat stream → OpenAI chunks (PROVIDERS.md §7.4): {@code message-start} gives the role
 * chunk, {@code content-delta} text (thinking as {@code reasoning_content}), {@code tool-call-start}/{@code tool-call-delta} tool-call
 * deltas under a gateway-assigned index (0, 1, … in order of appearance), {@code message-end}
 * the finish chunk and, when the request asked for it, the {@code choices: []} usage chunk.
 * Tool plans are not forwarded. One instance per stream.
 */
final class CohereStreamTranslator implements StreamTranslator {
    private final SseDecoder decoder = new SseDecoder();
    private final String model;
    private final boolean includeUsage;
    private final Clock clock;
    private final Map<Integer, Integer> toolIndex = new HashMap<>();
    private ChunkBuilder chunks;
    private boolean ended;
    private boolean failed;

    CohereStreamTranslator(String model, boolean includeUsage, Clock clock) {
        this.model = model;
        this.includeUsage = includeUsage;
        this.clock = clock;
    }

    @Override
    public void onBytes(ByteBuffer bytes, StreamSink sink) {
        if (failed || ended) {
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
        if (!ended && !failed) {
            fail(sink, "stream_error", "cohere stream ended before message-end");
        }
    }

    private void onEvent(ServerSentEvent event, StreamSink sink) {
        if (failed || ended) {
            return;
        }
        String data = event.data();
        if (data == null || data.isEmpty()) {
            return;
        }
        if (event.isDone()) {
            // Cohere's SDK accepts [DONE] as a terminator; close the answer like message-end would.
            started(sink, null);
            sink.emit(chunks.finish(FinishReasons.STOP));
            ended = true;
            return;
        }
        ObjectNode e = UpstreamJson.parseObject(data);
        if (e == null) {
            fail(sink, "stream_error", "cohere sent a malformed stream event: " + clip(data));
            return;
        }
        String type = event.event() != null ? event.event() : e.path("type").asText();
        JsonNode message = e.path("delta").path("message");
        switch (type) {
            case "message-start" -> started(sink, e.path("id").asText(null));
            case "content-delta" -> {
                JsonNode text = message.path("content").get("text");
                JsonNode thinking = message.path("content").get("thinking");
                if (text != null && text.isTextual() && !text.asText().isEmpty()) {
                    started(sink, null);
                    sink.emit(chunks.content(text.asText()));
                } else if (thinking != null
                        && thinking.isTextual()
                        && !thinking.asText().isEmpty()) {
                    started(sink, null);
                    sink.emit(chunks.reasoning(thinking.asText()));
                }
            }
            case "tool-call-start" -> {
                started(sink, null);
                int index = toolIndex.size();
                toolIndex.put(e.path("index").asInt(index), index);
                JsonNode tc = message.path("tool_calls");
                JsonNode fn = tc.path("function");
                sink.emit(chunks.toolCallStart(
                        index,
                        tc.path("id").asText(),
                        fn.path("name").asText(),
                        fn.path("arguments").asText("")));
            }
            case "tool-call-delta" -> {
                started(sink, null);
                Integer index = toolIndex.get(e.path("index").asInt(-1));
                if (index == null) {
                    index = toolIndex.isEmpty() ? 0 : toolIndex.size() - 1;
                }
                String args = message.path("tool_calls")
                        .path("function")
                        .path("arguments")
                        .asText("");
                if (!args.isEmpty()) {
                    sink.emit(chunks.toolCallArguments(index, args));
                }
            }
            case "message-end" -> end(e.path("delta"), sink);
            default -> {
                // content-start/end, tool-plan-delta, tool-call-end, citation-*, debug: nothing to forward
            }
        }
    }

    private void end(JsonNode delta, StreamSink sink) {
        String error = delta.path("error").asText(null);
        String raw = delta.path("finish_reason").asText(null);
        String finish = CohereReplies.finishReason(raw);
        if (error != null || finish == null) {
            fail(
                    sink,
                    "api_error",
                    "cohere error: " + (error != null ? error : "generation failed (finish_reason " + raw + ")"));
            return;
        }
        started(sink, null);
        sink.emit(chunks.finish(finish));
        if (includeUsage) {
            sink.emit(chunks.usage(CohereReplies.usage(delta.get("usage"))));
        }
        ended = true;
    }

    /** Emits the role chunk once, naming the stream after Cohere's message id when known. */
    private void started(StreamSink sink, String id) {
        if (chunks != null) {
            return;
        }
        String chunkId = id != null ? id : "cohere-" + clock.millis();
        chunks = new ChunkBuilder(chunkId, model, clock.instant().getEpochSecond());
        sink.emit(chunks.role());
    }

    private void fail(StreamSink sink, String type, String message) {
        failed = true;
        sink.fail(type, message);
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
