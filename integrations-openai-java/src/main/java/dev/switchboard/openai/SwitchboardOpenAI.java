package dev.switchboard.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.OpenAIClientAsyncImpl;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import dev.switchboard.Gateway;
import java.util.Objects;

/**
 * One-line factories for the official OpenAI Java SDK running through a {@link Gateway} in-process.
 * The clients are the SDK's own ({@code client.chat().completions().create(...)},
 * {@code createStreaming}, {@code embeddings()}, the async variants); every call becomes a
 * {@code GatewayRequest}, so the gateway's config routes it (fallbacks, retries, guardrails, cache,
 * accounting) and its providers' credentials are the ones used.
 *
 * <pre>{@code
 * OpenAIClient client = SwitchboardOpenAI.client(gateway);
 * ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
 *         .model(ChatModel.GPT_4O_MINI).addUserMessage("Hello").build());
 * }</pre>
 *
 * <p>The gateway owns retries: the clients are built with {@code maxRetries(0)} and every answer carries
 * {@code x-should-retry: false}. The SDK insists on an API key; it is given {@link #PLACEHOLDER_API_KEY},
 * which {@link SwitchboardHttpClient} removes before the request reaches the gateway (providers use the
 * keys of the gateway's config). Closing a client does not close the gateway.
 */
public final class SwitchboardOpenAI {
    /**
     * The API key the SDK is given because it requires one: not a secret, never sent anywhere —
     * {@link SwitchboardHttpClient} drops the {@code Authorization} header that carries it.
     */
    public static final String PLACEHOLDER_API_KEY = "switchboard-in-process";

    /** The SDK's base URL: a reserved name ({@code .invalid}) nothing resolves; requests never leave the JVM. */
    public static final String BASE_URL = "http://switchboard.invalid/v1";

    private SwitchboardOpenAI() {}

    /**
     * A blocking OpenAI client whose calls run through {@code gateway}.
     *
     * @param gateway the gateway, shared; the client does not close it
     * @return the client
     */
    public static OpenAIClient client(Gateway gateway) {
        return new OpenAIClientImpl(options(gateway).build());
    }

    /**
     * An asynchronous OpenAI client whose calls run through {@code gateway}
     * ({@link Gateway#executeAsync}: non-blocking until a stream is read).
     *
     * @param gateway the gateway, shared; the client does not close it
     * @return the client
     */
    public static OpenAIClientAsync asyncClient(Gateway gateway) {
        return new OpenAIClientAsyncImpl(options(gateway).build());
    }

    /**
     * The SDK's client options wired to {@code gateway} (HTTP client, placeholder key, base URL,
     * {@code maxRetries(0)}), for callers who set more options (headers, a JSON mapper, a stream
     * executor) before building: {@code new OpenAIClientImpl(options(gateway).putHeader(...).build())}.
     * Keep {@code maxRetries} at 0: a retry belongs in the gateway's config, where it is traced and accounted.
     *
     * @param gateway the gateway, shared
     * @return a builder the caller may change and then build
     */
    public static ClientOptions.Builder options(Gateway gateway) {
        Objects.requireNonNull(gateway, "gateway");
        return ClientOptions.builder()
                .httpClient(new SwitchboardHttpClient(gateway))
                .baseUrl(BASE_URL)
                .apiKey(PLACEHOLDER_API_KEY)
                .maxRetries(0);
    }
}
