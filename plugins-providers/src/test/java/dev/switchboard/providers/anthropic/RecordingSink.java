package dev.switchboard.providers.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.providers.common.OpenAiSdkCheck;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamSink} that keeps what a translator emitted, for assertions; each chunk is also
 * validated and accumulated by the OpenAI SDK as it arrives ({@link OpenAiSdkCheck}).
 */
public final class RecordingSink implements StreamSink {
    public final List<ObjectNode> chunks = new ArrayList<>();
    public final List<String> failures = new ArrayList<>();
    private final OpenAiSdkCheck.Stream sdk = OpenAiSdkCheck.stream();

    @Override
    public void emit(ObjectNode chunk) {
        chunks.add(chunk);
        sdk.accept(chunk);
    }

    @Override
    public void emitRaw(ServerSentEvent event) {
        throw new AssertionError("translating adapters never pass raw events through: " + event);
    }

    @Override
    public void fail(String type, String message) {
        failures.add(type + ": " + message);
    }

    /**
     * Feeds {@code wire} to a translator in slices of {@code sliceSize} bytes (cutting UTF-8 and CRLF
     * anywhere), then ends it; a stream that ended without a failure must have given the SDK a whole answer.
     */
    public static RecordingSink feed(StreamTranslator translator, String wire, int sliceSize) {
        RecordingSink sink = new RecordingSink();
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += sliceSize) {
            int n = Math.min(sliceSize, bytes.length - i);
            translator.onBytes(ByteBuffer.wrap(bytes, i, n).slice(), sink);
        }
        translator.onEnd(sink);
        if (sink.failures.isEmpty()) {
            sink.sdk.completion();
        }
        return sink;
    }

    /** Concatenated {@code delta.content} of all chunks. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            c.path("choices")
                    .forEach(ch -> sb.append(ch.path("delta").path("content").asText("")));
        }
        return sb.toString();
    }
}
