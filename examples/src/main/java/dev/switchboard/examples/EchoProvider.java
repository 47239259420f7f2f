package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.InProcessProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.ChunkBuilder;
import dev.switchboard.spi.openai.FinishReasons;
import java.util.Set;

/**
 * An in-process provider ({@code "provider": "echo"}): answers inside the JVM by fixed rules, streams
 * word by word and reports its usage in words. Found through
 * {@code META-INF/services/dev.switchboard.spi.Provider}.
 */
public final class EchoProvider implements InProcessProvider {
    /** The id targets use: {@code "provider": "echo"}. */
    @Override
    public Set<String> ids() {
        return Set.of("echo");
    }

    /** The whole answer, with its usage. */
    @Override
    public ProviderReply answer(ProviderCall call) {
        String reply = reply(call);
        return ProviderReply.ok(ChatCompletions.forCall(call)
                .content(reply)
                .usage(usage(call, reply))
                .build());
    }

    /** The same answer, one word per chunk, then the usage chunk when the request asks for it. */
    @Override
    public void stream(ProviderCall call, StreamSink sink) {
        String reply = reply(call);
        ChunkBuilder chunks = ChunkBuilder.forCall(call);
        sink.emit(chunks.role());
        for (String word : reply.split("(?<= )")) {
            sink.emit(chunks.content(word));
        }
        sink.emit(chunks.finish(FinishReasons.STOP));
        if (call.body().path("stream_options").path("include_usage").asBoolean()) {
            sink.emit(chunks.usage(usage(call, reply)));
        }
    }

    /** The rules: a greeting is answered, {@code reverse: x} reverses x, anything else is echoed. */
    static String reply(ProviderCall call) {
        JsonNode messages = call.body().path("messages");
        String text = messages.path(messages.size() - 1).path("content").asText("");
        if (text.matches("(?i)(hello|hi)\\b.*")) {
            return "Hello! I am the echo provider.";
        }
        if (text.startsWith("reverse: ")) {
            return new StringBuilder(text.substring("reverse: ".length()))
                    .reverse()
                    .toString();
        }
        return "You said: " + text;
    }

    /** Usage in words: every message's words in, the reply's words out. */
    private static Usage usage(ProviderCall call, String reply) {
        long in = 0;
        for (JsonNode m : call.body().path("messages")) {
            in += words(m.path("content").asText(""));
        }
        return Usage.of(in, words(reply));
    }

    private static long words(String s) {
        return s.isBlank() ? 0 : s.trim().split("\\s+").length;
    }
}
