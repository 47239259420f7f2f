package dev.switchboard.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.openai.ChunkBuilder;
import dev.switchboard.spi.support.SseDecoder;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns an Anthropic Messages event stream into OpenAI {@code chat.completion.chunk}s (PROVIDERS.md
 * §4.4). Tool calls get the gateway's own running index (0, 1, 2…) rather than Anthropic's content
 * block index, which also counts text and thinking blocks. A tool call that streams no input at all
 * gets {@code "{}"} as its arguments when its block stops, as OpenAI streams it (and as the
 * non-streamed answer has it), so the arguments every client accumulates are JSON. One instance per stream.
 *
 * <pre>{@code
 * StreamTranslator t = new AnthropicStreamTranslator(call);
 * t.onBytes(buffer, sink); ... t.onEnd(sink);
 * }</pre>
 */
public final class AnthropicStreamTranslator implements StreamTranslator {
    private final SseDecoder decoder = new SseDecoder();
    private final boolean includeUsage;
    private final long created;
    private final String providerId;
    private String id = "chatcmpl-anthropic";
    private String model;
    /** Created at the first event, once the message id and model are known. */
    private ChunkBuilder chunks;

    private boolean stopped;
    private boolean failed;
    /** Anthropic content-block index → gateway tool-call index. */
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    /** Tool calls (gateway index) still open that have not streamed a single argument character yet. */
    private final Set<Integer> toolsWithoutArguments = new TreeSet<>();

    private int nextToolIndex;
    private long inputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;
    private long outputTokens;

    public AnthropicStreamTranslator(ProviderCall call) {
        this.includeUsage =
                call.body().path("stream_options").path("include_usage").asBoolean(false);
        this.created = call.clock().instant().getEpochSecond();
        this.model = call.body().path("model").asText("");
        this.providerId = call.providerId();
    }

    @Override
    public void onBytes(ByteBuffer bytes, StreamSink sink) {
        decoder.feed(bytes, e -> onEvent(e, sink));
    }

    @Override
    public void onEnd(StreamSink sink) {
        decoder.finish(e -> onEvent(e, sink));
        if (!stopped && !failed) {
            failed = true;
            sink.fail("stream_error", providerId + " stream ended before message_stop");
        }
    }

    /** The usage counted so far (final once the stream stopped). */
    public Usage usage() {
        return AnthropicResponseMapper.usage(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens);
    }

    private void onEvent(ServerSentEvent event, StreamSink sink) {
        if (failed || stopped || event.data() == null || event.data().isEmpty()) {
            return;
        }
        JsonNode data;
        try {
            data = Json.parse(event.data());
        } catch (IllegalArgumentException e) {
            failed = true;
            sink.fail("stream_error", providerId + " sent a malformed stream event: " + e.getMessage());
            return;
        }
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> onMessageStart(data.path("message"), sink);
            case "content_block_start" -> onBlockStart(data, sink);
            case "content_block_delta" -> onBlockDelta(data, sink);
            case "content_block_stop" ->
                closeTool(toolIndexByBlock.get(data.path("index").asInt()), sink);
            case "message_delta" -> onMessageDelta(data, sink);
            case "message_stop" -> {
                stopped = true;
                if (includeUsage) {
                    sink.emit(chunks().usage(usage()));
                }
            }
            case "error" -> {
                failed = true;
                JsonNode err = data.path("error");
                sink.fail(
                        err.path("type").asText("api_error"),
                        providerId + " error: " + err.path("message").asText("stream error"));
            }
            default -> {
                // ping and future event types carry nothing to forward
            }
        }
    }

    private void onMessageStart(JsonNode message, StreamSink sink) {
        if (message.hasNonNull("id")) {
            id = message.get("id").asText();
        }
        if (message.hasNonNull("model")) {
            model = message.get("model").asText();
        }
        readUsage(message.path("usage"));
        ensureStarted(sink);
    }

    private void ensureStarted(StreamSink sink) {
        if (chunks == null) {
            chunks = new ChunkBuilder(id, model, created);
            sink.emit(chunks.role());
        }
    }

    private void onBlockStart(JsonNode data, StreamSink sink) {
        ensureStarted(sink);
        JsonNode block = data.path("content_block");
        switch (block.path("type").asText("")) {
            case "tool_use" -> {
                int k = nextToolIndex++;
                toolIndexByBlock.put(data.path("index").asInt(), k);
                toolsWithoutArguments.add(k);
                sink.emit(chunks.toolCallStart(
                        k, block.path("id").asText(), block.path("name").asText(), ""));
            }
            case "text" -> emitText(block.path("text").asText(""), false, sink);
            case "thinking" -> emitText(block.path("thinking").asText(""), true, sink);
            default -> {
                // redacted_thinking, server tool blocks
            }
        }
    }

    private void onBlockDelta(JsonNode data, StreamSink sink) {
        ensureStarted(sink);
        JsonNode delta = data.path("delta");
        switch (delta.path("type").asText("")) {
            case "text_delta" -> emitText(delta.path("text").asText(""), false, sink);
            case "thinking_delta" -> emitText(delta.path("thinking").asText(""), true, sink);
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText("");
                Integer k = toolIndexByBlock.get(data.path("index").asInt());
                if (k == null || fragment.isEmpty()) {
                    return;
                }
                toolsWithoutArguments.remove(k);
                sink.emit(chunks.toolCallArguments(k, fragment));
            }
            default -> {
                // signature_delta, citations_delta: no OpenAI slot
            }
        }
    }

    /** A tool call that ends without any input streamed gets OpenAI's {@code "{}"}. */
    private void closeTool(Integer toolIndex, StreamSink sink) {
        if (toolIndex != null && toolsWithoutArguments.remove(toolIndex)) {
            sink.emit(chunks.toolCallArguments(toolIndex, "{}"));
        }
    }

    private void emitText(String text, boolean reasoning, StreamSink sink) {
        if (!text.isEmpty()) {
            sink.emit(reasoning ? chunks.reasoning(text) : chunks.content(text));
        }
    }

    private ChunkBuilder chunks() {
        return chunks != null ? chunks : new ChunkBuilder(id, model, created);
    }

    private void onMessageDelta(JsonNode data, StreamSink sink) {
        ensureStarted(sink);
        for (Integer open : List.copyOf(toolsWithoutArguments)) {
            closeTool(open, sink); // a block that never got its content_block_stop
        }
        readUsage(data.path("usage"));
        String finish = AnthropicResponseMapper.finishReason(
                data.path("delta").path("stop_reason").asText(null));
        if (finish != null) {
            sink.emit(chunks.finish(finish));
        }
    }

    /** Usage fields are cumulative; message_delta may repeat or update any of them. */
    private void readUsage(JsonNode u) {
        if (u.hasNonNull("input_tokens")) {
            inputTokens = u.get("input_tokens").asLong();
        }
        if (u.hasNonNull("cache_read_input_tokens")) {
            cacheReadTokens = u.get("cache_read_input_tokens").asLong();
        }
        if (u.hasNonNull("cache_creation_input_tokens")) {
            cacheWriteTokens = u.get("cache_creation_input_tokens").asLong();
        }
        if (u.hasNonNull("output_tokens")) {
            outputTokens = u.get("output_tokens").asLong();
        }
    }
}
