package dev.switchboard.providers.compat;

import static dev.switchboard.api.Endpoint.CHAT_COMPLETIONS;
import static dev.switchboard.api.Endpoint.COMPLETIONS;
import static dev.switchboard.api.Endpoint.EMBEDDINGS;
import static dev.switchboard.api.Endpoint.IMAGES_GENERATIONS;
import static dev.switchboard.api.Endpoint.MODELS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.BodyEditor;
import dev.switchboard.providers.common.ChatCompletionShape;
import dev.switchboard.providers.common.OpenAiFormatReplies;
import dev.switchboard.providers.common.OpenAiStreamPassThrough;
import dev.switchboard.providers.common.OpenAiUsage;
import dev.switchboard.providers.common.PassThrough;
import dev.switchboard.providers.common.RequiredCredentials;
import dev.switchboard.providers.common.UpstreamHeaders;
import dev.switchboard.providers.common.Uris;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.openai.FinishReasons;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One adapter for the providers that speak OpenAI's Chat Completions format (Groq, Together,
 * Fireworks, DeepSeek, OpenRouter, Perplexity, xAI, Ollama's {@code /v1}), parameterised by a
 * {@link CompatibleQuirks} row per id. Unknown parameters pass through; fields a provider rejects
 * are dropped and recorded on the call; answers are brought to OpenAI's schema (finish reasons,
 * DeepSeek cache usage) and streams pass through event by event.
 *
 * <pre>{@code
 * {"provider": "groq", "api_key": "gsk_..."}
 * {"provider": "ollama", "custom_host": "http://localhost:11434"}   // "/v1" is added when missing
 * }</pre>
 *
 * <p>Images and audio are served where the provider offers OpenAI's endpoint (Groq: transcriptions,
 * translations and speech; Together and xAI: image generations), passed through as made. Fireworks'
 * images ({@code /workflows/.../text_to_image}, raw image bytes) and audio ({@code audio.fireworks.ai})
 * are not OpenAI's shape or host: not served, so a fallback moves on. Sources:
 * {@code src/test/resources/provider-docs/compat-images-audio.txt}.
 */
public final class OpenAiCompatibleProvider implements Provider {
    private static final Set<String> OPENAI_ONLY = Set.of();

    static final Map<String, CompatibleQuirks> QUIRKS = Map.of(
            "groq",
                    new CompatibleQuirks(
                            "groq",
                            "https://api.groq.com/openai/v1",
                            // console.groq.com/docs/speech-to-text: transcriptions and translations; TTS too
                            EnumSet.of(
                                    CHAT_COMPLETIONS,
                                    MODELS,
                                    Endpoint.AUDIO_TRANSCRIPTIONS,
                                    Endpoint.AUDIO_TRANSLATIONS,
                                    Endpoint.AUDIO_SPEECH),
                            Set.of("logprobs", "logit_bias", "top_logprobs"),
                            true,
                            true,
                            true,
                            false,
                            false,
                            false,
                            Map.of()),
            "together-ai",
                    new CompatibleQuirks(
                            "together-ai",
                            "https://api.together.xyz/v1",
                            EnumSet.of(CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS, IMAGES_GENERATIONS, MODELS),
                            OPENAI_ONLY,
                            false,
                            false,
                            true,
                            true,
                            false,
                            false,
                            Map.of()),
            "fireworks-ai",
                    new CompatibleQuirks(
                            "fireworks-ai",
                            "https://api.fireworks.ai/inference/v1",
                            EnumSet.of(CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS, MODELS),
                            OPENAI_ONLY,
                            false,
                            false,
                            true,
                            true,
                            false,
                            false,
                            Map.of()),
            "deepseek",
                    new CompatibleQuirks(
                            "deepseek",
                            "https://api.deepseek.com",
                            EnumSet.of(CHAT_COMPLETIONS, MODELS),
                            OPENAI_ONLY,
                            false,
                            true,
                            true,
                            true,
                            false,
                            false,
                            Map.of()),
            "openrouter",
                    new CompatibleQuirks(
                            "openrouter",
                            "https://openrouter.ai/api/v1",
                            EnumSet.of(CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS, MODELS),
                            OPENAI_ONLY,
                            false,
                            false,
                            false,
                            false,
                            false,
                            false,
                            Map.of("http_referer", "http-referer", "x_title", "x-title")),
            "perplexity-ai",
                    new CompatibleQuirks(
                            "perplexity-ai",
                            "https://api.perplexity.ai",
                            EnumSet.of(CHAT_COMPLETIONS),
                            Set.of("logprobs", "logit_bias", "top_logprobs"),
                            false,
                            true,
                            true,
                            true,
                            true,
                            false,
                            Map.of()),
            "x-ai",
                    new CompatibleQuirks(
                            "x-ai",
                            "https://api.x.ai/v1",
                            EnumSet.of(CHAT_COMPLETIONS, IMAGES_GENERATIONS, MODELS),
                            OPENAI_ONLY,
                            false,
                            false,
                            false,
                            false,
                            false,
                            false,
                            Map.of()),
            "ollama",
                    new CompatibleQuirks(
                            "ollama",
                            null,
                            EnumSet.of(CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS, MODELS),
                            Set.of("tool_choice", "logit_bias", "user", "logprobs", "top_logprobs"),
                            false,
                            true,
                            true,
                            true,
                            false,
                            true,
                            Map.of()));

