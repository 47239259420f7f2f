package dev.switchboard.providers.cohere;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.RequiredCredentials;
import dev.switchboard.providers.common.UpstreamHeaders;
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
 * The {@code cohere} provider: Cohere's v2 Chat ({@code /v2/chat}) and Embed ({@code /v2/embed})
 * APIs, translated to and from OpenAI's format (PROVIDERS.md §7). {@code custom_host} replaces
 * {@code https://api.cohere.com}.
 *
 * <pre>{@code
 * {"provider": "cohere", "api_key": "..."}
 * }</pre>
 */
public final class CohereProvider implements Provider {
    public static final String ID = "cohere";
    public static final String DEFAULT_BASE_URL = "https://api.cohere.com";

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
        Map<String, String> h = UpstreamHeaders.json(call);
        UpstreamHeaders.bearer(h, call.apiKey());
        String base = call.baseUrl(DEFAULT_BASE_URL);
        return switch (call.endpoint()) {
            case CHAT_COMPLETIONS ->
                UpstreamRequest.post(Uris.of(base + "/v2/chat"), h, Json.bytes(CohereRequests.chat(call)));
            case EMBEDDINGS ->
                UpstreamRequest.post(Uris.of(base + "/v2/embed"), h, Json.bytes(CohereRequests.embed(call)));
            default ->
                throw new ProviderException(
                        400,
                        "invalid_request_error",
                        "cohere does not support " + call.endpoint().path());
        };
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        return call.endpoint() == Endpoint.EMBEDDINGS
                ? CohereReplies.embed(call, reply)
                : CohereReplies.chat(call, reply);
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        boolean includeUsage =
                call.body().path("stream_options").path("include_usage").asBoolean(false);
        return new CohereStreamTranslator(call.body().path("model").asText(""), includeUsage, call.clock());
    }
}
