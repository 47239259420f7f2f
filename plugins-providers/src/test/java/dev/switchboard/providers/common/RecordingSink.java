package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.StreamSink;
import java.util.ArrayList;
import java.util.List;

/** A {@link StreamSink} for tests: keeps every emitted chunk (raw events parsed) and every failure, in order. */
public final class RecordingSink implements StreamSink {
    /** Everything the translator delivered, raw events parsed to JSON. */
    public final List<ObjectNode> chunks = new ArrayList<>();
    /** Raw events exactly as passed through. */
    public final List<ServerSentEvent> raw = new ArrayList<>();
    /** Parsed-and-emitted chunks only (not raw). */
    public final List<ObjectNode> emitted = new ArrayList<>();
    public final List<String> failures = new ArrayList<>();

    @Override
    public void emit(ObjectNode chunk) {
        emitted.add(chunk);
        chunks.add(chunk);
    }

    @Override
    public void emitRaw(ServerSentEvent event) {
        raw.add(event);
        ObjectNode parsed = UpstreamJson.parseObject(event.data());
        if (parsed == null) {
            throw new AssertionError("raw event is not a JSON object: " + event.data());
        }
        chunks.add(parsed);
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
