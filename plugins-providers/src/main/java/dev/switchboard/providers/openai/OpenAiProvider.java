package dev.switchboard.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.OpenAiFormatReplies;
import dev.switchboard.providers.common.OpenAiStreamPassThrough;
import dev.switchboard.providers.common.PassThrough;
import dev.switchboard.providers.common.RealtimeHandshake;
import dev.switchboard.providers.common.RequiredCredentials;
import dev.switchboard.providers.common.UpstreamHeaders;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code openai} provider: OpenAI's own API. The request body is sent exactly as the caller
 * wrote it (no rebuild, so new OpenAI parameters work at once), answers and streams pass through,
 * errors keep OpenAI's envelope and status.
 *
 * <pre>{@code
 * {"provider": "openai", "api_key": "sk-...", "openai_organization": "org-..."}
 * }</pre>
 *
 * <p>Every endpoint is served: calls on existing objects ({@code GET /v1/files/{id}/content},
 * {@code DELETE /v1/models/{id}}, {@code GET /v1/batches?limit=2}) and every other path under
 * {@code /v1/} ({@link Endpoint#PROXY}) keep the caller's method, path, query string and body
 * (JSON, multipart or bytes); answers that are not a JSON object (file content, audio, text) pass
 * to the caller as bytes, a download streamed as it arrives. A Realtime session
 * ({@link Endpoint#REALTIME}) gets its WebSocket handshake: {@code wss://api.openai.com/v1/realtime?model=…}.
 */
public final class OpenAiProvider implements Provider {
    public static final String ID = "openai";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    /** Every endpoint: OpenAI's API is the format itself, so each call passes through as made. */
    static final Set<Endpoint> ENDPOINTS = EnumSet.allOf(Endpoint.class);

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
    public Set<String> optionKeys(String providerId) {
        return Set.of("openai_organization", "openai_project", "openai_beta");
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return ENDPOINTS.contains(endpoint);
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        if (call.endpoint() == Endpoint.REALTIME) {
            return realtime(call);
        }
        Map<String, String> h = UpstreamHeaders.json(call);
        UpstreamHeaders.bearer(h, call.apiKey());
        UpstreamHeaders.fromOption(h, call, "openai_organization", "openai-organization");
        UpstreamHeaders.fromOption(h, call, "openai_project", "openai-project");
        UpstreamHeaders.fromOption(h, call, "openai_beta", "openai-beta");
        return PassThrough.request(call, call.baseUrl(DEFAULT_BASE_URL), h);
    }

    /**
     * The Realtime handshake: {@code wss://api.openai.com/v1/realtime?model=…} (a {@code custom_host}
     * http → ws, https → wss), {@code Authorization: Bearer}, organization and project headers, and
     * {@code OpenAI-Beta} from {@code openai_beta} or the caller (the beta protocol wants
     * {@code realtime=v1}; the GA protocol none).
     */
    private static UpstreamRequest realtime(ProviderCall call) {
        Map<String, String> h = RealtimeHandshake.headers(call);
        UpstreamHeaders.bearer(h, call.apiKey());
        UpstreamHeaders.fromOption(h, call, "openai_organization", "openai-organization");
        UpstreamHeaders.fromOption(h, call, "openai_project", "openai-project");
        UpstreamHeaders.fromOption(h, call, "openai_beta", "openai-beta");
        String model = call.hasBody() ? call.body().path("model").asText(null) : null;
        Map<String, String> q = new java.util.LinkedHashMap<>();
        q.put("model", model);
        return RealtimeHandshake.request(call, call.baseUrl(DEFAULT_BASE_URL), "/realtime", q, h);
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (!TRANSLATED.contains(call.endpoint())) {
            return PassThrough.translate(call.providerId(), reply);
        }
        return OpenAiFormatReplies.translate(call.providerId(), reply, null);
    }

    /** Endpoints whose answer is checked to be an OpenAI JSON object; every other answer passes as it came. */
    private static final Set<Endpoint> TRANSLATED =
            EnumSet.of(Endpoint.CHAT_COMPLETIONS, Endpoint.COMPLETIONS, Endpoint.EMBEDDINGS, Endpoint.MODERATIONS);

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        return streamTranslatorFor(call.providerId(), call.endpoint());
    }

    /** Pass-through stream; Responses API streams end on their {@code response.*} final event, not {@code [DONE]}. */
    static StreamTranslator streamTranslatorFor(String providerId, Endpoint endpoint) {
        if (endpoint == Endpoint.RESPONSES) {
            return new OpenAiStreamPassThrough(
                    providerId,
                    null,
                    e -> e.isDone()
                            || "response.completed".equals(e.event())
                            || "response.incomplete".equals(e.event())
                            || "response.failed".equals(e.event()));
        }
        return new OpenAiStreamPassThrough(providerId, null);
    }
}
