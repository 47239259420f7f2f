package dev.switchboard.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.FinishReasons;

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

    /** The {@code chat.completion} for an Anthropic {@code Message} answering {@code call}. */
    public static ObjectNode toChatCompletion(ProviderCall call, JsonNode message) {
        String id = message.path("id").asText("");
        ChatCompletions.Builder out = ChatCompletions.builder(
                        message.path("model").asText(call.body().path("model").asText("")))
                .id(id.isEmpty() ? "chatcmpl-anthropic" : id)
                .created(call.clock().instant().getEpochSecond());
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> reasoning.append(block.path("thinking").asText());
                case "tool_use" ->
                    out.toolCall(block.path("id").asText(), block.path("name").asText(), block.get("input"));
                default -> {
                    // redacted_thinking, server tool blocks: nothing the OpenAI message can carry
                }
            }
        }
        String finish = finishReason(message.path("stop_reason").asText(null));
        return out.content(text.toString())
                .reasoning(reasoning.toString())
                .finishReason(finish == null ? FinishReasons.STOP : finish)
                .usage(usage(message.path("usage")))
                .build();
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
        return usage(
                u.path("input_tokens").asLong(0),
                u.path("cache_read_input_tokens").asLong(0),
                u.path("cache_creation_input_tokens").asLong(0),
                u.path("output_tokens").asLong(0));
    }

    static Usage usage(long input, long cacheRead, long cacheWrite, long output) {
        long prompt = input + cacheRead + cacheWrite;
        return new Usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0, 0, 0, false);
    }
}
