package dev.switchboard.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.FinishReasons;
import dev.switchboard.spi.ProviderCall;

/**
 * Maps an Anthropic {@code Message} to an OpenAI {@code chat.completion} (PROVIDERS.md §4.3): text
 * blocks joined, {@code tool_use} blocks as {@code tool_calls}, thinking blocks as the de-facto
 * {@code reasoning_content} field, stop reasons and usage per the tables in §2.2/§2.3.
 *
 * <pre>{@code
 * ObjectNode completion = AnthropicResponseMapper.toChatCompletion(call, messageJson);
 * }</pre>
 */
public final class AnthropicResponseMapper {
    private AnthropicResponseMapper() {}

    public static ObjectNode toChatCompletion(ProviderCall call, JsonNode message) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> reasoning.append(block.path("thinking").asText());
                case "tool_use" -> {
                    ObjectNode tc = toolCalls.addObject();
                    tc.put("id", block.path("id").asText());
                    tc.put("type", "function");
                    JsonNode input = block.get("input");
                    tc.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", input == null || input.isNull() ? "{}" : Json.text(input));
                }
                default -> {
                    // redacted_thinking, server tool blocks: nothing the OpenAI message can carry
                }
            }
        }
        ObjectNode msg = Json.object().put("role", "assistant");
        if (text.length() == 0 && !toolCalls.isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", text.toString());
        }
        msg.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            msg.set("tool_calls", toolCalls);
        }
        if (reasoning.length() > 0) {
            msg.put("reasoning_content", reasoning.toString());
        }
        String id = message.path("id").asText("");
        ObjectNode r = Json.object();
        r.put("id", id.isEmpty() ? "chatcmpl-anthropic" : id);
        r.put("object", "chat.completion");
        r.put("created", call.clock().instant().getEpochSecond());
        r.put("model", message.path("model").asText(call.body().path("model").asText("")));
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", msg);
        choice.putNull("logprobs");
        String finish = finishReason(message.path("stop_reason").asText(null));
        choice.put("finish_reason", finish == null ? FinishReasons.STOP : finish);
        r.set("usage", usage(message.path("usage")).toOpenAi());
        return r;
    }

    /** Anthropic {@code stop_reason} → OpenAI {@code finish_reason}; null stays null. */
    public static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReasons.LENGTH;
            case "tool_use" -> FinishReasons.TOOL_CALLS;
            case "refusal" -> FinishReasons.CONTENT_FILTER;
            default -> FinishReasons.STOP; // end_turn, stop_sequence, pause_turn, compaction
        };
    }

    /** Anthropic usage → OpenAI conventions: prompt tokens include cache reads and cache writes. */
    public static Usage usage(JsonNode u) {
        return usage(u.path("input_tokens").asLong(0), u.path("cache_read_input_tokens").asLong(0),
                u.path("cache_creation_input_tokens").asLong(0), u.path("output_tokens").asLong(0));
    }

    static Usage usage(long input, long cacheRead, long cacheWrite, long output) {
        long prompt = input + cacheRead + cacheWrite;
        return new Usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0, 0, 0, false);
    }
}
