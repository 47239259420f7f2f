package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.openai.FinishReasons;
import java.time.Clock;

/**
 * Brings an almost-OpenAI {@code chat.completion} from an OpenAI-compatible provider to OpenAI's
 * schema in place: fills {@code object}, {@code created}, {@code choices[].logprobs},
 * {@code message.content}/{@code refusal} when missing, flattens content-part arrays to text,
 * maps non-OpenAI finish reasons and normalises usage. Unknown fields stay.
 *
 * <pre>{@code
 * String failure = ChatCompletionShape.complete(body, clock);
 * if (failure != null) return OpenAiErrors.generationFailed(id, 502, failure);
 * }</pre>
 */
public final class ChatCompletionShape {
    private ChatCompletionShape() {}

    /**
     * Completes {@code body} in place; returns null, or a message when a choice reports a failed
     * generation (finish reason {@code error}, {@code insufficient_system_resource}).
     */
    public static String complete(ObjectNode body, Clock clock) {
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
        String failure = null;
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
                    failure = "generation failed (finish_reason " + fr.asText() + ")";
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

    static void completeMessage(ObjectNode message) {
        if (!message.has("role")) {
            message.put("role", "assistant");
        }
        JsonNode content = message.get("content");
        if (content == null) {
            message.putNull("content");
        } else if (content.isArray()) {
            message.put("content", textOf(content));
        }
        if (!message.has("refusal")) {
            message.putNull("refusal");
        }
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
