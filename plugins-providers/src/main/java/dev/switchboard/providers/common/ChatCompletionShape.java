package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.openai.FinishReasons;
import java.time.Clock;

/**
 * Brings an almost-OpenAI {@code chat.completion} from an OpenAI-compatible provider to OpenAI's
 * schema in place: fills {@code object}, {@code created}, {@code choices[].logprobs},
 * {@code message.content}/{@code refusal} when missing, flattens content-part arrays to text (their
 * {@code thinking} parts to {@code reasoning_content}), brings tool calls to OpenAI's shape
 * ({@code "type": "function"}, {@code arguments} as a JSON text — Mistral omits the first and may
 * send the second as an object), maps non-OpenAI finish reasons and normalises usage. Unknown
 * fields stay.
 *
 * <pre>{@code
 * ChatCompletionShape.Failure failure = ChatCompletionShape.complete(body, clock);
 * if (failure != null) return OpenAiErrors.generationFailed(id, failure.status(), failure.message());
 * }</pre>
 */
public final class ChatCompletionShape {
    private ChatCompletionShape() {}

    /**
     * A choice that reports a failed generation inside a 2xx answer.
     *
     * @param status  the status to answer with: 503 for a provider out of capacity (DeepSeek
     *                {@code insufficient_system_resource}, PROVIDERS.md §2.2), 502 otherwise
     * @param message what failed, naming the provider's finish reason
     */
    public record Failure(int status, String message) {}

    /**
     * Completes {@code body} in place; returns null, or the failure when a choice reports a failed
     * generation (finish reason {@code error}, {@code insufficient_system_resource}).
     */
    public static Failure complete(ObjectNode body, Clock clock) {
        if (!body.has("object")) {
            body.put("object", "chat.completion");
        }
        if (!body.has("created") || !body.get("created").canConvertToLong()) {
            body.put("created", clock.instant().getEpochSecond());
        }
        if (!body.has("model") || body.get("model").isNull()) {
            body.put("model", "");
        }
        if (!body.has("id") || body.get("id").isNull()) {
            body.put("id", "chatcmpl-" + Long.toHexString(clock.millis()));
        }
        Failure failure = null;
        for (JsonNode c : body.path("choices")) {
            if (!(c instanceof ObjectNode choice)) {
                continue;
            }
            if (!choice.has("logprobs")) {
                choice.putNull("logprobs");
            }
            if (choice.get("message") instanceof ObjectNode message) {
                completeMessage(message);
            }
            JsonNode fr = choice.get("finish_reason");
            if (fr != null && fr.isTextual() && !FinishReasons.isOpenAi(fr.asText())) {
                String mapped = FinishReasons.openAiLike(fr.asText());
                if (mapped == null) {
                    failure = new Failure(
                            failureStatus(fr.asText()), "generation failed (finish_reason " + fr.asText() + ")");
                } else {
                    choice.put("finish_reason", mapped);
                }
            } else if (fr == null || fr.isNull()) {
                choice.put("finish_reason", FinishReasons.STOP);
            }
        }
        OpenAiUsage.normalize(body.get("usage"));
        return failure;
    }

    /**
     * The status for a finish reason that reports a failed generation: 503 when the provider says it
     * is out of capacity (retried and failed over like any 503), 502 for other failures.
     */
    public static int failureStatus(String finishReason) {
        return "insufficient_system_resource".equalsIgnoreCase(finishReason)
                ? 503
                : OpenAiErrors.INVALID_RESPONSE_STATUS;
    }

    static void completeMessage(ObjectNode message) {
        if (!message.has("role")) {
            message.put("role", "assistant");
        }
        JsonNode content = message.get("content");
        if (content == null) {
            message.putNull("content");
        } else if (content.isArray()) {
            String reasoning = reasoningOf(content);
            if (!reasoning.isEmpty() && !message.hasNonNull("reasoning_content")) {
                message.put("reasoning_content", reasoning);
            }
            message.put("content", textOf(content));
        }
        if (!message.has("refusal")) {
            message.putNull("refusal");
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && calls.isNull()) {
            message.remove("tool_calls");
        } else if (calls != null) {
            calls.forEach(call -> toolCall(call, true));
        }
    }

    /**
     * The tool-call deltas of a stream chunk in OpenAI's shape: {@code type} on the delta that opens
     * a call (the one with its {@code id}), {@code arguments} as text.
     */
    public static void completeToolCallDeltas(ObjectNode chunk) {
        for (JsonNode choice : chunk.path("choices")) {
            for (JsonNode call : choice.path("delta").path("tool_calls")) {
                toolCall(call, false);
            }
        }
    }

    /**
     * One tool call (or tool-call delta) in OpenAI's shape. A whole call always gets {@code type} and
     * at least {@code "{}"} as arguments; a delta gets {@code type} only when it opens the call.
     */
    private static void toolCall(JsonNode node, boolean whole) {
        if (!(node instanceof ObjectNode call)) {
            return;
        }
        JsonNode type = call.get("type");
        if ((type == null || type.isNull()) && call.has("function") && (whole || call.hasNonNull("id"))) {
            call.put("type", "function");
        }
        if (!(call.get("function") instanceof ObjectNode function)) {
            return;
        }
        JsonNode arguments = function.get("arguments");
        if (arguments != null && arguments.isContainerNode()) {
            function.put("arguments", Json.text(arguments));
        } else if (whole
                && (arguments == null
                        || arguments.isNull()
                        || arguments.asText().isBlank())) {
            function.put("arguments", "{}");
        }
    }

    /**
     * Joins the reasoning of {@code thinking} content parts — Mistral's {@code {"type":"thinking",
     * "thinking":[{"type":"text","text":…}]}} and Cohere's {@code {"type":"thinking","thinking":"…"}} —
     * which the gateway answers as {@code reasoning_content}, as for Anthropic, Gemini and Bedrock.
     */
    public static String reasoningOf(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            if (!"thinking".equals(p.path("type").asText())) {
                continue;
            }
            JsonNode thinking = p.get("thinking");
            if (thinking != null && thinking.isTextual()) {
                sb.append(thinking.asText());
            } else if (thinking != null && thinking.isArray()) {
                sb.append(textOf(thinking));
            }
        }
        return sb.toString();
    }

    /** Joins the {@code text} of content parts (reasoning parts such as {@code thinking} are left out). */
    public static String textOf(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            if (p.isTextual()) {
                sb.append(p.asText());
            } else if ("text".equals(p.path("type").asText()) || (!p.has("type") && p.has("text"))) {
                sb.append(p.path("text").asText());
            }
        }
        return sb.toString();
    }
}
