package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.openai.ChunkBuilder;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bedrock ConverseStream ({@code application/vnd.amazon.eventstream}) → OpenAI
 * {@code chat.completion.chunk}s, incrementally (PROVIDERS.md §6.5).
 *
 * <p>{@code messageStart} gives the role chunk; text and reasoning deltas become {@code content} /
 * {@code reasoning_content}; a {@code toolUse} block start opens a tool call with a gateway-assigned
 * {@code index} (0, 1, … in order of appearance — never Bedrock's contentBlockIndex) and its input
 * fragments stream as {@code arguments} ({@code "{}"} when a tool streams no input at all, as OpenAI
 * sends it); the response_format emulation tool streams as content;
 * {@code messageStop} gives the finish chunk and {@code metadata} the usage chunk (emitted only when
 * the caller asked for {@code stream_options.include_usage}; kept in {@link #usage()} always).
 * Exception frames, checksum errors and a stream that ends before {@code messageStop} and
 * {@code metadata} end in {@link StreamSink#fail}. Memory: one frame.
 */
final class ConverseStreamTranslator implements StreamTranslator {
    private final EventStreamDecoder decoder = new EventStreamDecoder();
    private final ChunkBuilder chunks;
    private final boolean includeUsage;
    private final String jsonTool;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final Set<Integer> jsonBlocks = new HashSet<>();
    /** Content blocks (tool calls and the JSON emulation tool) that have not streamed any input yet. */
    private final Set<Integer> blocksWithoutInput = new TreeSet<>();

    private int nextToolIndex;
    private boolean roleSent;
    private boolean stopped;
    private boolean finished;
    private boolean failed;
    private Usage usage;

    ConverseStreamTranslator(ChunkBuilder chunks, boolean includeUsage, String jsonTool) {
        this.chunks = chunks;
        this.includeUsage = includeUsage;
        this.jsonTool = jsonTool;
    }

    /** The usage from the {@code metadata} event, or null before it arrived. */
    Usage usage() {
        return usage;
    }

    @Override
    public void onBytes(ByteBuffer bytes, StreamSink sink) {
        if (failed) {
            bytes.position(bytes.limit());
            return;
        }
        try {
            decoder.feed(bytes, m -> {
                if (!failed) {
                    handle(m, sink);
                }
            });
        } catch (EventStreamException e) {
            fail(sink, "stream_error", "bedrock event stream is corrupt: " + e.getMessage());
            bytes.position(bytes.limit());
        }
    }

    @Override
    public void onEnd(StreamSink sink) {
        if (failed) {
            return;
        }
        if (decoder.hasPartialMessage()) {
            fail(sink, "stream_error", "bedrock stream ended in the middle of an event-stream frame");
        } else if (!stopped || usage == null) {
            fail(sink, "stream_error", "bedrock stream ended before " + (!stopped ? "messageStop" : "metadata"));
        }
    }

    private void handle(EventStreamMessage m, StreamSink sink) {
        String messageType = m.header(":message-type");
        if ("exception".equals(messageType)) {
            String type = m.header(":exception-type");
            ObjectNode p = UpstreamJson.parseObject(m.payload());
            String message = p == null
                    ? UpstreamJson.excerpt(m.payload())
                    : p.path("message").asText(p.path("Message").asText(""));
            fail(
                    sink,
                    type == null ? "bedrock_exception" : type,
                    message.isEmpty() ? "bedrock reported " + type : message);
            return;
        }
        if ("error".equals(messageType)) {
            fail(
                    sink,
                    m.header(":error-code") == null ? "bedrock_error" : m.header(":error-code"),
                    String.valueOf(m.header(":error-message")));
            return;
        }
        ObjectNode event = UpstreamJson.parseObject(m.payload());
        String type = m.header(":event-type");
        if (event == null || type == null) {
            fail(
                    sink,
                    "stream_error",
                    "bedrock sent an event without " + (type == null ? ":event-type" : "a JSON payload"));
            return;
        }
        switch (type) {
            case "messageStart" -> ensureRole(sink);
            case "contentBlockStart" -> blockStart(event, sink);
            case "contentBlockDelta" -> blockDelta(event, sink);
            case "contentBlockStop" ->
                closeBlock(event.path("contentBlockIndex").asInt(), sink);
            case "messageStop" -> {
                ensureRole(sink);
                for (Integer open : List.copyOf(blocksWithoutInput)) {
                    closeBlock(open, sink); // a block that never got its contentBlockStop
                }
                stopped = true;
                boolean onlyJson = nextToolIndex == 0 && !jsonBlocks.isEmpty();
                sink.emit(withUsageNull(chunks.finish(ConverseResponseMapper.finishReason(
                        event.path("stopReason").asText(null), onlyJson))));
            }
            case "metadata" -> {
                usage = ConverseResponseMapper.usage(event.path("usage"));
                if (includeUsage && !finished) {
                    finished = true;
                    sink.emit(chunks.usage(usage));
                }
            }
            default -> {} // future events carry nothing for OpenAI
        }
    }

    private void blockStart(JsonNode event, StreamSink sink) {
        JsonNode toolUse = event.path("start").path("toolUse");
        if (!toolUse.isObject()) {
            return;
        }
        ensureRole(sink);
        int block = event.path("contentBlockIndex").asInt();
        String name = toolUse.path("name").asText();
        blocksWithoutInput.add(block);
        if (jsonTool != null && jsonTool.equals(name)) {
            jsonBlocks.add(block);
            return;
        }
        int index = nextToolIndex++;
        toolIndexByBlock.put(block, index);
        sink.emit(withUsageNull(
                chunks.toolCallStart(index, toolUse.path("toolUseId").asText(), name, "")));
    }

    private void blockDelta(JsonNode event, StreamSink sink) {
        ensureRole(sink);
        int block = event.path("contentBlockIndex").asInt();
        JsonNode delta = event.path("delta");
        if (delta.has("text")) {
            String text = delta.get("text").asText();
            if (!text.isEmpty()) {
                sink.emit(withUsageNull(chunks.content(text)));
            }
        } else if (delta.has("toolUse")) {
            String fragment = delta.path("toolUse").path("input").asText("");
            if (!fragment.isEmpty()) {
                blocksWithoutInput.remove(block);
            }
            if (jsonBlocks.contains(block)) {
                if (!fragment.isEmpty()) {
                    sink.emit(withUsageNull(chunks.content(fragment)));
                }
                return;
            }
            Integer index = toolIndexByBlock.get(block);
            if (index == null) {
                fail(
                        sink,
                        "stream_error",
                        "bedrock sent tool input for content block " + block + " before its contentBlockStart");
                return;
            }
            if (!fragment.isEmpty()) {
                sink.emit(withUsageNull(chunks.toolCallArguments(index, fragment)));
            }
        } else if (delta.path("reasoningContent").hasNonNull("text")) {
            sink.emit(withUsageNull(
                    chunks.reasoning(delta.path("reasoningContent").path("text").asText())));
        }
        // reasoning signatures, redacted reasoning, citations and images have no OpenAI chunk form
    }

    /** A tool block that stops without any input streamed: {@code "{}"}, like the non-streamed answer. */
    private void closeBlock(int block, StreamSink sink) {
        if (!blocksWithoutInput.remove(block)) {
            return;
        }
        if (jsonBlocks.contains(block)) {
            sink.emit(withUsageNull(chunks.content("{}")));
        } else if (toolIndexByBlock.containsKey(block)) {
            sink.emit(withUsageNull(chunks.toolCallArguments(toolIndexByBlock.get(block), "{}")));
        }
    }

    private void ensureRole(StreamSink sink) {
        if (!roleSent) {
            roleSent = true;
            sink.emit(withUsageNull(chunks.role()));
        }
    }

    /** OpenAI puts {@code "usage": null} on every chunk but the last when usage is requested. */
    private ObjectNode withUsageNull(ObjectNode chunk) {
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private void fail(StreamSink sink, String type, String message) {
        failed = true;
        sink.fail(type, message);
    }
}
