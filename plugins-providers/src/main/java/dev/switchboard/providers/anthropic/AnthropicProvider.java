package dev.switchboard.providers.anthropic;

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
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code anthropic} provider: OpenAI chat completions over the Anthropic Messages API
 * ({@code POST https://api.anthropic.com/v1/messages}).
 *
 * <p>Target options: {@code api_key} (sent as {@code x-api-key}), {@code anthropic_version}
 * (default {@value #DEFAULT_VERSION}), {@code anthropic_beta} (comma-separated beta flags, merged with a
 * forwarded {@code anthropic-beta} header), {@code custom_host}.
 *
 * <pre>{@code
 * {"provider": "anthropic", "api_key": "sk-ant-...", "anthropic_beta": "prompt-caching-2024-07-31"}
 * }</pre>
 */
public final class AnthropicProvider implements Provider {
    public static final String ID = "anthropic";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
    public static final String DEFAULT_VERSION = "2023-06-01";

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
        return Set.of("anthropic_version", "anthropic_beta");
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return endpoint == Endpoint.CHAT_COMPLETIONS;
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        if (call.endpoint() != Endpoint.CHAT_COMPLETIONS) {
            throw new ProviderException(
                    404,
                    "invalid_request_error",
                    "anthropic does not support " + call.endpoint().path());
        }
        ObjectNode body = AnthropicRequestMapper.map(call, true);
        Map<String, String> headers = UpstreamHeaders.json(call);
        headers.remove("anthropic-beta");
        if (call.apiKey() != null) {
            headers.put("x-api-key", call.apiKey());
        }
        String version = call.option("anthropic_version");
        headers.put("anthropic-version", version == null ? DEFAULT_VERSION : version);
        String beta = betaHeader(call);
        if (beta != null) {
            headers.put("anthropic-beta", beta);
        }
        if (call.isStream()) {
            headers.put("accept", "text/event-stream");
        }
        URI uri = Uris.of(call.baseUrl(DEFAULT_BASE_URL) + "/messages");
        return UpstreamRequest.post(uri, headers, Json.bytes(body));
    }

    /**
     * The {@code anthropic-beta} value: the target's flags plus a forwarded client header, without
     * duplicates; null when neither is set.
     */
    public static String betaHeader(ProviderCall call) {
        Set<String> flags = new java.util.LinkedHashSet<>();
        addFlags(flags, call.options().get("anthropic_beta"));
        String forwarded = call.forwardedHeaders().get("anthropic-beta");
        if (forwarded != null) {
            addFlags(flags, Json.nodes().textNode(forwarded));
        }
        return flags.isEmpty() ? null : String.join(",", flags);
    }

    private static void addFlags(Set<String> flags, JsonNode value) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            value.forEach(v -> addFlags(flags, v));
            return;
        }
        for (String f : value.asText().split(",")) {
            if (!f.isBlank()) {
                flags.add(f.strip());
            }
        }
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
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
        return new AnthropicStreamTranslator(call);
    }
}
