package dev.switchboard.examples;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.switchboard.Gateway;
import dev.switchboard.langchain4j.SwitchboardLangChain4j;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * LangChain4j's OpenAI models running through Switchboard in-process: a fallback config whose first
 * target is down, a streamed answer printed as it arrives with metadata in LangChain4j's custom headers,
 * embeddings, and a gateway error thrown as LangChain4j's own exception type. Runs against two local stubs.
 */
public final class WithLangChain4j {
    private WithLangChain4j() {}

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
                ChatModel chat = SwitchboardLangChain4j.chatModel(gateway, "gpt-4o-mini");
                up.enqueue(StubResponse.chatCompletion("Hello from the fallback"));
                System.out.println("1. chat: " + chat.chat("Hello") + " (calls: first target " + down.hits()
                        + ", second " + up.hits() + ")");

                StreamingChatModel streaming = SwitchboardLangChain4j.streamingChatModelBuilder(gateway)
                        .modelName("gpt-4o-mini")
                        .customHeaders(Map.of("x-portkey-metadata", "{\"user_plan\":\"paid\"}"))
                        .build();
                up.enqueue(StubResponse.chatStream("Streamed", " through", " the", " gateway"));
                CompletableFuture<ChatResponse> done = new CompletableFuture<>();
                StringBuilder parts = new StringBuilder();
                streaming.chat("Hello", new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        parts.append('[').append(partial).append(']');
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
                ChatResponse streamed = done.join();
                System.out.println("2. streaming: parts " + parts + ", complete: "
                        + streamed.aiMessage().text() + " ("
                        + streamed.tokenUsage().totalTokenCount() + " tokens)");

                EmbeddingModel embeddings = SwitchboardLangChain4j.embeddingModel(gateway, "text-embedding-3-small");
                up.enqueue(StubResponse.embeddings(8));
                Response<List<Embedding>> vectors =
                        embeddings.embedAll(List.of(TextSegment.from("hello"), TextSegment.from("world")));
                System.out.println("3. embedAll: " + vectors.content().size() + " vectors of "
                        + vectors.content().get(0).dimension());

                up.enqueue(StubResponse.error(429, "slow down"));
                down.setDefault(StubResponse.error(429, "slow down too"));
                try {
                    chat.chat("Hello");
                } catch (RateLimitException e) {
                    System.out.println(
                            "4. a 429 from the last target is LangChain4j's RateLimitException: " + e.getMessage());
                }
            }
        }
    }
}
