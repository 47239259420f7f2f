package dev.switchboard.langchain4j;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.switchboard.Gateway;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * LangChain4j's {@link HttpClientBuilder} for a {@link SwitchboardHttpClient}: what a LangChain4j model
 * builder takes in {@code httpClientBuilder(...)}. Usually made by
 * {@link SwitchboardLangChain4j#httpClientBuilder(Gateway)}.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()
 *         .httpClientBuilder(SwitchboardLangChain4j.httpClientBuilder(gateway))
 *         .baseUrl(SwitchboardLangChain4j.BASE_URL).apiKey(SwitchboardLangChain4j.PLACEHOLDER_API_KEY)
 *         .modelName("gpt-4o-mini").maxRetries(0)
 *         .build();
 * }</pre>
 *
 * <p>Timeouts: the connect timeout has no meaning in-process (the gateway's own HTTP client connects to
 * providers) and is only kept for {@link #connectTimeout()}. A read timeout other than LangChain4j's
 * default of 60 seconds becomes the gateway's per-attempt request timeout
 * ({@code x-portkey-request-timeout}); the default leaves the config's {@code request_timeout} in charge.
 */
public final class SwitchboardHttpClientBuilder implements HttpClientBuilder {
    /** LangChain4j's OpenAI models use this read timeout when none is set: the config's timeout stays in charge. */
    static final Duration LANGCHAIN4J_DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private final Gateway gateway;
    private Duration connectTimeout;
    private Duration readTimeout;
    private Executor streamExecutor;

    /**
     * A builder for clients that send every request to {@code gateway}.
     *
     * @param gateway the gateway, shared; the clients never close it
     */
    public SwitchboardHttpClientBuilder(Gateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /** {@return the connect timeout set last, or null; not used in-process} */
    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Records a connect timeout. In-process there is no connection to make: the value is kept for
     * LangChain4j, which reads it back, and otherwise ignored.
     *
     * @param timeout the timeout, or null
     * @return this builder
     */
    @Override
    public SwitchboardHttpClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    /** {@return the read timeout set last, or null} */
    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Sets the read timeout. A positive value other than LangChain4j's default (60 s) becomes the
     * gateway's per-attempt request timeout ({@code x-portkey-request-timeout}) unless the request
     * carries that header itself; null, zero or 60 s leave the config's {@code request_timeout} in charge.
     *
     * @param timeout the timeout, or null
     * @return this builder
     */
    @Override
    public SwitchboardHttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    /**
     * Sets where streamed answers are read and handed to LangChain4j's listener (one task per stream,
     * for as long as the stream lasts). A task the executor refuses runs on a fresh daemon thread.
     * Default: a shared pool of daemon threads named {@code switchboard-langchain4j-stream-N}, created
     * as needed and ended after 60 s idle.
     *
     * @param executor the executor, e.g. an application pool or a virtual-thread executor
     * @return this builder
     */
    public SwitchboardHttpClientBuilder streamExecutor(Executor executor) {
        this.streamExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Builds a client with the current settings; the builder may be changed and used again.
     *
     * @return the client
     */
    @Override
    public SwitchboardHttpClient build() {
        return new SwitchboardHttpClient(gateway, readTimeout, streamExecutor);
    }

    @Override
    public String toString() {
        return "SwitchboardHttpClientBuilder{" + gateway + "}";
    }
}