    @Override
    public Set<String> ids() {
        return QUIRKS.keySet();
    }

    @Override
    public Set<String> optionKeys(String providerId) {
        CompatibleQuirks q = QUIRKS.get(providerId);
        return q == null ? Set.of() : q.optionHeaders().keySet();
    }

    @Override
    public List<String> validateOptions(String providerId, ObjectNode options) {
        CompatibleQuirks q = quirks(providerId);
        List<String> problems = new ArrayList<>();
        if (q.defaultBaseUrl() == null) {
            JsonNode host = options.get("custom_host");
            if (host == null || !host.isTextual() || host.asText().isBlank()) {
                problems.add("custom_host: is required for " + providerId);
            }
        }
        if (!q.authOptional()) {
            RequiredCredentials.apiKey(providerId, options, problems);
        }
        return problems;
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        CompatibleQuirks q = QUIRKS.get(providerId);
        return q != null && q.endpoints().contains(endpoint);
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        CompatibleQuirks q = quirks(call.providerId());
        Map<String, String> h = UpstreamHeaders.json(call);
        String key = call.apiKey();
        if (key != null || !q.authOptional()) {
            UpstreamHeaders.bearer(h, key);
        }
        q.optionHeaders().forEach((option, header) -> UpstreamHeaders.fromOption(h, call, option, header));
        if (PASSED_THROUGH.contains(call.endpoint())) {
            // images and audio: the caller's JSON or multipart form as made, the answer as it comes
            return PassThrough.request(call, baseUrl(call, q), h);
        }
        URI uri = Uris.of(baseUrl(call, q) + call.endpoint().relativePath());
        if ("GET".equals(call.endpoint().method())) {
            h.remove("content-type");
            return new UpstreamRequest("GET", uri, h, null);
        }
        ObjectNode body =
                call.endpoint() == CHAT_COMPLETIONS || call.endpoint() == COMPLETIONS ? rewrite(call, q) : call.body();
        return UpstreamRequest.post(uri, h, call.jsonBytes(body)); // the caller's bytes unless a quirk rewrote
    }

