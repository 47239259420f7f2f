package dev.switchboard.providers.compat;

import dev.switchboard.api.Endpoint;
import java.util.Map;
import java.util.Set;

/**
 * How one OpenAI-compatible provider differs from OpenAI: base URL, endpoints, and the request
 * rewrites it needs (PROVIDERS.md §9, §10). Everything not listed passes through untouched.
 *
 * @param defaultBaseUrl       null when the target must give {@code custom_host} (Ollama)
 * @param unsupportedParams    top-level fields the provider rejects or ignores: dropped and recorded
 * @param rejectsMessageName   drop {@code messages[].name}
 * @param singleChoiceOnly     drop {@code n} unless it is 1
 * @param developerAsSystem    rewrite {@code developer} messages to {@code system}
 * @param maxTokensOnly        send {@code max_completion_tokens} as {@code max_tokens}
 * @param noTools              drop {@code tools}, {@code tool_choice}, {@code parallel_tool_calls}
 * @param authOptional         send {@code Authorization} only when a key is configured
 * @param optionHeaders        target option → upstream header (OpenRouter attribution)
 */
record CompatibleQuirks(
        String id,
        String defaultBaseUrl,
        Set<Endpoint> endpoints,
        Set<String> unsupportedParams,
        boolean rejectsMessageName,
        boolean singleChoiceOnly,
        boolean developerAsSystem,
        boolean maxTokensOnly,
        boolean noTools,
        boolean authOptional,
        Map<String, String> optionHeaders) {}
