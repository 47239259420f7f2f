package dev.switchboard.providers.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.BodyEditor;
import dev.switchboard.providers.common.ChatCompletionShape;
import dev.switchboard.providers.common.OpenAiFormatReplies;
import dev.switchboard.providers.common.OpenAiStreamPassThrough;
import dev.switchboard.providers.common.RequiredCredentials;
import dev.switchboard.providers.common.UpstreamHeaders;
import dev.switchboard.providers.common.Uris;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.openai.FinishReasons;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code mistral-ai} provider: Mistral's OpenAI-like API ({@code https://api.mistral.ai/v1}).
 * Mistral rejects fields it does not know (its request schemas forbid extra properties), so unlike
 * the OpenAI-compatible family this adapter keeps only the fields in Mistral's spec, renames
 * {@code seed}→{@code random_seed} and {@code max_completion_tokens}→{@code max_tokens}, maps
 * {@code tool_choice: "required"}→{@code "any"}, clamps {@code temperature} to 0–1.5, and records
 * everything it drops. Answers are completed to OpenAI's shape (tool calls get {@code "type":
 * "function"}, object {@code arguments} become JSON text; {@code thinking} content parts become
 * {@code reasoning_content}). Streams pass through, except that tool-call
 * deltas get the same fixes and Mistral's usage (sent on the last content chunk) is moved to OpenAI's
 * separate {@code choices: []} usage chunk.
 *
 * <pre>{@code
 * {"provider": "mistral-ai", "api_key": "..."}
 * }</pre>
 */
public final class MistralProvider implements Provider {
    public static final String ID = "mistral-ai";
    public static final String DEFAULT_BASE_URL = "https://api.mistral.ai/v1";

    /** {@code ChatCompletionRequest} properties in {@code specs/mistral/openapi.yaml}. */
    static final Set<String> CHAT_FIELDS = Set.of(
            "model",
            "temperature",
            "top_p",
            "max_tokens",
            "stream",
            "stop",
            "random_seed",
            "metadata",
            "messages",
            "response_format",
            "tools",
            "tool_choice",
            "presence_penalty",
            "frequency_penalty",
            "n",
            "prediction",
            "parallel_tool_calls",
            "reasoning_effort",
            "prompt_mode",
            "guardrails",
            "prompt_cache_key",
            "service_tier",
            "safe_prompt");

    /** {@code EmbeddingRequest} properties. */
    static final Set<String> EMBEDDING_FIELDS =
            Set.of("model", "metadata", "input", "output_dimension", "output_dtype", "encoding_format");

    private static final Set<Endpoint> ENDPOINTS =
            EnumSet.of(Endpoint.CHAT_COMPLETIONS, Endpoint.EMBEDDINGS, Endpoint.MODELS);

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    /** Requires an {@code api_key}, on the target or through its virtual key. */
    @Override
    public List<String> validateOptions(String providerId, ObjectNode options) {
        List<String> problems = new ArrayList<>();
        RequiredCredentials.apiKey(providerId, options, problems);
        return problems;
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return ENDPOINTS.contains(endpoint);
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        Map<String, String> h = UpstreamHeaders.json(call);
        UpstreamHeaders.bearer(h, call.apiKey());
        URI uri = Uris.of(call.baseUrl(DEFAULT_BASE_URL) + call.endpoint().relativePath());
        if (call.endpoint() == Endpoint.MODELS) {
            h.remove("content-type");
            return new UpstreamRequest("GET", uri, h, null);
        }
        ObjectNode body = call.endpoint() == Endpoint.EMBEDDINGS ? embeddingBody(call) : chatBody(call);
        return UpstreamRequest.post(uri, h, call.jsonBytes(body)); // the caller's bytes unless a rewrite applied
    }

