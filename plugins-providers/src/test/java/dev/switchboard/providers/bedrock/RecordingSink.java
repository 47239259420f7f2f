package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.StreamSink;
import java.util.ArrayList;
import java.util.List;

/** Collects what a stream translator emits. */
final class RecordingSink implements StreamSink {
    final List<ObjectNode> chunks = new ArrayList<>();
    final List<String[]> failures = new ArrayList<>();

    @Override
    public void emit(ObjectNode chunk) {
        chunks.add(chunk);
    }

    @Override
    public void emitRaw(ServerSentEvent event) {
        throw new AssertionError("bedrock never passes raw events through");
    }

    @Override
    public void fail(String type, String message) {
        failures.add(new String[] {type, message});
    }
}
