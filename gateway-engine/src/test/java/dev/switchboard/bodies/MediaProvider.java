package dev.switchboard.bodies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Body;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A test-only provider for a multipart upload (audio transcription) and a binary download
 * (text-to-speech), speaking the OpenAI wire format to a stub.
 */
final class MediaProvider implements Provider {
    @Override
    public Set<String> ids() {
        return Set.of("media");
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return endpoint == Endpoint.AUDIO_TRANSCRIPTIONS || endpoint == Endpoint.AUDIO_SPEECH;
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        URI uri = URI.create(call.baseUrl("https://media.invalid/v1")
                + call.endpoint().path().substring(3));
        Map<String, String> headers = Map.of("authorization", "Bearer " + call.apiKey());
        if (call.endpoint() == Endpoint.AUDIO_TRANSCRIPTIONS) {
            return UpstreamRequest.post(uri, headers, call.multipart()); // the upload, fields as routed
        }
        return UpstreamRequest.post(uri, headers, Body.json(call.body()));
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (call.endpoint() == Endpoint.AUDIO_SPEECH && reply.isSuccess()) {
            return ProviderReply.binary(
                    reply.status(),
                    reply.isStreamed()
                            ? reply.streamedBody()
                            : Body.bytes(
                                    reply.body(), reply.header("content-type").orElse(null)));
        }
        JsonNode json = Json.parse(reply.body());
        return json.isObject()
                ? ProviderReply.of(reply.status(), (com.fasterxml.jackson.databind.node.ObjectNode) json)
                : ProviderReply.of(502, ErrorBody.of("not an object", "api_error", null, null));
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        throw new UnsupportedOperationException("media answers are not event streams");
    }
}
