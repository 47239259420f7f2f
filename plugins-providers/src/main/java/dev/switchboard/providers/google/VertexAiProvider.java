package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.anthropic.AnthropicErrors;
import dev.switchboard.providers.anthropic.AnthropicProvider;
import dev.switchboard.providers.anthropic.AnthropicRequestMapper;
import dev.switchboard.providers.anthropic.AnthropicResponseMapper;
import dev.switchboard.providers.anthropic.AnthropicStreamTranslator;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The {@code vertex-ai} provider: Gemini models through
 * {@code publishers/google/models/<model>:generateContent} (and {@code :streamGenerateContent?alt=sse},
 * {@code :predict} for embeddings), Claude models ({@code claude-*}) through
 * {@code publishers/anthropic/models/<model>:rawPredict} / {@code :streamRawPredict} with the
 * Anthropic Messages body.
 *
 * <p>Options: {@code vertex_region} (required; {@code global} uses {@code aiplatform.googleapis.com}),
 * {@code vertex_project_id} (or the service account's {@code project_id}), and either {@code api_key}
 * (an OAuth access token, sent as bearer) or {@code vertex_service_account_json} (a service-account
 * key, object or JSON string: the adapter mints and caches access tokens with it).
 *
 * <pre>{@code
 * {"provider": "vertex-ai", "vertex_region": "us-central1", "vertex_service_account_json": {...}}
 * }</pre>
 */
public final class VertexAiProvider implements Provider {
    public static final String ID = "vertex-ai";
    /** The {@code anthropic_version} body field Claude on Vertex AI requires. */
    public static final String VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16";

    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._@-]+");

    private final ThoughtSignatures signatures = new ThoughtSignatures(GeminiProvider.SIGNATURE_CAPACITY);
    private final ServiceAccountTokens tokens = new ServiceAccountTokens();

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public Set<String> optionKeys(String providerId) {
        return Set.of("vertex_project_id", "vertex_region", "vertex_service_account_json", "anthropic_beta");
    }

    @Override
    public List<String> validateOptions(String providerId, ObjectNode options) {
        List<String> problems = new ArrayList<>();
        String region = options.path("vertex_region").asText("");
        if (region.isBlank()) {
            problems.add("vertex_region: required (e.g. us-central1 or global)");
        } else if (!PATH_SEGMENT.matcher(region).matches()) {
            problems.add("vertex_region: '" + region + "' is not a region name");
        }
        String project = options.path("vertex_project_id").asText("");
        if (!project.isBlank() && !PATH_SEGMENT.matcher(project).matches()) {
            problems.add("vertex_project_id: '" + project + "' is not a project id");
        }
        ServiceAccountKey key = null;
        if (options.hasNonNull("vertex_service_account_json")) {
            try {
                key = ServiceAccountKey.parse(options.get("vertex_service_account_json"));
                key.privateKey();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (project.isBlank() && (key == null || key.projectId() == null)) {
            problems.add("vertex_project_id: required (or a vertex_service_account_json with project_id)");
        }
        if (!options.hasNonNull("vertex_service_account_json") && !RequiredCredentials.present(options, "api_key")) {
            problems.add("vertex_service_account_json: a service-account key for vertex-ai, e.g."
                    + " \"${VERTEX_SERVICE_ACCOUNT_JSON}\", or an OAuth access token as api_key,"
                    + " or a virtual key (\"provider\": \"@name\")");
        }
        return problems;
    }

    @Override
    public Set<String> secretKeys(String providerId) {
        return Set.of("vertex_service_account_json");
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return endpoint == Endpoint.CHAT_COMPLETIONS
                || endpoint == Endpoint.EMBEDDINGS
                || endpoint == Endpoint.IMAGES_GENERATIONS;
    }

    /** Builds the request with {@code api_key} or a cached token; mints one (blocking) when neither is at hand. */
    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        Target target = target(call);
        String token = call.apiKey();
        if (token == null) {
            ServiceAccountKey key = serviceAccount(call);
            token = tokens.cached(key, call.clock());
            if (token == null) {
                token = tokens.token(key, call.transport(), call.clock()).join();
            }
        }
        return build(call, target, token);
    }

    /** Non-blocking: a token is minted through {@code call.transport()} only when none is cached. */
    @Override
    public CompletionStage<UpstreamRequest> prepareAsync(ProviderCall call) {
        try {
            Target target = target(call);
            if (call.apiKey() != null) {
                return CompletableFuture.completedFuture(build(call, target, call.apiKey()));
            }
            ServiceAccountKey key = serviceAccount(call);
            return tokens.token(key, call.transport(), call.clock()).thenApply(t -> build(call, target, t));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (call.endpoint() == Endpoint.IMAGES_GENERATIONS) {
            return ImagenImages.translate(call, reply);
        }
        if (!isClaude(call)) {
            return GeminiProvider.translateGemini(call, reply, signatures, true);
        }
        if (!reply.isSuccess()) {
            return AnthropicErrors.translate(call, reply);
        }
        JsonNode message = UpstreamJson.parseObject(reply.body());
        if (message == null) {
            return OpenAiErrors.invalidResponse(
                    call.providerId(), "not a JSON Messages object: " + UpstreamJson.excerpt(reply.body()));
        }
        return ProviderReply.ok(AnthropicResponseMapper.toChatCompletion(call, message));
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        return isClaude(call) ? new AnthropicStreamTranslator(call) : new GeminiStreamTranslator(call, signatures);
    }

    // ---- request building ----------------------------------------------------------------------

    /** Where a request goes: the publisher and the model id within it. */
    private record Target(String publisher, String model, String project, String region) {}

    private Target target(ProviderCall call) {
        String model = call.body().path("model").asText("");
        if (model.isEmpty()) {
            throw new ProviderException("model: required for vertex-ai");
        }
        String publisher;
        if (model.startsWith("anthropic.")) {
            publisher = "anthropic";
            model = model.substring("anthropic.".length());
        } else if (model.startsWith("google.")) {
            publisher = "google";
            model = model.substring("google.".length());
        } else {
            publisher = model.startsWith("claude") ? "anthropic" : "google";
        }
        if (!PATH_SEGMENT.matcher(model).matches()) {
            throw new ProviderException("model: '" + model + "' is not a Vertex AI model id");
        }
        String region = call.option("vertex_region");
        if (region == null || !PATH_SEGMENT.matcher(region).matches()) {
            throw new ProviderException(400, "invalid_request_error", "vertex_region: required for vertex-ai");
        }
        String project = call.option("vertex_project_id");
        if (project == null && call.options().hasNonNull("vertex_service_account_json")) {
            project = serviceAccount(call).projectId();
        }
        if (project == null || !PATH_SEGMENT.matcher(project).matches()) {
            throw new ProviderException(
                    400,
                    "invalid_request_error",
                    "vertex_project_id: required for vertex-ai (or a service account with project_id)");
        }
        return new Target(publisher, model, project, region);
    }

    private static ServiceAccountKey serviceAccount(ProviderCall call) {
        JsonNode json = call.options().get("vertex_service_account_json");
        if (json == null || json.isNull()) {
            throw new ProviderException(
                    401,
                    "authentication_error",
                    "vertex-ai: needs api_key (an access token) or vertex_service_account_json");
        }
        try {
            return ServiceAccountKey.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(401, "authentication_error", "vertex-ai: " + e.getMessage());
        }
    }

    private static boolean isClaude(ProviderCall call) {
        String model = call.body().path("model").asText("");
        return model.startsWith("claude") || model.startsWith("anthropic.");
    }

    private UpstreamRequest build(ProviderCall call, Target t, String token) {
        String host = "global".equals(t.region())
                ? "https://aiplatform.googleapis.com"
                : "https://" + t.region() + "-aiplatform.googleapis.com";
        String base = call.baseUrl(host) + "/v1/projects/" + t.project() + "/locations/" + t.region() + "/publishers/"
                + t.publisher() + "/models/" + t.model();
        Map<String, String> headers = UpstreamHeaders.json(call);
        UpstreamHeaders.bearer(headers, token);
        byte[] body;
        String method;
        if ("anthropic".equals(t.publisher())) {
            if (call.endpoint() != Endpoint.CHAT_COMPLETIONS) {
                throw GeminiProvider.unsupported(call);
            }
            ObjectNode messages = AnthropicRequestMapper.map(call, false);
            messages.put("anthropic_version", VERTEX_ANTHROPIC_VERSION);
            String beta = AnthropicProvider.betaHeader(call);
            if (beta != null) {
                headers.put("anthropic-beta", beta);
            }
            body = Json.bytes(messages);
            method = call.isStream() ? ":streamRawPredict" : ":rawPredict";
        } else if (call.endpoint() == Endpoint.CHAT_COMPLETIONS) {
            body = Json.bytes(GeminiRequestMapper.map(call, signatures));
            method = call.isStream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
        } else if (call.endpoint() == Endpoint.EMBEDDINGS) {
            body = Json.bytes(GeminiEmbeddings.predictRequest(call));
            method = ":predict";
        } else if (call.endpoint() == Endpoint.IMAGES_GENERATIONS) {
            body = Json.bytes(ImagenImages.predictRequest(call)); // Imagen: imagen-4.0-generate-001, …
            method = ":predict";
        } else {
            throw GeminiProvider.unsupported(call);
        }
        return UpstreamRequest.post(Uris.of(base + method), headers, body);
    }
}
