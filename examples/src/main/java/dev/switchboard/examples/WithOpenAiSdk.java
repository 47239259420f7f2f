package dev.switchboard.examples;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.Gateway;
import dev.switchboard.openai.SwitchboardOpenAI;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;

/**
 * The official OpenAI Java SDK running through Switchboard in-process: a fallback config whose first
 * target is down, a streamed answer accumulated by the SDK, metadata routing through the SDK's extra
 * headers, and a gateway error thrown as the SDK's own exception type. Runs against two local stubs.
 */
public final class WithOpenAiSdk {
    private WithOpenAiSdk() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (StubUpstream down = StubUpstream.start();
                StubUpstream up = StubUpstream.start()) {
            down.setDefault(StubResponse.error(503, "the stub is down on purpose"));
            String config =
                    """
                    {
                      "strategy": {"mode": "fallback"},
                      "targets": [
                        {"provider": "openai", "api_key": "sk-stub-1", "custom_host": "%s"},
                        {"provider": "openai", "api_key": "sk-stub-2", "custom_host": "%s"}
                      ]
                    }"""
                            .formatted(down.openAiBaseUrl(), up.openAiBaseUrl());
            try (Gateway gateway = Gateway.fromConfig(config)) {
                OpenAIClient client = SwitchboardOpenAI.client(gateway);
                ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                        .model("gpt-4o-mini")
                        .addUserMessage("Hello")
                        .build();

                up.enqueue(StubResponse.chatCompletion("Hello from the fallback"));
                ChatCompletion c = client.chat().completions().create(params);
                System.out.println(
                        "1. create: " + c.choices().get(0).message().content().orElse("") + " (calls: first target "
                                + down.hits() + ", second " + up.hits() + ")");

                up.enqueue(StubResponse.chatStream("Streamed", " through", " the", " gateway"));
                ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
                try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                        .completions()
                        .createStreaming(params.toBuilder()
                                .putAdditionalHeader("x-portkey-metadata", "{\"user_plan\":\"paid\"}")
                                .build())) {
                    stream.stream().forEach(acc::accumulate);
                }
                System.out.println("2. createStreaming, accumulated by the SDK: "
                        + acc.chatCompletion()
                                .choices()
                                .get(0)
                                .message()
                                .content()
                                .orElse(""));

                up.enqueue(StubResponse.error(429, "slow down"));
                down.setDefault(StubResponse.error(429, "slow down too"));
                try {
                    client.chat().completions().create(params);
                } catch (RateLimitException e) {
                    System.out.println(
                            "3. a 429 from the last target is the SDK's RateLimitException: " + e.getMessage());
                }
            }
        }
    }
}
