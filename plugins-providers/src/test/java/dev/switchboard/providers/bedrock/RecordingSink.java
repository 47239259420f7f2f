package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.providers.common.OpenAiSdkCheck;
import dev.switchboard.spi.StreamSink;
import java.util.ArrayList;
import java.util.List;

/** Collects what a stream translator emits; each chunk is also validated and accumulated by the OpenAI SDK. */
final class RecordingSink implements StreamSink {
    final List<ObjectNode> chunks = new ArrayList<>();
    final List<String[]> failures = new ArrayList<>();
    private final OpenAiSdkCheck.Stream sdk = OpenAiSdkCheck.stream();

    @Override
    public void emit(ObjectNode chunk) {
        chunks.add(chunk);
        sdk.accept(chunk);
    }

    /** After the stream ended: without a failure, the SDK has accumulated the whole answer. */
    void assertSdkAccumulatedUnlessFailed() {
        if (failures.isEmpty()) {
            sdk.completion();
        }
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
