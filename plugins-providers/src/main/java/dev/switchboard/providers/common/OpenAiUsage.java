package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Normalises OpenAI-shaped {@code usage} objects from OpenAI-compatible providers in place, so the
 * gateway's accounting reads them the same way: DeepSeek's {@code prompt_cache_hit_tokens} become
 * {@code prompt_tokens_details.cached_tokens}; a missing {@code total_tokens} is filled in.
 *
 * <pre>{@code
 * OpenAiUsage.normalize((ObjectNode) body.get("usage"));
 * }</pre>
 */
public final class OpenAiUsage {
    private OpenAiUsage() {}

    public static void normalize(JsonNode usageNode) {
        if (!(usageNode instanceof ObjectNode usage)) {
            return;
        }
        JsonNode hit = usage.get("prompt_cache_hit_tokens");
        if (hit != null && hit.canConvertToLong()) {
            JsonNode pd = usage.get("prompt_tokens_details");
            ObjectNode details = pd instanceof ObjectNode o ? o : usage.putObject("prompt_tokens_details");
            if (!details.has("cached_tokens")) {
                details.put("cached_tokens", hit.asLong());
            }
        }
        if (!usage.has("total_tokens") && usage.has("prompt_tokens")) {
            usage.put(
                    "total_tokens",
                    usage.path("prompt_tokens").asLong()
                            + usage.path("completion_tokens").asLong());
        }
    }
}
