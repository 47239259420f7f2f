package dev.switchboard.providers.common;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Helpers shared by the provider tests: JSON literals, replies, awkward stream feeding, schema checks.
 * Every translated answer goes through {@link #translate} and every stream through a recording sink,
 * so each is also read by the official OpenAI SDK ({@link OpenAiSdkCheck}).
 */
public final class ProviderTesting {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private ProviderTesting() {}

    public static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text);
    }

    public static ObjectNode parse(byte[] body) {
        return (ObjectNode) Json.parse(body);
    }

    public static HttpReply reply(int status, String body) {
        return new HttpReply(status, Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code provider.translate(call, reply)}, and the answer read by the OpenAI SDK: a 2xx as the
     * endpoint's answer, anything else as an error envelope.
     */
    public static ProviderReply translate(Provider provider, ProviderCall call, HttpReply reply) {
        ProviderReply r = provider.translate(call, reply);
        OpenAiSdkCheck.reply(call, r);
        return r;
    }

    /**
     * Feeds {@code wire} in pieces of 1, 2, 3, 5, 7, 11 and 13 bytes in turn, so splits fall inside
     * UTF-8 characters, CRLFs and field names; then ends the stream.
     */
    public static void feedAwkwardly(StreamTranslator t, String wire, StreamSink sink) {
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        int[] sizes = {1, 2, 3, 5, 7, 11, 13};
        int pos = 0;
        int k = 0;
        while (pos < bytes.length) {
            int n = Math.min(sizes[k++ % sizes.length], bytes.length - pos);
            t.onBytes(ByteBuffer.wrap(bytes, pos, n).slice(), sink);
            pos += n;
        }
        t.onEnd(sink);
        if (sink instanceof RecordingSink recording) {
            recording.assertSdkAccumulatedUnlessFailed();
        }
    }

    public static void assertValid(String schema, JsonNode instance) {
        List<String> problems = OpenAiSchemas.shared().validate(schema, instance);
        assertTrue(problems.isEmpty(), schema + " problems " + problems + " in " + instance);
        OpenAiSdkCheck.bySchema(schema, instance);
    }

    public static void assertValidChunks(List<ObjectNode> chunks) {
        for (ObjectNode c : chunks) {
            assertValid("CreateChatCompletionStreamResponse", c);
        }
    }

    /** An OpenAI SSE body from data payloads, each followed by a blank line, ending with [DONE]. */
    public static String sse(String... datas) {
        StringBuilder sb = new StringBuilder();
        for (String d : datas) {
            sb.append("data: ").append(d).append("\n\n");
        }
        return sb.append("data: [DONE]\n\n").toString();
    }
}
