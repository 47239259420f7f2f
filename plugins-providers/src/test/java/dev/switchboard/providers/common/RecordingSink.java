package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.StreamSink;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamSink} for tests: keeps every emitted chunk (raw events parsed) and every failure, in
 * order. Each chat chunk is also validated and accumulated by the OpenAI SDK ({@link OpenAiSdkCheck})
 * as it arrives, so a chunk no SDK app accepts fails the test where it is emitted.
 */
public final class RecordingSink implements StreamSink {
    /** Everything the translator delivered, raw events parsed to JSON. */
    public final List<ObjectNode> chunks = new ArrayList<>();
    /** Raw events exactly as passed through. */
    public final List<ServerSentEvent> raw = new ArrayList<>();
    /** Parsed-and-emitted chunks only (not raw). */
    public final List<ObjectNode> emitted = new ArrayList<>();

    public final List<String> failures = new ArrayList<>();
    /** The SDK's view of the stream; null for a stream that is not chat completion chunks. */
    private final OpenAiSdkCheck.Stream sdk;

    /** A sink for a chat completion stream. */
    public RecordingSink() {
        this.sdk = OpenAiSdkCheck.stream();
    }

    private RecordingSink(OpenAiSdkCheck.Stream sdk) {
        this.sdk = sdk;
    }

    /** A sink for a pass-through stream that is not chat completion chunks (e.g. Responses events): not SDK-checked. */
    public static RecordingSink notChatChunks() {
        return new RecordingSink(null);
    }

    /** After a stream that ended without a failure: the SDK has accumulated the whole answer. */
    public void assertSdkAccumulatedUnlessFailed() {
        if (sdk != null && failures.isEmpty()) {
            sdk.completion();
        }
    }

    @Override
    public void emit(ObjectNode chunk) {
        emitted.add(chunk);
        chunks.add(chunk);
        if (sdk != null) {
            sdk.accept(chunk);
        }
    }

    @Override
    public void emitRaw(ServerSentEvent event) {
        raw.add(event);
        ObjectNode parsed = UpstreamJson.parseObject(event.data());
        if (parsed == null) {
            throw new AssertionError("raw event is not a JSON object: " + event.data());
        }
        chunks.add(parsed);
        if (sdk != null) {
            sdk.accept(parsed);
        }
    }

    @Override
    public void fail(String type, String message) {
        failures.add(type + ": " + message);
    }

    /** The concatenated {@code delta.content} of choice 0 across chunks. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            c.path("choices").forEach(ch -> {
                if (ch.path("delta").path("content").isTextual()) {
                    sb.append(ch.path("delta").path("content").asText());
                }
            });
        }
        return sb.toString();
    }

    /** The concatenated arguments of the tool call with this index. */
    public String toolArguments(int index) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            c.path("choices").forEach(ch -> ch.path("delta").path("tool_calls").forEach(tc -> {
                if (tc.path("index").asInt(-1) == index) {
                    sb.append(tc.path("function").path("arguments").asText(""));
                }
            }));
        }
        return sb.toString();
    }
}
