package dev.switchboard.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A provider adapter: builds the upstream HTTP call from an OpenAI-format request and translates the
 * answer (JSON or stream) back to the OpenAI format. Found through {@code ServiceLoader}
 * ({@code META-INF/services/dev.switchboard.spi.Provider}) or registered on the gateway builder.
 * Implementations are stateless or thread-safe; one instance serves every request.
 *
 * <pre>{@code
 * public final class AcmeProvider implements Provider {
 *     public Set<String> ids() { return Set.of("acme"); }
 *     public boolean supports(String id, Endpoint e) { return e == Endpoint.CHAT_COMPLETIONS; }
 *     public UpstreamRequest prepare(ProviderCall call) { ... }
 *     public ProviderReply translate(ProviderCall call, HttpReply reply) { ... }
 *     public StreamTranslator streamTranslator(ProviderCall call) { ... }
 * }
 * }</pre>
 */
public interface Provider {
    /** {@return the provider ids this adapter serves ({@code openai}; the OpenAI-compatible adapter serves many)} */
    Set<String> ids();

    /**
     * Provider-specific target fields this adapter reads (e.g. {@code resource_name}); the config
     * validator accepts them on a target of this provider in addition to the common fields.
     *
     * @param providerId one of {@link #ids()}
     * @return the snake_case field names; empty by default
     */
    default Set<String> optionKeys(String providerId) {
        return Set.of();
    }

    /**
     * Checks a target's options at config time; each problem is {@code "<field>: <what is wrong>"}.
     * The gateway reports them as a {@code ConfigException} with the target's path. The options are
     * those the call will get: environment references expanded, and a virtual key's fields merged in
     * (its secret as {@code api_key}). An adapter whose provider needs a credential reports a missing
     * one here, so no request is ever sent without it.
     *
     * @param providerId one of {@link #ids()}
     * @param options    the target's fields as the call will get them (see above)
     * @return the problems; empty when the options are valid (the default)
     */
    default List<String> validateOptions(String providerId, ObjectNode options) {
        return List.of();
    }

    /**
     * The target fields, besides the common {@code api_key}, that carry credentials (e.g.
     * {@code aws_secret_access_key}). In the gateway's own config their string values, like
     * {@code api_key}'s, may be written as {@code ${ENV_VAR}} and are expanded from the environment
     * when the gateway is built (also inside an object value, such as a service-account JSON).
     *
     * @param providerId one of {@link #ids()}
     * @return the snake_case field names; empty by default
     */
    default Set<String> secretKeys(String providerId) {
        return Set.of();
    }

    /**
     * Whether this adapter can serve an endpoint. A target that cannot fails that attempt (400
     * {@code unsupported_endpoint}), so a fallback moves on.
     *
     * @param providerId one of {@link #ids()}
     * @param endpoint   the operation asked for
     * @return true when the adapter can serve the call (for an HTTP adapter: {@link #prepare} can build it)
     */
    boolean supports(String providerId, Endpoint endpoint);

    /**
     * Builds the upstream request.
     *
     * @param call the OpenAI-format request and the target's options
     * @return the HTTP request to send
     * @throws ProviderException for a request it cannot express
     */
    UpstreamRequest prepare(ProviderCall call);

    /**
     * Asynchronous variant for adapters that must fetch something first (an OAuth token); defaults to {@link #prepare}.
     *
     * @param call the OpenAI-format request and the target's options
     * @return the HTTP request to send, or a stage failed with {@link ProviderException}
     */
    default CompletionStage<UpstreamRequest> prepareAsync(ProviderCall call) {
        try {
            return CompletableFuture.completedFuture(prepare(call));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Translates a complete (non-streamed, or failed streamed) answer, success or error.
     *
     * @param call  the call the answer belongs to
     * @param reply the provider's status, headers and body
     * @return the answer in OpenAI format (errors in the OpenAI error envelope)
     */
    ProviderReply translate(ProviderCall call, HttpReply reply);

    /**
     * A fresh translator for one streamed 2xx answer.
     *
     * @param call the call the stream belongs to
     * @return a translator for this stream only
     */
    StreamTranslator streamTranslator(ProviderCall call);
}
