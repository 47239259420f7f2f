package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.ChunkBuilder;
import dev.switchboard.spi.openai.FinishReasons;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP provider for a made-up JSON API, "Acme": {@code POST /generate} with
 * {@code {"prompt", "max_tokens", "stream"}} and the key in {@code x-acme-key}; it answers
 * {@code {"output", "tokens": {"input", "output"}, "stop": "end"|"limit"}}, errors as
 * {@code {"problem"}}, and streams newline-delimited JSON ({@code {"text"}} lines, then a
 * {@code {"done": true, ...}} line). The public builders turn all of it into OpenAI's format.
 */
public final class AcmeProvider implements Provider {
    /** Where Acme lives unless a target sets {@code custom_host}. */
    public static final String DEFAULT_BASE_URL = "https://api.acme.example";

    /** The id targets use: {@code "provider": "acme"}. */
    @Override
    public Set<String> ids() {
        return Set.of("acme");
    }

    /** Chat completions only. */
    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return endpoint == Endpoint.CHAT_COMPLETIONS;
    }

    /** The OpenAI request as Acme's: the messages become one prompt; what Acme cannot take is noted as dropped. */
    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        String key = call.apiKey();
        if (key == null) {
            throw new ProviderException("api_key is missing: Acme needs a key");
        }
        ObjectNode body = Json.object();
        StringBuilder prompt = new StringBuilder();
        for (JsonNode m : call.body().path("messages")) {
            prompt.append(m.path("role").asText())
                    .append(": ")
                    .append(m.path("content").asText())
                    .append('\n');
        }
        body.put("prompt", prompt.toString());
        if (call.body().has("max_tokens")) {
            body.put("max_tokens", call.body().path("max_tokens").asInt());
        }
        body.put("stream", call.isStream());
        call.body().fieldNames().forEachRemaining(f -> {
            if (!Set.of("model", "messages", "max_tokens", "stream", "stream_options")
                    .contains(f)) {
                call.dropped(f, "not supported by acme");
            }
        });
        return UpstreamRequest.post(
                URI.create(call.baseUrl(DEFAULT_BASE_URL) + "/generate"),
                Map.of("content-type", "application/json", "x-acme-key", key),
                Json.bytes(body));
    }

    /** Acme's answer (or problem) as an OpenAI {@code chat.completion} (or error envelope). */
    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        JsonNode json;
        try {
            json = Json.parse(reply.body());
        } catch (IllegalArgumentException e) {
            json = Json.object();
        }
        if (!reply.isSuccess() || !json.has("output")) {
            int status = reply.isSuccess() ? 502 : reply.status();
            String problem = json.path("problem").asText("HTTP " + reply.status() + ": " + reply.bodyText());
            return ProviderReply.of(
                    status,
                    ErrorBody.provider("acme", problem, status == 429 ? "rate_limit_error" : "api_error", null, null));
        }
        JsonNode tokens = json.path("tokens");
        return ProviderReply.ok(ChatCompletions.forCall(call)
                .content(json.path("output").asText())
                .finishReason(finishReason(json))
                .usage(tokens.path("input").asLong(), tokens.path("output").asLong())
                .build());
    }

    /** A translator for one Acme stream. */
    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        return new AcmeStream(
                ChunkBuilder.forCall(call),
                call.body().path("stream_options").path("include_usage").asBoolean());
    }

    private static String finishReason(JsonNode json) {
        return "limit".equals(json.path("stop").asText()) ? FinishReasons.LENGTH : FinishReasons.STOP;
    }

    /** Newline-delimited JSON to OpenAI chunks; bytes may split anywhere, a line is kept until complete. */
    private static final class AcmeStream implements StreamTranslator {
        private final ChunkBuilder chunks;
        private final boolean includeUsage;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean started;
        private boolean done;

        AcmeStream(ChunkBuilder chunks, boolean includeUsage) {
            this.chunks = chunks;
            this.includeUsage = includeUsage;
        }

        @Override
        public void onBytes(ByteBuffer bytes, StreamSink sink) {
            while (bytes.hasRemaining()) {
                byte b = bytes.get();
                if (b == '\n') {
                    onLine(line.toString(StandardCharsets.UTF_8), sink);
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }

        @Override
        public void onEnd(StreamSink sink) {
            onLine(line.toString(StandardCharsets.UTF_8), sink);
            if (!done) {
                sink.fail("stream_error", "acme error: the stream ended without its done line");
            }
        }

        private void onLine(String text, StreamSink sink) {
            if (text.isBlank() || done) {
                return;
            }
            JsonNode event = Json.parse(text);
            if (event.has("problem")) {
                sink.fail("api_error", "acme error: " + event.path("problem").asText());
                return;
            }
            if (!started) {
                sink.emit(chunks.role());
                started = true;
            }
            if (event.has("text")) {
                sink.emit(chunks.content(event.path("text").asText()));
            } else if (event.path("done").asBoolean()) {
                done = true;
                sink.emit(chunks.finish(finishReason(event)));
                if (includeUsage) {
                    JsonNode tokens = event.path("tokens");
                    sink.emit(chunks.usage(Usage.of(
                            tokens.path("input").asLong(), tokens.path("output").asLong())));
                }
            }
        }
    }
}