    /**
     * Endpoints sent and answered as OpenAI defines them, without rewrites: images (JSON) and audio
     * (multipart uploads; text, subtitles or audio bytes back).
     */
    static final Set<Endpoint> PASSED_THROUGH = EnumSet.of(
            Endpoint.IMAGES_GENERATIONS,
            Endpoint.IMAGES_EDITS,
            Endpoint.IMAGES_VARIATIONS,
            Endpoint.AUDIO_TRANSCRIPTIONS,
            Endpoint.AUDIO_TRANSLATIONS,
            Endpoint.AUDIO_SPEECH);

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (PASSED_THROUGH.contains(call.endpoint())) {
            return PassThrough.translate(call.providerId(), reply);
        }
        if (call.endpoint() == CHAT_COMPLETIONS) {
            return OpenAiFormatReplies.translate(
                    call.providerId(), reply, body -> ChatCompletionShape.complete(body, call.clock()));
        }
        return OpenAiFormatReplies.translate(call.providerId(), reply, body -> {
            OpenAiUsage.normalize(body.get("usage"));
            return null;
        });
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        return new OpenAiStreamPassThrough(call.providerId(), new CompatibleChunkRewriter(call.providerId()));
    }

    private static CompatibleQuirks quirks(String providerId) {
        CompatibleQuirks q = QUIRKS.get(providerId);
        if (q == null) {
            throw new ProviderException(500, "api_error", "OpenAiCompatibleProvider does not serve " + providerId);
        }
        return q;
    }

    private static String baseUrl(ProviderCall call, CompatibleQuirks q) {
        String base = call.baseUrl(q.defaultBaseUrl());
        if (base == null) {
            throw new ProviderException("custom_host: is required for " + q.id());
        }
        // Ollama users write the server address; its OpenAI surface lives under /v1.
        if (q.defaultBaseUrl() == null && !base.endsWith("/v1")) {
            base = base + "/v1";
        }
        return base;
    }

    private static ObjectNode rewrite(ProviderCall call, CompatibleQuirks q) {
        BodyEditor body = new BodyEditor(call);
        String id = q.id();
        for (String p : q.unsupportedParams()) {
            body.drop(p, "not supported by " + id);
        }
        if (q.singleChoiceOnly()) {
            JsonNode n = body.current().get("n");
            if (n != null && !(n.canConvertToInt() && n.asInt() == 1)) {
                body.drop("n", id + " returns a single choice");
            }
        }
        if (q.noTools()) {
            body.drop("tools", id + " has no function calling");
            body.drop("tool_choice", id + " has no function calling");
            body.drop("parallel_tool_calls", id + " has no function calling");
        }
        if (q.developerAsSystem()) {
            body.developerToSystem(id);
        }
        if (q.rejectsMessageName()) {
            body.dropMessageNames("rejected by " + id);
        }
        if (q.maxTokensOnly()) {
            body.rename("max_completion_tokens", "max_tokens", id + " reads max_tokens");
        }
        return body.current();
    }

    /** Parses only chunks carrying a finish reason or usage: maps odd finish reasons, DeepSeek/Groq usage. */
    static final class CompatibleChunkRewriter implements OpenAiStreamPassThrough.ChunkRewriter {
        private final String providerId;

        CompatibleChunkRewriter(String providerId) {
            this.providerId = providerId;
        }

        @Override
        public boolean wants(String data) {
            return data.contains("\"finish_reason\":\"") || data.contains("\"usage\":{") || data.contains("x_groq");
        }

        @Override
        public void rewrite(ObjectNode chunk, StreamSink sink) {
            for (JsonNode c : chunk.path("choices")) {
                JsonNode fr = c.get("finish_reason");
                if (fr != null && fr.isTextual() && !FinishReasons.isOpenAi(fr.asText())) {
                    String mapped = FinishReasons.openAiLike(fr.asText());
                    if (mapped == null) {
                        sink.fail(
                                "api_error",
                                providerId + " error: generation failed (finish_reason " + fr.asText() + ")");
                        return;
                    }
                    ((ObjectNode) c).put("finish_reason", mapped);
                }
            }
            JsonNode groqUsage = chunk.path("x_groq").get("usage");
            if (groqUsage != null
                    && groqUsage.isObject()
                    && (!chunk.has("usage") || chunk.get("usage").isNull())) {
                chunk.set("usage", groqUsage);
            }
            OpenAiUsage.normalize(chunk.get("usage"));
            sink.emit(chunk);
        }
    }
}
