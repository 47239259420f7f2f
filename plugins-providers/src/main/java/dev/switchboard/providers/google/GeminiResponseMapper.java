package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.FinishReasons;
import dev.switchboard.spi.ProviderCall;
import java.util.UUID;

/**
 * Maps a Gemini {@code GenerateContentResponse} to an OpenAI {@code chat.completion} (PROVIDERS.md
 * §5.4): one choice per candidate, text parts joined (thought summaries as {@code reasoning_content}),
 * {@code functionCall} parts as tool calls with gateway-generated ids, finish reasons and usage per
 * the tables in §2.2/§2.3.
 *
 * <pre>{@code
 * ObjectNode completion = GeminiResponseMapper.toChatCompletion(call, response, signatures);
 * }</pre>
 */
final class GeminiResponseMapper {
    private GeminiResponseMapper() {}

    static ObjectNode toChatCompletion(ProviderCall call, JsonNode resp, ThoughtSignatures signatures) {
        ObjectNode r = Json.object();
        r.put("id", resp.path("responseId").asText("chatcmpl-" + shortId()));
        r.put("object", "chat.completion");
        r.put("created", call.clock().instant().getEpochSecond());
        r.put("model", resp.path("modelVersion").asText(call.body().path("model").asText("")));
        ArrayNode choices = r.putArray("choices");
        JsonNode candidates = resp.path("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            choices.add(choice(candidates.get(i), i, signatures));
        }
        if (choices.isEmpty()) {
            // A blocked prompt has no candidates, only promptFeedback.blockReason.
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").putNull("content").putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", resp.path("promptFeedback").has("blockReason")
                    ? FinishReasons.CONTENT_FILTER : FinishReasons.STOP);
        }
        r.set("usage", usage(resp.path("usageMetadata")).toOpenAi());
        return r;
    }

    private static ObjectNode choice(JsonNode candidate, int position, ThoughtSignatures signatures) {
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                toolCalls.add(toolCall(part, signatures));
            } else if (part.has("text")) {
                (part.path("thought").asBoolean(false) ? thoughts : text).append(part.get("text").asText());
            }
        }
        ObjectNode choice = Json.object().put("index", candidate.path("index").asInt(position));
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        if (text.length() == 0 && !toolCalls.isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", text.toString());
        }
        msg.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            msg.set("tool_calls", toolCalls);
        }
        if (thoughts.length() > 0) {
            msg.put("reasoning_content", thoughts.toString());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(candidate.path("finishReason").asText(null), !toolCalls.isEmpty()));
        return choice;
    }

    /** One OpenAI tool call for a {@code functionCall} part; its thought signature is remembered. */
    static ObjectNode toolCall(JsonNode part, ThoughtSignatures signatures) {
        JsonNode fc = part.get("functionCall");
        String id = fc.path("id").asText("");
        if (id.isEmpty()) {
            id = "call_" + shortId();
        }
        if (part.hasNonNull("thoughtSignature")) {
            signatures.put(id, part.get("thoughtSignature").asText());
        }
        ObjectNode tc = Json.object().put("id", id).put("type", "function");
        JsonNode args = fc.get("args");
        tc.putObject("function").put("name", fc.path("name").asText())
                .put("arguments", args == null || args.isNull() ? "{}" : Json.text(args));
        return tc;
    }

    /** Gemini {@code finishReason} → OpenAI; a STOP with function calls is {@code tool_calls}. */
    static String finishReason(String reason, boolean hasToolCalls) {
        if (reason == null) {
            return hasToolCalls ? FinishReasons.TOOL_CALLS : FinishReasons.STOP;
        }
        return switch (reason) {
            case "MAX_TOKENS" -> FinishReasons.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                    "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReasons.CONTENT_FILTER;
            default -> hasToolCalls ? FinishReasons.TOOL_CALLS : FinishReasons.STOP;
        };
    }

    /**
     * Gemini usage → OpenAI conventions: prompt = promptTokenCount (already includes cached content)
     * + toolUsePromptTokenCount; completion = candidates + thoughts, with thoughts as reasoning tokens.
     */
    static Usage usage(JsonNode u) {
        long prompt = u.path("promptTokenCount").asLong(0) + u.path("toolUsePromptTokenCount").asLong(0);
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        long completion = u.path("candidatesTokenCount").asLong(0) + thoughts;
        return new Usage(prompt, completion, prompt + completion, u.path("cachedContentTokenCount").asLong(0), 0,
                thoughts, 0, 0, false);
    }

    static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
