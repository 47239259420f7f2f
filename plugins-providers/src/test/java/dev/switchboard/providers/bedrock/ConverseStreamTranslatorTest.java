package dev.switchboard.providers.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.testkit.wire.EventStreamFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConverseStreamTranslatorTest {
    private final BedrockProvider provider = new BedrockProvider();

    private static ProviderCall streamCall(boolean includeUsage, String extra) {
        return BedrockProviderTest.call(
                        Endpoint.CHAT_COMPLETIONS,
                        "{\"model\":\"m\",\"stream\":true,"
                                + "\"stream_options\":{\"include_usage\":" + includeUsage + "},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]" + extra + "}")
                .stream(true)
                .build();
    }

    /** Text, then two tool calls whose blocks are 1 and 3 (block 2 is an empty text block), with padding fields. */
    static byte[] twoToolStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] e : new String[][] {
            {"messageStart", "{\"role\":\"assistant\",\"p\":\"abcdefghijklmn\"}"},
            {"contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Let me \"},\"p\":\"abcd\"}"},
            {"contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"check. 18 °C\"},\"p\":\"ab\"}"},
            {"contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijk\"}"},
            {
                "contentBlockStart",
                "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_A\",\"name\":\"get_weather\"}},\"p\":\"ab\"}"
            },
            {
                "contentBlockDelta",
                "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\": \"}},\"p\":\"abcdef\"}"
            },
            {"contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"Paris\\\"}\"}}}"},
            {"contentBlockStop", "{\"contentBlockIndex\":1}"},
            {
                "contentBlockStart",
                "{\"contentBlockIndex\":3,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_B\",\"name\":\"get_time\"}}}"
            },
            {
                "contentBlockDelta",
                "{\"contentBlockIndex\":3,\"delta\":{\"toolUse\":{\"input\":\"{\\\"tz\\\":\\\"CET\\\"}\"}}}"
            },
            {"contentBlockStop", "{\"contentBlockIndex\":3}"},
            {"messageStop", "{\"stopReason\":\"tool_use\",\"p\":\"abcdefghijklmnopq\"}"},
            {
                "metadata",
                "{\"usage\":{\"inputTokens\":296,\"outputTokens\":61,\"totalTokens\":1381,"
                        + "\"cacheReadInputTokens\":1024,\"cacheWriteInputTokens\":0},\"metrics\":{\"latencyMs\":1380},\"p\":\"abc\"}"
            }
        }) {
            out.writeBytes(EventStreamFrames.event(e[0], e[1]));
        }
        return out.toByteArray();
    }

    private RecordingSink run(ProviderCall call, byte[] stream, int[] cuts) {
        StreamTranslator t = provider.streamTranslator(call);
        RecordingSink sink = new RecordingSink();
        int from = 0;
        for (int cut : cuts) {
            t.onBytes(ByteBuffer.wrap(stream, from, cut - from), sink);
            from = cut;
        }
        t.onBytes(ByteBuffer.wrap(stream, from, stream.length - from), sink);
        t.onEnd(sink);
        sink.assertSdkAccumulatedUnlessFailed();
        return sink;
    }

    private static List<String> withoutIds(List<ObjectNode> chunks) {
        return chunks.stream()
                .map(c -> {
                    ObjectNode copy = c.deepCopy();
                    copy.remove("id");
                    return Json.text(copy);
                })
                .collect(Collectors.toList());
    }

    @Test
    void fullStreamWithTextAndTwoToolCallsBecomesOpenAiChunks() {
        RecordingSink sink = run(streamCall(true, ""), twoToolStream(), new int[0]);
        assertTrue(sink.failures.isEmpty(), () -> sink.failures.get(0)[1]);
        List<JsonNode> deltas =
                sink.chunks.stream().map(c -> c.at("/choices/0/delta")).collect(Collectors.toList());
        assertEquals(10, sink.chunks.size(), sink.chunks.toString());
        assertEquals(Json.parse("{\"role\":\"assistant\",\"content\":\"\"}"), deltas.get(0));
        assertEquals("Let me ", deltas.get(1).path("content").asText());
        assertEquals("check. 18 °C", deltas.get(2).path("content").asText());
        assertEquals(
                Json.parse("{\"tool_calls\":[{\"index\":0,\"id\":\"tooluse_A\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}"),
                deltas.get(3));
        assertEquals(
                Json.parse("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\": \"}}]}"),
                deltas.get(4));
        assertEquals(
                Json.parse("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}"),
                deltas.get(5));
        // second tool: gateway index 1 although Bedrock's block index is 3
        assertEquals(1, deltas.get(6).at("/tool_calls/0/index").asInt());
        assertEquals("tooluse_B", deltas.get(6).at("/tool_calls/0/id").asText());
        assertEquals(
                Json.parse(
                        "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"tz\\\":\\\"CET\\\"}\"}}]}"),
                deltas.get(7));
        assertEquals(Json.object(), deltas.get(8));
        assertEquals(
                "tool_calls", sink.chunks.get(8).at("/choices/0/finish_reason").asText());
        ObjectNode usage = sink.chunks.get(9);
        assertEquals(0, usage.path("choices").size());
        assertEquals(1320, usage.at("/usage/prompt_tokens").asInt());
        assertEquals(
                1024, usage.at("/usage/prompt_tokens_details/cached_tokens").asInt());
        assertEquals(1381, usage.at("/usage/total_tokens").asInt());
        String id = sink.chunks.get(0).path("id").asText();
        for (ObjectNode c : sink.chunks) {
            assertEquals(id, c.path("id").asText());
            assertEquals("chat.completion.chunk", c.path("object").asText());
            OpenAiSchemaCheck.assertValid("CreateChatCompletionStreamResponse", c);
        }
    }

    @Test
    void awkwardSplitsProduceExactlyTheSameChunks() {
        byte[] stream = twoToolStream();
        List<String> whole = withoutIds(run(streamCall(true, ""), stream, new int[0]).chunks);

        int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, withoutIds(run(streamCall(true, ""), stream, everyByte).chunks), "one byte at a time");

        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            List<Integer> cuts = new ArrayList<>();
            int at = 0;
            while (true) {
                at += 1 + random.nextInt(40);
                if (at >= stream.length) {
                    break;
                }
                cuts.add(at);
            }
            RecordingSink sink = run(
                    streamCall(true, ""),
                    stream,
                    cuts.stream().mapToInt(Integer::intValue).toArray());
            assertEquals(whole, withoutIds(sink.chunks), "seed " + seed + " cuts " + cuts);
            assertTrue(sink.failures.isEmpty(), "seed " + seed);
        }
    }

    @Test
    void usageChunkIsLeftOutWhenNotRequestedButUsageIsStillKnown() {
        ProviderCall call = streamCall(false, "");
        ConverseStreamTranslator t = (ConverseStreamTranslator) provider.streamTranslator(call);
        RecordingSink sink = new RecordingSink();
        t.onBytes(ByteBuffer.wrap(twoToolStream()), sink);
        t.onEnd(sink);
        sink.assertSdkAccumulatedUnlessFailed();
        assertEquals(9, sink.chunks.size());
        assertTrue(sink.chunks.stream().noneMatch(c -> c.has("usage")));
        assertNotNull(t.usage());
        assertEquals(61, t.usage().completionTokens());
        assertTrue(sink.failures.isEmpty());
    }

    @Test
    void midStreamExceptionFrameFailsTheStreamWithItsTypeAndMessage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"));
        out.writeBytes(
                EventStreamFrames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));
        out.writeBytes(EventStreamFrames.exception(
                "throttlingException", "{\"message\":\"Too many requests, please wait.\"}"));
        out.writeBytes(EventStreamFrames.event(
                "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"never\"}}"));
        RecordingSink sink = run(streamCall(true, ""), out.toByteArray(), new int[] {5, 40});
        assertEquals(2, sink.chunks.size());
        assertEquals(1, sink.failures.size());
        assertArrayEquals(
                new String[] {"throttlingException", "Too many requests, please wait."}, sink.failures.get(0));
    }

    @Test
    void aCorruptedFrameFailsTheStreamAsAStreamError() {
        byte[] stream = twoToolStream();
        int firstFrame = EventStreamDecoder.readInt(stream, 0);
        stream[firstFrame + 30] ^= 0x01; // inside the second frame's headers/payload
        RecordingSink sink = run(streamCall(true, ""), stream, new int[] {3});
        assertEquals(1, sink.chunks.size(), "only the role chunk from the intact first frame");
        assertEquals(1, sink.failures.size());
        assertEquals("stream_error", sink.failures.get(0)[0]);
        assertTrue(
                sink.failures.get(0)[1].contains("Message checksum mismatch"),
                sink.failures.get(0)[1]);
    }

    @Test
    void aStreamThatEndsBeforeMetadataFailsAtTheEnd() {
        byte[] stream = twoToolStream();
        int lastFrame = stream.length;
        // drop the metadata frame: find its start by walking the frames
        int pos = 0;
        while (pos < stream.length) {
            int len = EventStreamDecoder.readInt(stream, pos);
            if (pos + len == stream.length) {
                lastFrame = pos;
            }
            pos += len;
        }
        byte[] cut = java.util.Arrays.copyOf(stream, lastFrame);
        RecordingSink sink = run(streamCall(true, ""), cut, new int[0]);
        assertEquals(
                "tool_calls",
                sink.chunks
                        .get(sink.chunks.size() - 1)
                        .at("/choices/0/finish_reason")
                        .asText(),
                "finish chunk arrives");
        assertEquals(1, sink.failures.size());
        assertEquals("stream_error", sink.failures.get(0)[0]);
        assertTrue(sink.failures.get(0)[1].contains("metadata"), sink.failures.get(0)[1]);
    }

    @Test
    void aStreamCutInsideAFrameFailsAtTheEnd() {
        byte[] stream = twoToolStream();
        RecordingSink sink = run(streamCall(true, ""), java.util.Arrays.copyOf(stream, 100), new int[0]);
        assertEquals(1, sink.failures.size());
        assertTrue(
                sink.failures.get(0)[1].contains("middle of an event-stream frame"),
                sink.failures.get(0)[1]);
    }

    @Test
    void aToolUseWithoutInputStreamsEmptyObjectArgumentsAsOpenAiDoes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"));
        out.writeBytes(
                EventStreamFrames.event(
                        "contentBlockStart",
                        "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_N\",\"name\":\"get_time\"}}}"));
        out.writeBytes(EventStreamFrames.event(
                "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"\"}}}"));
        out.writeBytes(EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
        out.writeBytes(EventStreamFrames.event("messageStop", "{\"stopReason\":\"tool_use\"}"));
        out.writeBytes(EventStreamFrames.event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}"));
        RecordingSink sink = run(streamCall(true, ""), out.toByteArray(), new int[0]);
        assertTrue(sink.failures.isEmpty());
        String arguments = sink.chunks.stream()
                .map(c ->
                        c.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""))
                .collect(Collectors.joining());
        assertEquals("{}", arguments, "accumulated arguments are JSON, as OpenAI streams them");
        assertEquals(
                "tool_calls",
                sink.chunks
                        .get(sink.chunks.size() - 2)
                        .at("/choices/0/finish_reason")
                        .asText());
    }

    @Test
    void theJsonEmulationToolWithoutInputStreamsAnEmptyObjectAsContent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"));
        out.writeBytes(EventStreamFrames.event(
                "contentBlockStart",
                "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"t\",\"name\":\"json_response\"}}}"));
        out.writeBytes(EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
        out.writeBytes(EventStreamFrames.event("messageStop", "{\"stopReason\":\"tool_use\"}"));
        out.writeBytes(EventStreamFrames.event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}"));
        RecordingSink sink = run(
                streamCall(false, ",\"response_format\":{\"type\":\"json_object\"}"), out.toByteArray(), new int[0]);
        String content = sink.chunks.stream()
                .map(c -> c.at("/choices/0/delta/content").asText(""))
                .collect(Collectors.joining());
        assertEquals("{}", content, "like the non-streamed emulation answer");
    }

    @Test
    void theJsonEmulationToolStreamsAsContentAndFinishesWithStop() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"));
        out.writeBytes(EventStreamFrames.event(
                "contentBlockStart",
                "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"t\",\"name\":\"json_response\"}}}"));
        out.writeBytes(EventStreamFrames.event(
                "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"a\\\":\"}}}"));
        out.writeBytes(EventStreamFrames.event(
                "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"1}\"}}}"));
        out.writeBytes(EventStreamFrames.event("messageStop", "{\"stopReason\":\"tool_use\"}"));
        out.writeBytes(EventStreamFrames.event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}"));
        RecordingSink sink = run(
                streamCall(false, ",\"response_format\":{\"type\":\"json_object\"}"), out.toByteArray(), new int[0]);
        String content = sink.chunks.stream()
                .map(c -> c.at("/choices/0/delta/content").asText(""))
                .collect(Collectors.joining());
        assertEquals("{\"a\":1}", content);
        assertTrue(sink.chunks.stream().noneMatch(c -> c.at("/choices/0/delta").has("tool_calls")));
        assertEquals(
                "stop",
                sink.chunks
                        .get(sink.chunks.size() - 1)
                        .at("/choices/0/finish_reason")
                        .asText());
        assertTrue(sink.failures.isEmpty());
    }
}
