package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.FinishReasons;
import java.util.Set;
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
        ChatCompletions.Builder out = ChatCompletions.builder(resp.path("modelVersion")
                        .asText(call.body().path("model").asText("")))
                .id(resp.path("responseId").asText("chatcmpl-" + shortId()))
                .created(call.clock().instant().getEpochSecond());
        JsonNode candidates = resp.path("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            choice(out, candidates.get(i), i, signatures);
        }
        if (candidates.isEmpty()) {
            // A blocked prompt has no candidates, only promptFeedback.blockReason.
            out.finishReason(
                    resp.path("promptFeedback").has("blockReason") ? FinishReasons.CONTENT_FILTER : FinishReasons.STOP);
        }
        return out.usage(usage(resp.path("usageMetadata"))).build();
    }

    private static void choice(
            ChatCompletions.Builder out, JsonNode candidate, int position, ThoughtSignatures signatures) {
        out.choice(candidate.path("index").asInt(position));
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        boolean toolCalls = false;
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                JsonNode fc = part.get("functionCall");
                out.toolCall(toolCallId(part, signatures), fc.path("name").asText(), fc.get("args"));
                toolCalls = true;
            } else if (part.has("text")) {
                (part.path("thought").asBoolean(false) ? thoughts : text)
                        .append(part.get("text").asText());
            }
        }
        out.content(text.toString())
                .reasoning(thoughts.toString())
                .finishReason(finishReason(candidate.path("finishReason").asText(null), toolCalls));
    }

    /** One OpenAI tool call for a {@code functionCall} part; its thought signature is remembered. */
    static ObjectNode toolCall(JsonNode part, ThoughtSignatures signatures) {
        JsonNode fc = part.get("functionCall");
        ObjectNode tc = Json.object().put("id", toolCallId(part, signatures)).put("type", "function");
        JsonNode args = fc.get("args");
        tc.putObject("function")
                .put("name", fc.path("name").asText())
                .put("arguments", args == null || args.isNull() ? "{}" : Json.text(args));
        return tc;
    }

    /** The call's id (Gemini's, or a generated one); its thought signature is remembered under it. */
    private static String toolCallId(JsonNode part, ThoughtSignatures signatures) {
        String id = part.get("functionCall").path("id").asText("");
        if (id.isEmpty()) {
            id = "call_" + shortId();
        }
        if (part.hasNonNull("thoughtSignature")) {
            signatures.put(id, part.get("thoughtSignature").asText());
        }
        return id;
    }

    /**
     * Gemini's finish reasons for a tool call that went wrong (PROVIDERS.md §2.2: "stop, log/surface as
     * error"). Switchboard surfaces them as errors: an answer whose every candidate ended this way is a
     * 502 (a retry or the next target may well succeed), a stream that ends this way ends with an
     * error event; a 200 with empty content and {@code stop} would look like a finished, empty answer.
     */
    static final Set<String> TOOL_CALL_FAILURES = Set.of(
            "MALFORMED_FUNCTION_CALL",
            "UNEXPECTED_TOOL_CALL",
            "TOO_MANY_TOOL_CALLS",
            "MISSING_THOUGHT_SIGNATURE",
            "MALFORMED_RESPONSE");

    /**
     * The error message when every candidate ended with one of {@link #TOOL_CALL_FAILURES}, else null.
     *
     * @param resp a {@code GenerateContentResponse}
     */
    static String toolCallFailure(JsonNode resp) {
        JsonNode candidates = resp.path("candidates");
        if (candidates.isEmpty()) {
            return null;
        }
        for (JsonNode c : candidates) {
            if (!TOOL_CALL_FAILURES.contains(c.path("finishReason").asText(""))) {
                return null;
            }
        }
        return failureMessage(candidates.get(0));
    }

    /** {@code generation failed (finishReason MALFORMED_FUNCTION_CALL: <Gemini's finishMessage>)}. */
    static String failureMessage(JsonNode candidate) {
        String detail = candidate.path("finishMessage").asText("");
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "…";
        }
        return "generation failed (finishReason "
                + candidate.path("finishReason").asText() + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }

    /** Gemini {@code finishReason} → OpenAI; a STOP with function calls is {@code tool_calls}. */
    static String finishReason(String reason, boolean hasToolCalls) {
        if (reason == null) {
            return hasToolCalls ? FinishReasons.TOOL_CALLS : FinishReasons.STOP;
        }
        return switch (reason) {
            case "MAX_TOKENS" -> FinishReasons.LENGTH;
            case "SAFETY",
                    "RECITATION",
                    "BLOCKLIST",
                    "PROHIBITED_CONTENT",
                    "SPII",
                    "IMAGE_SAFETY",
                    "IMAGE_PROHIBITED_CONTENT",
                    "IMAGE_RECITATION" -> FinishReasons.CONTENT_FILTER;
            default -> hasToolCalls ? FinishReasons.TOOL_CALLS : FinishReasons.STOP;
        };
    }

    /**
     * Gemini usage → OpenAI conventions: prompt = promptTokenCount (already includes cached content)
     * + toolUsePromptTokenCount; completion = candidates + thoughts, with thoughts as reasoning tokens.
     */
    static Usage usage(JsonNode u) {
        long prompt = u.path("promptTokenCount").asLong(0)
                + u.path("toolUsePromptTokenCount").asLong(0);
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        long completion = u.path("candidatesTokenCount").asLong(0) + thoughts;
        return new Usage(
                prompt,
                completion,
                prompt + completion,
                u.path("cachedContentTokenCount").asLong(0),
                0,
                thoughts,
                0,
                0,
                false);
    }

    static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
