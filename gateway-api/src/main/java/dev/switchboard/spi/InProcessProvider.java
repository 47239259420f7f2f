package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.spi.openai.ChatCompletions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A provider that answers inside the JVM, without an HTTP call: a local model, a fake, a rules
 * engine. Implement {@link #ids()} and {@link #answer}; register it like any provider
 * ({@code META-INF/services/dev.switchboard.spi.Provider} or {@code Gateway.builder().register(p)}).
 * Its calls go through the same pipeline as an HTTP provider's: circuit breaker, hooks, cache,
 * retries, budgets and rate limits, the per-attempt timeout, and accounting with the usage the
 * answer reports.
 *
 * <pre>{@code
 * public final class EchoProvider implements InProcessProvider {
 *     public Set<String> ids() { return Set.of("echo"); }
 *
 *     public ProviderReply answer(ProviderCall call) {
 *         String last = call.body().path("messages").path(0).path("content").asText();
 *         return ProviderReply.ok(ChatCompletions.forCall(call).content(last).usage(3, 3).build());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Outcomes.</b> A {@link ProviderReply} with an error status (e.g. 503 with an
 * {@code ErrorBody}) is treated exactly like an HTTP provider's status: retried per {@code retry},
 * moved on per the fallback's {@code on_status_codes}. A thrown {@link ProviderException} is the
 * same as a reply with its status and type. Any other exception is a crash: the attempt fails with
 * 500 and a message naming the provider, it is not retried, and a fallback moves on to its next
 * target; nothing is thrown to the gateway's caller.
 *
 * <p><b>Threads.</b> {@link #answer} and {@link #stream} may block. The gateway calls them through
 * {@link #answerAsync}/{@link #streamAsync} with an {@link Executor} it chooses: the thread of
 * {@code Gateway.execute} when the answer is whole and no {@code request_timeout} applies (nothing
 * could abandon the call, so no thread hand-off), otherwise a pool of daemon threads
 * ({@code switchboard-provider-*}) — never the gateway's timer thread. On a timeout the attempt
 * answers 408 at once, the thread running the provider is interrupted and its late answer is
 * dropped; the same happens to a stream the caller closes ({@link StreamSink#isCancelled()} turns
 * true). A provider that is asynchronous itself overrides {@link #answerAsync} (and
 * {@link #streamAsync}) and may ignore the executor.
 */
public interface InProcessProvider extends Provider {

    /**
     * The whole answer to one call: {@code ProviderReply.ok(ChatCompletions...build())}, or an error
     * status with an OpenAI error envelope ({@link dev.switchboard.api.ErrorBody}). The
     * {@code usage} of the answer is what the gateway accounts and prices.
     *
     * @param call the OpenAI-format request and the target's options
     * @return the answer, or an error status with its error envelope
     * @throws Exception a crash of the provider: the attempt fails (see the class comment)
     */
    ProviderReply answer(ProviderCall call) throws Exception;

    /**
     * Streams the answer for {@code "stream": true} as OpenAI {@code chat.completion.chunk}s (use
     * {@link dev.switchboard.spi.openai.ChunkBuilder}), from one thread at a time, and returns when
     * the stream is complete; the gateway appends {@code [DONE]}. End with a usage chunk
     * ({@code chunks.usage(...)}): the gateway always sets {@code stream_options.include_usage} for
     * its accounting and strips the chunk again for a caller who did not ask. To refuse before the
     * first chunk, throw a {@link ProviderException} with the status; after it, call
     * {@link StreamSink#fail}. The default streams {@link #answer}'s result in one piece
     * ({@link ChatCompletions#toChunks}).
     *
     * @param call the OpenAI-format request and the target's options
     * @param sink where to emit the chunks; check {@link StreamSink#isCancelled()} when generating for long
     * @throws Exception a crash of the provider: before the first chunk the attempt fails as for
     *                   {@link #answer}; after it the caller's stream ends with an error event
     */
    default void stream(ProviderCall call, StreamSink sink) throws Exception {
        ProviderReply reply = answer(call);
        if (reply == null || reply.body() == null) {
            throw new IllegalStateException("answer() returned no reply");
        }
        if (reply.status() < 200 || reply.status() >= 300) {
            JsonNode error = reply.body().path("error");
            String message = error.path("message").asText("HTTP " + reply.status());
            String prefix = call.providerId() + " error: ";
            throw new ProviderException(
                    reply.status(),
                    error.path("type").asText("api_error"),
                    message.startsWith(prefix) ? message.substring(prefix.length()) : message);
        }
        boolean usage = call.body().path("stream_options").path("include_usage").asBoolean(false);
        for (ObjectNode chunk : ChatCompletions.toChunks(reply.body(), usage)) {
            sink.emit(chunk);
        }
    }

    /**
     * How the gateway asks for a whole answer. The default runs {@link #answer} on {@code executor}
     * (see the class comment); an asynchronous provider returns its own stage instead.
     *
     * @param call     the OpenAI-format request and the target's options
     * @param executor where to run a blocking {@link #answer} (see the class comment)
     * @return the answer; a stage failed with a {@link ProviderException} counts as a reply with its
     *         status, any other failure as a crash
     */
    default CompletionStage<ProviderReply> answerAsync(ProviderCall call, Executor executor) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return answer(call);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                executor);
    }

    /**
     * How the gateway asks for a stream. The default runs {@link #stream} on {@code executor}; the
     * stage completes when the stream is complete (exceptionally for a crash).
     *
     * @param call     the OpenAI-format request and the target's options
     * @param sink     where to emit the chunks
     * @param executor where to run a blocking {@link #stream} (see the class comment)
     * @return a stage completed when the stream is complete, exceptionally for a crash
     */
    default CompletionStage<Void> streamAsync(ProviderCall call, StreamSink sink, Executor executor) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        stream(call, sink);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                executor);
    }

    /** Chat completions only, unless overridden (a local embedder would add {@code EMBEDDINGS}). */
    @Override
    default boolean supports(String providerId, Endpoint endpoint) {
        return endpoint == Endpoint.CHAT_COMPLETIONS;
    }

    /** Not used: the gateway calls {@link #answerAsync} for an in-process provider. */
    @Override
    default UpstreamRequest prepare(ProviderCall call) {
        throw new UnsupportedOperationException(
                call.providerId() + " is an in-process provider: it has no HTTP request");
    }

    /** Not used: the gateway calls {@link #answerAsync} for an in-process provider. */
    @Override
    default ProviderReply translate(ProviderCall call, HttpReply reply) {
        throw new UnsupportedOperationException(
                call.providerId() + " is an in-process provider: it has no HTTP answer");
    }

    /** Not used: the gateway calls {@link #streamAsync} for an in-process provider. */
    @Override
    default StreamTranslator streamTranslator(ProviderCall call) {
        throw new UnsupportedOperationException(
                call.providerId() + " is an in-process provider: it has no HTTP stream");
    }
}
