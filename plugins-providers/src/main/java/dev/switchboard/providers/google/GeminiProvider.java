package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.RequiredCredentials;
import dev.switchboard.providers.common.UpstreamHeaders;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.providers.common.Uris;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code google} provider: OpenAI chat completions and embeddings over the Gemini API
 * ({@code https://generativelanguage.googleapis.com/v1beta/models/<model>:generateContent},
 * {@code :streamGenerateContent?alt=sse}, {@code :batchEmbedContents}).
 *
 * <p>The key is sent in the {@code x-goog-api-key} header rather than the {@code ?key=} query
 * parameter Portkey uses, so it never appears in URLs, proxy logs or traces. {@code custom_host}
 * replaces the host part ({@code https://generativelanguage.googleapis.com}).
 *
 * <pre>{@code
 * {"provider": "google", "api_key": "AIza..."}
 * }</pre>
 */
public final class GeminiProvider implements Provider {
    public static final String ID = "google";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    /** How many function-call thought signatures are remembered for the next turn. */
    static final int SIGNATURE_CAPACITY = 10_000;

    private final ThoughtSignatures signatures = new ThoughtSignatures(SIGNATURE_CAPACITY);

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
        return endpoint == Endpoint.CHAT_COMPLETIONS || endpoint == Endpoint.EMBEDDINGS;
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        String model = modelPath(call);
        String base = call.baseUrl(DEFAULT_BASE_URL) + "/v1beta/" + model;
        Map<String, String> headers = UpstreamHeaders.json(call);
        UpstreamHeaders.fromOption(headers, call, "api_key", "x-goog-api-key");
        switch (call.endpoint()) {
            case CHAT_COMPLETIONS -> {
                byte[] body = Json.bytes(GeminiRequestMapper.map(call, signatures));
                String method = call.isStream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
                return UpstreamRequest.post(Uris.of(base + method), headers, body);
            }
            case EMBEDDINGS -> {
                byte[] body = Json.bytes(GeminiEmbeddings.batchRequest(call, model));
                return UpstreamRequest.post(Uris.of(base + ":batchEmbedContents"), headers, body);
            }
            default -> throw unsupported(call);
        }
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        return translateGemini(call, reply, signatures, false);
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        return new GeminiStreamTranslator(call, signatures);
    }

    /** Translates a Gemini-format answer; {@code predictEmbeddings} selects Vertex AI's {@code :predict} shape. */
    static ProviderReply translateGemini(
            ProviderCall call, HttpReply reply, ThoughtSignatures signatures, boolean predictEmbeddings) {
        if (!reply.isSuccess()) {
            return GoogleErrors.translate(call, reply);
        }
        JsonNode json = UpstreamJson.parse(reply.body());
        if (json != null && json.isArray() && json.size() == 1) {
            json = json.get(0);
        }
        if (json == null || !json.isObject()) {
            return OpenAiErrors.invalidResponse(
                    call.providerId(), "not a JSON object: " + UpstreamJson.excerpt(reply.body()));
        }
        if (call.endpoint() == Endpoint.EMBEDDINGS) {
            return ProviderReply.ok(
                    predictEmbeddings
                            ? GeminiEmbeddings.fromPredict(call, json)
                            : GeminiEmbeddings.fromBatch(call, json));
        }
        String toolCallFailure = GeminiResponseMapper.toolCallFailure(json);
        if (toolCallFailure != null) {
            return OpenAiErrors.generationFailed(
                    call.providerId(), OpenAiErrors.INVALID_RESPONSE_STATUS, toolCallFailure);
        }
        return ProviderReply.ok(GeminiResponseMapper.toChatCompletion(call, json, signatures));
    }

    /** {@code models/<id>} (or a {@code tunedModels/<id>} path given as the model). */
    private static String modelPath(ProviderCall call) {
        String model = call.body().path("model").asText("");
        if (model.isEmpty()) {
            throw new ProviderException("model: required for " + call.providerId());
        }
        if (model.startsWith("models/") || model.startsWith("tunedModels/")) {
            return model;
        }
        return "models/" + model;
    }

    static ProviderException unsupported(ProviderCall call) {
        return new ProviderException(
                404,
                "invalid_request_error",
                call.providerId() + " does not support " + call.endpoint().path());
    }
}