    private static ObjectNode chatBody(ProviderCall call) {
        BodyEditor body = new BodyEditor(call);
        body.rename("max_completion_tokens", "max_tokens", "Mistral reads max_tokens");
        body.rename("seed", "random_seed", "Mistral's name for seed");
        body.clamp("temperature", 0, 1.5, "Mistral's temperature range is 0-1.5");
        if ("required".equals(body.current().path("tool_choice").asText())) {
            body.edit().put("tool_choice", "any");
            call.note("rewrote tool_choice required as any: Mistral's name for it");
        }
        body.developerToSystem(ID);
        body.dropMessageNames("Mistral accepts name only on tool messages", "system", "user", "assistant");
        keepOnly(body, CHAT_FIELDS);
        return body.current();
    }

    private static ObjectNode embeddingBody(ProviderCall call) {
        BodyEditor body = new BodyEditor(call);
        body.rename("dimensions", "output_dimension", "Mistral's name for dimensions");
        keepOnly(body, EMBEDDING_FIELDS);
        return body.current();
    }

    private static void keepOnly(BodyEditor body, Set<String> allowed) {
        List<String> extra = new ArrayList<>();
        for (Iterator<String> it = body.current().fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                extra.add(f);
            }
        }
        for (String f : extra) {
            body.drop(f, "not in Mistral's API (it rejects unknown fields)");
        }
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (call.endpoint() == Endpoint.CHAT_COMPLETIONS) {
            return OpenAiFormatReplies.translate(ID, reply, body -> ChatCompletionShape.complete(body, call.clock()));
        }
        return OpenAiFormatReplies.translate(ID, reply, null);
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        boolean includeUsage =
                call.body().path("stream_options").path("include_usage").asBoolean(false);
        return new OpenAiStreamPassThrough(ID, new MistralChunkRewriter(includeUsage));
    }

    /**
     * Maps Mistral finish reasons, flattens content-part deltas (thinking parts become
     * {@code reasoning_content}), brings tool-call deltas to OpenAI's shape and splits usage into its
     * own chunk.
     */
    static final class MistralChunkRewriter implements OpenAiStreamPassThrough.ChunkRewriter {
        private final boolean includeUsage;

        MistralChunkRewriter(boolean includeUsage) {
            this.includeUsage = includeUsage;
        }

        @Override
        public boolean wants(String data) {
            return data.contains("\"usage\"")
                    || data.contains("\"finish_reason\":\"")
                    || data.contains("\"content\":[")
                    || data.contains("\"tool_calls\"");
        }

        @Override
        public void rewrite(ObjectNode chunk, StreamSink sink) {
            ChatCompletionShape.completeToolCallDeltas(chunk);
            for (JsonNode c : chunk.path("choices")) {
                ObjectNode choice = (ObjectNode) c;
                JsonNode fr = choice.get("finish_reason");
                if (fr != null && fr.isTextual() && !FinishReasons.isOpenAi(fr.asText())) {
                    String mapped = FinishReasons.openAiLike(fr.asText());
                    if (mapped == null) {
                        sink.fail("api_error", ID + " error: generation failed (finish_reason " + fr.asText() + ")");
                        return;
                    }
                    choice.put("finish_reason", mapped);
                }
                JsonNode delta = choice.get("delta");
                if (delta instanceof ObjectNode d && d.path("content").isArray()) {
                    String reasoning = ChatCompletionShape.reasoningOf(d.get("content"));
                    if (!reasoning.isEmpty()) {
                        d.put("reasoning_content", reasoning);
                    }
                    d.put("content", ChatCompletionShape.textOf(d.get("content")));
                }
            }
            JsonNode usage = chunk.get("usage");
            boolean hasChoices = chunk.path("choices").size() > 0;
            if (includeUsage && usage != null && usage.isObject() && hasChoices) {
                chunk.remove("usage");
                sink.emit(chunk);
                ObjectNode usageChunk = chunk.deepCopy();
                usageChunk.set("choices", Json.array());
                usageChunk.set("usage", usage);
                sink.emit(usageChunk);
                return;
            }
            sink.emit(chunk);
        }
    }
}
