package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token usage with OpenAI's conventions: {@code promptTokens} includes cached and cache-write tokens,
 * {@code completionTokens} includes reasoning tokens. {@code estimated} marks counts the gateway
 * estimated itself (e.g. a stream cut before its usage chunk).
 */
public record Usage(
        long promptTokens,
        long completionTokens,
        long totalTokens,
        long cachedTokens,
        long cacheWriteTokens,
        long reasoningTokens,
        long audioInputTokens,
        long audioOutputTokens,
        boolean estimated) {

    /** No tokens. */
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0, 0, false);

    /**
     * Usage with only prompt and completion counts (the total is their sum).
     *
     * @param prompt     prompt (input) tokens
     * @param completion completion (output) tokens
     * @return the usage
     */
    public static Usage of(long prompt, long completion) {
        return new Usage(prompt, completion, prompt + completion, 0, 0, 0, 0, 0, false);
    }

    /**
     * Reads an OpenAI {@code usage} object (Chat Completions or Responses naming).
     *
     * @param usage the {@code usage} node, may be null or missing
     * @return the usage, or null when {@code usage} is not an object
     */
    public static Usage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
        long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
        long total = usage.has("total_tokens") ? usage.path("total_tokens").asLong() : prompt + completion;
        JsonNode pd = usage.path("prompt_tokens_details");
        JsonNode cd = usage.path("completion_tokens_details");
        return new Usage(prompt, completion, total,
                pd.path("cached_tokens").asLong(0),
                pd.path("cache_write_tokens").asLong(usage.path("cache_creation_input_tokens").asLong(0)),
                cd.path("reasoning_tokens").asLong(0),
                pd.path("audio_tokens").asLong(0),
                cd.path("audio_tokens").asLong(0),
                false);
    }

    /** {@return the OpenAI {@code usage} object for this usage} */
    public ObjectNode toOpenAi() {
        ObjectNode n = Json.object();
        n.put("prompt_tokens", promptTokens);
        n.put("completion_tokens", completionTokens);
        n.put("total_tokens", totalTokens);
        ObjectNode pd = n.putObject("prompt_tokens_details");
        pd.put("cached_tokens", cachedTokens);
        if (cacheWriteTokens > 0) {
            pd.put("cache_write_tokens", cacheWriteTokens);
        }
        if (audioInputTokens > 0) {
            pd.put("audio_tokens", audioInputTokens);
        }
        ObjectNode cd = n.putObject("completion_tokens_details");
        cd.put("reasoning_tokens", reasoningTokens);
        if (audioOutputTokens > 0) {
            cd.put("audio_tokens", audioOutputTokens);
        }
        return n;
    }

    /**
     * Adds two usages field by field.
     *
     * @param o the other usage; null counts as nothing
     * @return the sum, estimated if either side is
     */
    public Usage plus(Usage o) {
        if (o == null) {
            return this;
        }
        return new Usage(promptTokens + o.promptTokens, completionTokens + o.completionTokens,
                totalTokens + o.totalTokens, cachedTokens + o.cachedTokens, cacheWriteTokens + o.cacheWriteTokens,
                reasoningTokens + o.reasoningTokens, audioInputTokens + o.audioInputTokens,
                audioOutputTokens + o.audioOutputTokens, estimated || o.estimated);
    }

    /** {@return the same counts marked as estimated by the gateway} */
    public Usage asEstimate() {
        return new Usage(promptTokens, completionTokens, totalTokens, cachedTokens, cacheWriteTokens,
                reasoningTokens, audioInputTokens, audioOutputTokens, true);
    }
}
