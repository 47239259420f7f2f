package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.openai.ChunkBuilder;
import dev.switchboard.spi.openai.FinishReasons;
import dev.switchboard.spi.support.SseDecoder;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns Gemini's {@code alt=sse} stream (one {@code GenerateContentResponse} per {@code data:} event,
 * no terminator) into OpenAI chunks (PROVIDERS.md §5.5). Function calls arrive whole and are emitted
 * as one tool-call delta each, indexed 0, 1, 2… per choice. The stream is complete when a
 * {@code finishReason} was seen and the body ends; usage is the last {@code usageMetadata}. A
 * candidate that ends with a tool-calling failure ({@code MALFORMED_FUNCTION_CALL}, …) fails the
 * stream: its caller gets an error event, not an empty {@code stop}.
 *
 * <pre>{@code
 * StreamTranslator t = new GeminiStreamTranslator(call, signatures);
 * }</pre>
 */
final class GeminiStreamTranslator implements StreamTranslator {
    private final SseDecoder decoder = new SseDecoder();
    private final ProviderCall call;
    private final ThoughtSignatures signatures;
    private final boolean includeUsage;
    private ChunkBuilder chunks;
    /** Per choice index: how many tool calls were emitted (the next tool-call index). */
    private final Map<Integer, Integer> toolCallsByChoice = new HashMap<>();

    private final Map<Integer, Boolean> startedChoices = new HashMap<>();
    private boolean finished;
    private boolean failed;
    private JsonNode usageMetadata = Json.object();

    GeminiStreamTranslator(ProviderCall call, ThoughtSignatures signatures) {
        this.call = call;
        this.signatures = signatures;
        this.includeUsage =
                call.body().path("stream_options").path("include_usage").asBoolean(false);
    }

    @Override
    public void onBytes(ByteBuffer bytes, StreamSink sink) {
        decoder.feed(bytes, e -> onEvent(e, sink));
    }

    @Override
    public void onEnd(StreamSink sink) {
        decoder.finish(e -> onEvent(e, sink));
        if (failed) {
            return;
        }
        if (!finished) {
            failed = true;
            sink.fail("stream_error", call.providerId() + " stream ended without a finishReason");
            return;
        }
        if (includeUsage) {
            sink.emit(chunks.usage(usage()));
        }
    }

    /** The usage reported so far (final once the stream ended). */
    Usage usage() {
        return GeminiResponseMapper.usage(usageMetadata);
    }

    private void onEvent(ServerSentEvent event, StreamSink sink) {
        String data = event.data();
        if (failed || data == null || data.isBlank() || data.equals("[DONE]")) {
            return;
        }
        JsonNode resp;
        try {
            resp = Json.parse(data);
        } catch (IllegalArgumentException e) {
            failed = true;
            sink.fail("stream_error", call.providerId() + " sent a malformed stream event: " + e.getMessage());
            return;
        }
        if (resp.isArray() && !resp.isEmpty()) {
            resp = resp.get(0);
        }
        if (resp.path("error").isObject()) {
            failed = true;
            JsonNode err = resp.get("error");
            sink.fail(
                    err.path("status").asText("api_error"),
                    call.providerId() + " error: " + err.path("message").asText("stream error"));
            return;
        }
        if (chunks == null) {
            chunks = new ChunkBuilder(
                    resp.path("responseId").asText("chatcmpl-" + GeminiResponseMapper.shortId()),
                    resp.path("modelVersion").asText(call.body().path("model").asText("")),
                    call.clock().instant().getEpochSecond());
        }
        if (resp.path("usageMetadata").isObject()) {
            usageMetadata = resp.get("usageMetadata");
        }
        JsonNode candidates = resp.path("candidates");
        for (int i = 0; i < candidates.size() && !failed; i++) {
            onCandidate(candidates.get(i), i, sink);
        }
        if (candidates.isEmpty() && resp.path("promptFeedback").has("blockReason")) {
            start(0, sink);
            finished = true;
            sink.emit(chunks.finish(FinishReasons.CONTENT_FILTER));
        }
    }

    private void onCandidate(JsonNode candidate, int position, StreamSink sink) {
        int index = candidate.path("index").asInt(position);
        ChunkBuilder choice = chunks.forChoice(index);
        start(index, sink);
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                int k = toolCallsByChoice.merge(index, 1, Integer::sum) - 1;
                ObjectNode tc = GeminiResponseMapper.toolCall(part, signatures);
                JsonNode fn = tc.get("function");
                sink.emit(choice.toolCallStart(
                        k,
                        tc.get("id").asText(),
                        fn.get("name").asText(),
                        fn.get("arguments").asText()));
            } else if (part.has("text") && !part.get("text").asText().isEmpty()) {
                String text = part.get("text").asText();
                sink.emit(part.path("thought").asBoolean(false) ? choice.reasoning(text) : choice.content(text));
            }
        }
        String reason = candidate.path("finishReason").asText(null);
        if (reason != null && GeminiResponseMapper.TOOL_CALL_FAILURES.contains(reason)) {
            failed = true;
            sink.fail("api_error", call.providerId() + " error: " + GeminiResponseMapper.failureMessage(candidate));
            return;
        }
        if (reason != null) {
            finished = true;
            boolean hadToolCalls = toolCallsByChoice.getOrDefault(index, 0) > 0;
            sink.emit(choice.finish(GeminiResponseMapper.finishReason(reason, hadToolCalls)));
        }
    }

    private void start(int index, StreamSink sink) {
        if (startedChoices.putIfAbsent(index, Boolean.TRUE) == null) {
            sink.emit(chunks.forChoice(index).role());
        }
    }
}
