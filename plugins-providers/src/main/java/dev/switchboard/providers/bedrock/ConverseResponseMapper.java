package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.FinishReasons;

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
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
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
                ObjectNode tc = toolCalls.addObject();
                tc.put("id", use.path("toolUseId").asText());
                tc.put("type", "function");
                ObjectNode fn = tc.putObject("function");
                fn.put("name", use.path("name").asText());
                fn.put("arguments", Json.text(input));
            } else if (block.has("reasoningContent")) {
                reasoning.append(block.path("reasoningContent").path("reasoningText").path("text").asText(""));
            }
        }
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", model);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (text.length() > 0 || toolCalls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        message.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        if (reasoning.length() > 0) {
            message.put("reasoning_content", reasoning.toString());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(converse.path("stopReason").asText(null), jsonAnswered && toolCalls.isEmpty()));
        out.set("usage", usage(converse.path("usage")).toOpenAi());
        return out;
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
