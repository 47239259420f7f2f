package dev.switchboard.langchain4j;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.switchboard.Gateway;
import java.util.Objects;

/**
 * One-line wiring of LangChain4j to a {@link Gateway} in-process. The models are LangChain4j's own
 * ({@code chat(...)}, {@code chat(request, handler)}, {@code embedAll(...)}, tools, listeners); every call
 * becomes a {@code GatewayRequest}, so the gateway's config routes it (fallbacks, retries, guardrails,
 * cache, accounting) and its providers' credentials are the ones used.
 *
 * <pre>{@code
 * ChatModel model = SwitchboardLangChain4j.chatModel(gateway, "gpt-4o-mini");
 * String answer = model.chat("Hello");
 *
 * // or any LangChain4j model builder that takes an HttpClientBuilder:
 * OpenAiChatModel custom = SwitchboardLangChain4j.chatModelBuilder(gateway)
 *         .modelName("gpt-4o-mini")
 *         .customHeaders(Map.of("x-portkey-metadata", "{\"user_plan\":\"paid\"}"))
 *         .build();
 * }</pre>
 *
 * <p>The gateway owns retries: the builders here set {@code maxRetries(0)} (the streaming model does not
 * retry); keep it so, and set {@code retry} in the config. LangChain4j insists on a base URL and an API
 * key; they are {@link #BASE_URL} and {@link #PLACEHOLDER_API_KEY}, and neither leaves the JVM:
 * {@link SwitchboardHttpClient} drops the {@code Authorization} header that carries the placeholder.
 *
 * <p>The model factories need {@code dev.langchain4j:langchain4j-open-ai} on the class path (an optional
 * dependency of this module: applications that use those models have it already);
 * {@link #httpClientBuilder(Gateway)} needs only LangChain4j's HTTP client SPI.
 */
public final class SwitchboardLangChain4j {
    /**
     * The API key LangChain4j is given because its OpenAI models require one: not a secret, never sent
     * anywhere — {@link SwitchboardHttpClient} drops the {@code Authorization} header that carries it.
     */
    public static final String PLACEHOLDER_API_KEY = "switchboard-in-process";

    /** The models' base URL: a reserved name ({@code .invalid}) nothing resolves; requests never leave the JVM. */
    public static final String BASE_URL = "http://switchboard.invalid/v1";

    private SwitchboardLangChain4j() {}

    /**
     * LangChain4j's HTTP client builder backed by {@code gateway}, for any model builder's
     * {@code httpClientBuilder(...)}. Set the model's base URL to {@link #BASE_URL}, its API key to
     * {@link #PLACEHOLDER_API_KEY} and {@code maxRetries(0)} (or use the model factories below, which do).
     *
     * @param gateway the gateway, shared; the clients never close it
     * @return a new builder
     */
    public static SwitchboardHttpClientBuilder httpClientBuilder(Gateway gateway) {
        return new SwitchboardHttpClientBuilder(gateway);
    }

    /**
     * An {@code OpenAiChatModel} builder wired to {@code gateway} (HTTP client, base URL, placeholder key,
     * {@code maxRetries(0)}), for callers who set more options (model, custom headers, temperature, tools,
     * listeners) before {@code build()}.
     *
     * @param gateway the gateway, shared
     * @return a builder the caller may change and then build
     */
    public static OpenAiChatModel.OpenAiChatModelBuilder chatModelBuilder(Gateway gateway) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(httpClientBuilder(Objects.requireNonNull(gateway, "gateway")))
                .baseUrl(BASE_URL)
                .apiKey(PLACEHOLDER_API_KEY)
                .maxRetries(0);
    }

    /**
     * A blocking chat model whose calls run through {@code gateway}.
     *
     * @param gateway   the gateway, shared
     * @param modelName the model the request names ({@code override_params} in the config may change it)
     * @return the model
     */
    public static OpenAiChatModel chatModel(Gateway gateway, String modelName) {
        return chatModelBuilder(gateway)
                .modelName(Objects.requireNonNull(modelName, "modelName"))
                .build();
    }

    /**
     * An {@code OpenAiStreamingChatModel} builder wired to {@code gateway} (HTTP client, base URL,
     * placeholder key; the streaming model never retries), for callers who set more options first.
     *
     * @param gateway the gateway, shared
     * @return a builder the caller may change and then build
     */
    public static OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder streamingChatModelBuilder(Gateway gateway) {
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(httpClientBuilder(Objects.requireNonNull(gateway, "gateway")))
                .baseUrl(BASE_URL)
                .apiKey(PLACEHOLDER_API_KEY);
    }

    /**
     * A streaming chat model whose calls run through {@code gateway}: partial answers reach the handler as
     * the provider sends them.
     *
     * @param gateway   the gateway, shared
     * @param modelName the model the request names
     * @return the model
     */
    public static OpenAiStreamingChatModel streamingChatModel(Gateway gateway, String modelName) {
        return streamingChatModelBuilder(gateway)
                .modelName(Objects.requireNonNull(modelName, "modelName"))
                .build();
    }

    /**
     * An {@code OpenAiEmbeddingModel} builder wired to {@code gateway} (HTTP client, base URL, placeholder
     * key, {@code maxRetries(0)}), for callers who set more options (dimensions, custom headers) first.
     *
     * @param gateway the gateway, shared
     * @return a builder the caller may change and then build
     */
    public static OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder embeddingModelBuilder(Gateway gateway) {
        return OpenAiEmbeddingModel.builder()
                .httpClientBuilder(httpClientBuilder(Objects.requireNonNull(gateway, "gateway")))
                .baseUrl(BASE_URL)
                .apiKey(PLACEHOLDER_API_KEY)
                .maxRetries(0);
    }

    /**
     * An embedding model whose calls run through {@code gateway}.
     *
     * @param gateway   the gateway, shared
     * @param modelName the embedding model the request names
     * @return the model
     */
    public static OpenAiEmbeddingModel embeddingModel(Gateway gateway, String modelName) {
        return embeddingModelBuilder(gateway)
                .modelName(Objects.requireNonNull(modelName, "modelName"))
                .build();
    }
}
