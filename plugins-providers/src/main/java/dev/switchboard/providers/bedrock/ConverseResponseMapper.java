package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.FinishReasons;

/**
 * Bedrock Converse response → OpenAI {@code chat.completion} (PROVIDERS.md §6.4): text blocks join
 * into {@code content}, {@code toolUse} blocks become {@code tool_calls} (arguments serialised to a
 * JSON string) except the {@code response_format} emulation tool, whose input becomes the content;
 * reasoning text goes to {@code reasoning_content}; usage counts cache reads and writes as prompt
 * tokens, as OpenAI does.
 */
final class ConverseResponseMapper {
    private ConverseResponseMapper() {}

    static ObjectNode toChatCompletion(JsonNode converse, String id, String model, long created, String jsonTool) {
        ChatCompletions.Builder out = ChatCompletions.builder(model).id(id).created(created);
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        boolean toolCalls = false;
        boolean jsonAnswered = false;
        for (JsonNode block : converse.path("output").path("message").path("content")) {
            if (block.has("text")) {
                text.append(block.get("text").asText());
            } else if (block.has("toolUse")) {
                JsonNode use = block.get("toolUse");
                JsonNode input = use.has("input") ? use.get("input") : Json.object();
                if (jsonTool != null && jsonTool.equals(use.path("name").asText())) {
                    text.append(Json.text(input));
                    jsonAnswered = true;
                    continue;
                }
                out.toolCall(use.path("toolUseId").asText(), use.path("name").asText(), Json.text(input));
                toolCalls = true;
            } else if (block.has("reasoningContent")) {
                reasoning.append(block.path("reasoningContent")
                        .path("reasoningText")
                        .path("text")
                        .asText(""));
            }
        }
        return out.content(text.toString())
                .reasoning(reasoning.toString())
                .finishReason(finishReason(converse.path("stopReason").asText(null), jsonAnswered && !toolCalls))
                .usage(usage(converse.path("usage")))
                .build();
    }

    /**
     * Table 2.2. {@code onlyJsonTool}: the model stopped to "call" the response_format emulation
     * tool, which for the caller is a normal end of answer.
     */
    static String finishReason(String stopReason, boolean onlyJsonTool) {
        if (stopReason == null) {
            return FinishReasons.STOP;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReasons.LENGTH;
            case "tool_use" -> onlyJsonTool ? FinishReasons.STOP : FinishReasons.TOOL_CALLS;
            case "guardrail_intervened", "content_filtered" -> FinishReasons.CONTENT_FILTER;
            default -> FinishReasons.STOP; // end_turn, stop_sequence, malformed_* and future values
        };
    }

    /** Table 2.3: prompt = input + cache read + cache write. */
    static Usage usage(JsonNode u) {
        long input = u.path("inputTokens").asLong(0);
        long cacheRead = u.path("cacheReadInputTokens").asLong(0);
        long cacheWrite = u.path("cacheWriteInputTokens").asLong(0);
        long output = u.path("outputTokens").asLong(0);
        long prompt = input + cacheRead + cacheWrite;
        return new Usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0, 0, 0, false);
    }
}
