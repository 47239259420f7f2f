package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

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
     * Usage with only prompt and completion counts (the total is their sum, saturating at {@code Long.MAX_VALUE}).
     *
     * @param prompt     prompt (input) tokens
     * @param completion completion (output) tokens
     * @return the usage
     */
    public static Usage of(long prompt, long completion) {
        return new Usage(prompt, completion, add(prompt, completion), 0, 0, 0, 0, 0, false);
    }

    /**
     * Reads an OpenAI {@code usage} object (Chat Completions or Responses naming). Counts are clamped to
     * 0 … {@code Long.MAX_VALUE}: a negative or absurd figure from a provider cannot refund a budget or wrap.
     *
     * @param usage the {@code usage} node, may be null or missing
     * @return the usage, or null when {@code usage} is not an object
     */
    public static @Nullable Usage fromOpenAi(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = count(usage.path("prompt_tokens"), count(usage.path("input_tokens"), 0));
        long completion = count(usage.path("completion_tokens"), count(usage.path("output_tokens"), 0));
        long total = usage.has("total_tokens") ? count(usage.path("total_tokens"), 0) : add(prompt, completion);
        // chat names its details prompt_/completion_tokens_details, the Responses API input_/output_tokens_details
        JsonNode pd = usage.has("prompt_tokens_details")
                ? usage.path("prompt_tokens_details")
                : usage.path("input_tokens_details");
        JsonNode cd = usage.has("completion_tokens_details")
                ? usage.path("completion_tokens_details")
                : usage.path("output_tokens_details");
        return new Usage(
                prompt,
                completion,
                total,
                count(pd.path("cached_tokens"), 0),
                count(pd.path("cache_write_tokens"), count(usage.path("cache_creation_input_tokens"), 0)),
                count(cd.path("reasoning_tokens"), 0),
                count(pd.path("audio_tokens"), 0),
                count(cd.path("audio_tokens"), 0),
                false);
    }

    /**
     * A token count as a provider sent it: a number, clamped to 0 … {@code Long.MAX_VALUE} (a count
     * past the {@code long} range saturates instead of wrapping; a negative one is 0).
     */
    private static long count(JsonNode n, long absent) {
        if (n != null && n.isTextual()) {
            try {
                return Math.max(0, Long.parseLong(n.asText().trim()));
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        if (n == null || !n.isNumber()) {
            return absent;
        }
        if (n.canConvertToExactIntegral() && n.canConvertToLong()) {
            return Math.max(0, n.longValue());
        }
        double d = n.doubleValue();
        return d <= 0 || Double.isNaN(d) ? 0 : d >= 0x1p63 ? Long.MAX_VALUE : (long) Math.ceil(d);
    }

    /** Saturating addition: token counts never wrap around. */
    private static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
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
     * Adds two usages field by field, saturating at {@code Long.MAX_VALUE} instead of wrapping around.
     *
     * @param o the other usage; null counts as nothing
     * @return the sum, estimated if either side is
     */
    public Usage plus(@Nullable Usage o) {
        if (o == null) {
            return this;
        }
        return new Usage(
                add(promptTokens, o.promptTokens),
                add(completionTokens, o.completionTokens),
                add(totalTokens, o.totalTokens),
                add(cachedTokens, o.cachedTokens),
                add(cacheWriteTokens, o.cacheWriteTokens),
                add(reasoningTokens, o.reasoningTokens),
                add(audioInputTokens, o.audioInputTokens),
                add(audioOutputTokens, o.audioOutputTokens),
                estimated || o.estimated);
    }

    /** {@return the same counts marked as estimated by the gateway} */
    public Usage asEstimate() {
        return new Usage(
                promptTokens,
                completionTokens,
                totalTokens,
                cachedTokens,
                cacheWriteTokens,
                reasoningTokens,
                audioInputTokens,
                audioOutputTokens,
                true);
    }
}
