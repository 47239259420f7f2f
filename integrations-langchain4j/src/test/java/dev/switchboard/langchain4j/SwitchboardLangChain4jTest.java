package dev.switchboard.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiImageModel;
import dev.langchain4j.model.openai.OpenAiModerationModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;
import dev.switchboard.Gateway;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.accounting.TraceJson;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real LangChain4j OpenAI models running through a gateway in-process, against local stub upstreams. */
class SwitchboardLangChain4jTest {
    private static final long WAIT_S = 10;

    private StubUpstream up;
    private StubUpstream other;
    private InMemoryLogSink logs;
    private Gateway gateway;

    @BeforeEach
    void start() {
        up = StubUpstream.start();
        other = StubUpstream.start();
        logs = new InMemoryLogSink();
        gateway = Gateway.builder().config(single(up)).logSink(logs).build();
    }

    @AfterEach
    void stop() {
        gateway.close();
        up.close();
        other.close();
    }

    private static String single(StubUpstream stub) {
        return """
                {"provider": "openai", "api_key": "sk-upstream-key", "custom_host": "%s"}"""
                .formatted(stub.openAiBaseUrl());
    }

    private static ToolSpecification weatherTool() {
        return ToolSpecification.builder()
                .name("get_weather")
                .description("The weather in a city")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("city")
                        .required("city")
                        .build())
                .build();
    }

    private static final String CHUNK_HEAD =
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[";

    /** Collects what a streaming handler is told; {@link #done} completes with the response or the error. */
    private static class Recorder implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
        final List<CompleteToolCall> completeToolCalls = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        final AtomicInteger terminals = new AtomicInteger();

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            partials.add(partialResponse.text());
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall) {
            partialToolCalls.add(partialToolCall);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall completeToolCall) {
            completeToolCalls.add(completeToolCall);
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            terminals.incrementAndGet();
            done.complete(completeResponse);
        }

        @Override
        public void onError(Throwable error) {
            terminals.incrementAndGet();
            done.completeExceptionally(error);
        }

        ChatResponse response() throws Exception {
            return done.get(WAIT_S, TimeUnit.SECONDS);
        }

        Throwable error() throws Exception {
            try {
                ChatResponse r = done.get(WAIT_S, TimeUnit.SECONDS);
                throw new AssertionError("expected an error, got a complete response: " + r);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
        }
    }

    @Test
    void chatRunsThroughTheGatewayWithTheConfigsKeyAndNeverThePlaceholder() {
        up.enqueue(StubResponse.chatCompletion("Hi there", 12, 3));
        OpenAiChatModel model = SwitchboardLangChain4j.chatModel(gateway, "gpt-4o-mini");
        ChatResponse r = model.chat(
                ChatRequest.builder().messages(UserMessage.from("Hello")).build());
        assertEquals("Hi there", r.aiMessage().text());
        assertEquals(12, r.tokenUsage().inputTokenCount());
        assertEquals(3, r.tokenUsage().outputTokenCount());
        assertEquals(FinishReason.STOP, r.finishReason());

        RecordedRequest seen = up.lastRequest();
        assertEquals("/v1/chat/completions", seen.path());
        assertEquals("Bearer sk-upstream-key", seen.header("authorization"));
        assertEquals("gpt-4o-mini", seen.json().path("model").asText());
        assertEquals(
                "Hello", seen.json().path("messages").path(0).path("content").asText());
        for (Map.Entry<String, String> h : seen.headers().entrySet()) {
            assertFalse(h.getValue().contains(SwitchboardLangChain4j.PLACEHOLDER_API_KEY), "placeholder in " + h);
            assertFalse(h.getValue().contains("switchboard.invalid"), "base URL in " + h);
        }
        assertFalse(seen.bodyText().contains(SwitchboardLangChain4j.PLACEHOLDER_API_KEY));
        assertEquals(1, logs.traces().size());
        String logged = TraceJson.toLine(logs.traces().get(0));
        assertFalse(logged.contains(SwitchboardLangChain4j.PLACEHOLDER_API_KEY), logged);
        assertFalse(logged.contains("sk-upstream-key"), logged);

        // what the gateway did is in the raw response LangChain4j keeps
        OpenAiChatResponseMetadata meta = (OpenAiChatResponseMetadata) r.metadata();
        assertFalse(
                meta.rawHttpResponse().headers().get("x-portkey-trace-id").isEmpty(),
                meta.rawHttpResponse().headers().toString());
    }

    @Test
    void chatWithAToolReturnsTheModelsToolCalls() {
        up.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
                 "usage":{"prompt_tokens":20,"completion_tokens":7,"total_tokens":27}}"""));
        ChatResponse r = SwitchboardLangChain4j.chatModel(gateway, "gpt-4o-mini")
                .chat(ChatRequest.builder()
                        .messages(UserMessage.from("Weather in Paris?"))
                        .toolSpecifications(weatherTool())
                        .build());
        assertTrue(r.aiMessage().hasToolExecutionRequests());
        ToolExecutionRequest call = r.aiMessage().toolExecutionRequests().get(0);
        assertEquals("call_1", call.id());
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\":\"Paris\"}", call.arguments());
        assertEquals(FinishReason.TOOL_EXECUTION, r.finishReason());
        assertEquals(27, r.tokenUsage().totalTokenCount());
        JsonNode sentTool = up.lastRequest().json().path("tools").path(0);
        assertEquals("get_weather", sentTool.path("function").path("name").asText());
        assertEquals(
                "string",
                sentTool.path("function")
                        .path("parameters")
                        .path("properties")
                        .path("city")
                        .path("type")
                        .asText());
    }

    @Test
    void streamingTextArrivesInPartsAndCompletesWithUsage() throws Exception {
        up.enqueue(StubResponse.chatStream("Hel", "lo", " world"));
        Recorder rec = new Recorder();
        SwitchboardLangChain4j.streamingChatModel(gateway, "gpt-4o-mini").chat("Hello", rec);
        ChatResponse r = rec.response();
        assertEquals(List.of("Hel", "lo", " world"), rec.partials);
        assertEquals("Hello world", r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(10, r.tokenUsage().inputTokenCount());
        assertEquals(3, r.tokenUsage().outputTokenCount());
        JsonNode sent = up.lastRequest().json();
        assertTrue(sent.path("stream").asBoolean());
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
        assertEquals(1, rec.terminals.get());
    }

    @Test
    void streamedEventsReachTheHandlerBeforeTheStreamEndsAndCancellingClosesTheUpstream() throws Exception {
        // the stub sends the role chunk and "Hel", then holds the connection open
        up.enqueue(StubResponse.chatStream("Hel", "lo").stallAfterEvents(2));
        CountDownLatch firstText = new CountDownLatch(1);
        Recorder rec = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
                super.onPartialResponse(partialResponse, context);
                firstText.countDown();
                context.streamingHandle().cancel();
            }
        };
        SwitchboardLangChain4j.streamingChatModel(gateway, "gpt-4o-mini").chat("Hello", rec);
        assertTrue(firstText.await(WAIT_S, TimeUnit.SECONDS), "no partial answer while the upstream is still open");
        assertEquals(List.of("Hel"), rec.partials);
        assertTrue(up.awaitOpenConnections(0, Duration.ofSeconds(WAIT_S)), "cancel did not close the upstream");
        assertFalse(rec.done.isDone(), "a cancelled stream neither completes nor fails");
    }

    @Test
    void streamedToolCallsArriveAsPartialsAndInTheCompleteResponseWithUsage() throws Exception {
        up.enqueue(StubResponse.sse(List.of(
                CHUNK_HEAD
                        + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                CHUNK_HEAD
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}",
                CHUNK_HEAD
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
                CHUNK_HEAD
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},\"finish_reason\":null}]}",
                CHUNK_HEAD + "{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                CHUNK_HEAD.replace(",\"choices\":[", ",\"choices\":[],")
                        + "\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":9,\"total_tokens\":39}}")));
        Recorder rec = new Recorder();
        SwitchboardLangChain4j.streamingChatModel(gateway, "gpt-4o-mini")
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("Weather in Paris and Oslo?"))
                                .toolSpecifications(weatherTool())
                                .build(),
                        rec);
        ChatResponse r = rec.response();
        List<ToolExecutionRequest> calls = r.aiMessage().toolExecutionRequests();
        assertEquals(2, calls.size(), r.toString());
        assertEquals("call_a", calls.get(0).id());
        assertEquals("{\"city\":\"Paris\"}", calls.get(0).arguments());
        assertEquals("call_b", calls.get(1).id());
        assertEquals("{\"city\":\"Oslo\"}", calls.get(1).arguments());
        assertEquals(FinishReason.TOOL_EXECUTION, r.finishReason());
        assertEquals(30, r.tokenUsage().inputTokenCount());
        assertEquals(9, r.tokenUsage().outputTokenCount());
        assertTrue(rec.partialToolCalls.size() >= 3, rec.partialToolCalls.toString());
        assertEquals("get_weather", rec.partialToolCalls.get(0).name());
        assertEquals(2, rec.completeToolCalls.size(), rec.completeToolCalls.toString());
        assertEquals(
                "{\"city\":\"Paris\"}",
                rec.completeToolCalls.get(0).toolExecutionRequest().arguments());
        assertEquals(
                "get_weather",
                up.lastRequest()
                        .json()
                        .path("tools")
                        .path(0)
                        .path("function")
                        .path("name")
                        .asText());
    }

    @Test
    void aStreamRefusedBeforeItsFirstEventIsTheHandlersMappedError() throws Exception {
        up.enqueue(StubResponse.error(429, "slow down"));
        Recorder rec = new Recorder();
        SwitchboardLangChain4j.streamingChatModel(gateway, "gpt-4o-mini").chat("Hello", rec);
        Throwable e = rec.error();
        assertInstanceOf(RateLimitException.class, e);
        assertTrue(e.getMessage().contains("slow down"), e.getMessage());
        assertEquals(List.of(), rec.partials);
        assertEquals(1, up.hits());
        assertEquals(1, rec.terminals.get());
    }

    @Test
    void aStreamThatBreaksAfterItStartedEndsInAnErrorNotACompleteResponse() throws Exception {
        // role chunk and "Hel", then the connection is cut: the gateway ends the stream with an error event
        up.enqueue(StubResponse.chatStream("Hel", "lo", " world").cutAfterEvents(2));
        Recorder rec = new Recorder();
        SwitchboardLangChain4j.streamingChatModel(gateway, "gpt-4o-mini").chat("Hello", rec);
        Throwable e = rec.error();
        assertInstanceOf(InternalServerException.class, e, String.valueOf(e));
        assertTrue(e.getMessage().contains("error"), e.getMessage());
        assertEquals(List.of("Hel"), rec.partials);
        assertEquals(1, rec.terminals.get(), "one end only: the error");
    }

    @Test
    void aStreamIdleTimeoutAfterTheFirstEventIsLangChain4jsTimeoutException() throws Exception {
        try (Gateway idle = Gateway.fromConfig(
                """
                {"stream_idle_timeout": 300, "provider": "openai", "api_key": "sk-a", "custom_host": "%s"}"""
                        .formatted(up.openAiBaseUrl()))) {
            up.enqueue(StubResponse.chatStream("Hel", "lo").stallAfterEvents(2));
            Recorder rec = new Recorder();
            SwitchboardLangChain4j.streamingChatModel(idle, "gpt-4o-mini").chat("Hello", rec);
            Throwable e = rec.error();
            assertInstanceOf(TimeoutException.class, e, String.valueOf(e));
            assertEquals(List.of("Hel"), rec.partials);
        }
    }

    @Test
    void embedAllRunsThroughTheGateway() {
        up.enqueue(StubResponse.embeddings(4));
        Response<List<Embedding>> r = SwitchboardLangChain4j.embeddingModel(gateway, "text-embedding-3-small")
                .embedAll(List.of(TextSegment.from("hello"), TextSegment.from("world")));
        assertEquals(2, r.content().size());
        assertEquals(4, r.content().get(0).dimension());
        assertEquals(4, r.content().get(1).dimension());
        RecordedRequest seen = up.lastRequest();
        assertEquals("/v1/embeddings", seen.path());
        assertEquals("text-embedding-3-small", seen.json().path("model").asText());
        assertEquals("world", seen.json().path("input").path(1).asText());
        assertEquals("Bearer sk-upstream-key", seen.header("authorization"));
    }

    @Test
    void errorStatusesBecomeLangChain4jsExceptionTypesWithoutLangChain4jRetries() {
        OpenAiChatModel model = SwitchboardLangChain4j.chatModel(gateway, "gpt-4o-mini");
        up.enqueue(StubResponse.error(400, "messages must not be empty"));
        InvalidRequestException bad = assertThrows(InvalidRequestException.class, () -> model.chat("Hello"));
        assertTrue(bad.getMessage().contains("messages must not be empty"), bad.getMessage());

        up.enqueue(StubResponse.error(429, "slow down"));
        RateLimitException rate = assertThrows(RateLimitException.class, () -> model.chat("Hello"));
        assertTrue(rate.getMessage().contains("slow down"), rate.getMessage());

        up.enqueue(StubResponse.error(500, "boom"));
        InternalServerException server = assertThrows(InternalServerException.class, () -> model.chat("Hello"));
        assertTrue(server.getMessage().contains("boom"), server.getMessage());
        assertEquals(3, up.hits(), "one upstream call per LangChain4j call: LangChain4j does not retry");
    }

    @Test
    void aFallbackCallsEachUpstreamExactlyAsTheConfigSays() {
        try (Gateway fb = Gateway.fromConfig(
                """
                {"strategy": {"mode": "fallback"}, "targets": [
                  {"provider": "openai", "api_key": "sk-a", "custom_host": "%s"},
                  {"provider": "openai", "api_key": "sk-b", "custom_host": "%s"}]}"""
                        .formatted(up.openAiBaseUrl(), other.openAiBaseUrl()))) {
            up.setDefault(StubResponse.error(503, "down on purpose"));
            other.enqueue(StubResponse.chatCompletion("from the fallback"));
            OpenAiChatModel model = SwitchboardLangChain4j.chatModel(fb, "gpt-4o-mini");
            ChatResponse r = model.chat(
                    ChatRequest.builder().messages(UserMessage.from("Hello")).build());
            assertEquals("from the fallback", r.aiMessage().text());
            assertEquals(1, up.hits());
            assertEquals(1, other.hits());
            assertEquals("Bearer sk-b", other.lastRequest().header("authorization"));
            assertEquals(
                    List.of("config.targets[1]"),
                    ((OpenAiChatResponseMetadata) r.metadata())
                            .rawHttpResponse()
                            .headers()
                            .get("x-portkey-last-used-option-index"));

            // both down: one call each, and LangChain4j's (retriable) InternalServerException is not retried
            other.setDefault(StubResponse.error(502, "also down"));
            assertThrows(InternalServerException.class, () -> model.chat("Hello"));
            assertEquals(2, up.hits());
            assertEquals(2, other.hits());
        }
    }

    @Test
    void metadataTraceIdAndConfigTravelAsLangChain4jsCustomHeaders() throws Exception {
        try (Gateway routed = Gateway.fromConfig(
                """
                {"strategy": {"mode": "conditional",
                   "conditions": [{"query": {"metadata.user_plan": {"$eq": "paid"}}, "then": "paid"}], "default": "free"},
                 "targets": [
                   {"name": "paid", "provider": "openai", "api_key": "sk-a", "custom_host": "%1$s", "override_params": {"model": "gpt-4o"}},
                   {"name": "free", "provider": "openai", "api_key": "sk-a", "custom_host": "%1$s"}]}"""
                        .formatted(up.openAiBaseUrl()))) {
            OpenAiChatModel paid = SwitchboardLangChain4j.chatModelBuilder(routed)
                    .modelName("gpt-4o-mini")
                    .customHeaders(Map.of(
                            "x-portkey-metadata", "{\"user_plan\":\"paid\"}",
                            "x-portkey-trace-id", "trace-from-langchain4j"))
                    .build();
            up.enqueue(StubResponse.chatCompletion("paid answer"));
            ChatResponse r = paid.chat(
                    ChatRequest.builder().messages(UserMessage.from("Hello")).build());
            assertEquals("gpt-4o", up.lastRequest().json().path("model").asText(), "metadata routed to paid");
            assertEquals(
                    List.of("trace-from-langchain4j"),
                    ((OpenAiChatResponseMetadata) r.metadata())
                            .rawHttpResponse()
                            .headers()
                            .get("x-portkey-trace-id"));
            assertNull(up.lastRequest().header("x-portkey-metadata"), "metadata is not sent upstream");

            up.enqueue(StubResponse.chatCompletion("free answer"));
            SwitchboardLangChain4j.chatModel(routed, "gpt-4o-mini").chat("Hello");
            assertEquals("gpt-4o-mini", up.lastRequest().json().path("model").asText(), "no metadata: free");

            // streaming too, with per-call metadata from a supplier read before each request
            String[] plan = {"paid"};
            OpenAiStreamingChatModel streaming = SwitchboardLangChain4j.streamingChatModelBuilder(routed)
                    .modelName("gpt-4o-mini")
                    .customHeaders(() -> Map.of("x-portkey-metadata", "{\"user_plan\":\"" + plan[0] + "\"}"))
                    .build();
            up.enqueue(StubResponse.chatStream("streamed"));
            Recorder rec = new Recorder();
            streaming.chat("Hello", rec);
            assertEquals("streamed", rec.response().aiMessage().text());
            assertEquals("gpt-4o", up.lastRequest().json().path("model").asText());
            plan[0] = "free";
            up.enqueue(StubResponse.chatStream("streamed"));
            Recorder rec2 = new Recorder();
            streaming.chat("Hello", rec2);
            rec2.response();
            assertEquals("gpt-4o-mini", up.lastRequest().json().path("model").asText());

            // a per-call config in the header replaces the gateway's: the other stub answers
            other.enqueue(StubResponse.chatCompletion("from the header's config"));
            String viaHeader = SwitchboardLangChain4j.chatModelBuilder(routed)
                    .modelName("gpt-4o-mini")
                    .customHeaders(Map.of("x-portkey-config", single(other)))
                    .build()
                    .chat("Hello");
            assertEquals("from the header's config", viaHeader);
            assertEquals(1, other.hits());
            assertNull(other.lastRequest().header("x-portkey-config"), "the config header is not sent upstream");
        }
    }

    @Test
    void aReadTimeoutSetOnTheModelBecomesTheGatewaysRequestTimeout() {
        try (Gateway slow = Gateway.fromConfig(
                """
                {"request_timeout": 60000, "provider": "openai", "api_key": "sk-a", "custom_host": "%s"}"""
                        .formatted(up.openAiBaseUrl()))) {
            up.enqueue(StubResponse.hang());
            OpenAiChatModel model = SwitchboardLangChain4j.chatModelBuilder(slow)
                    .modelName("gpt-4o-mini")
                    .timeout(Duration.ofMillis(200))
                    .build();
            TimeoutException e = assertThrows(TimeoutException.class, () -> model.chat("Hello"));
            assertTrue(e.getMessage().contains("408") || e.getMessage().contains("timeout"), e.getMessage());
            assertEquals(1, up.hits());
        }
    }

    @Test
    void moderationAndImageModelsPassThroughTheGateway() {
        up.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"modr-1","model":"omni-moderation-latest","results":[{"flagged":true,
                 "categories":{"harassment":true,"hate":false,"self-harm":false,"sexual":false,"violence":false},
                 "category_scores":{"harassment":0.9,"hate":0.0,"self-harm":0.0,"sexual":0.0,"violence":0.0}}]}"""));
        OpenAiModerationModel moderation = OpenAiModerationModel.builder()
                .httpClientBuilder(SwitchboardLangChain4j.httpClientBuilder(gateway))
                .baseUrl(SwitchboardLangChain4j.BASE_URL)
                .apiKey(SwitchboardLangChain4j.PLACEHOLDER_API_KEY)
                .maxRetries(0)
                .build();
        assertTrue(moderation.moderate("hi").content().flagged());
        assertEquals("/v1/moderations", up.lastRequest().path());
        assertEquals(
                "hi",
                up.lastRequest()
                        .json()
                        .path("input")
                        .get(0)
                        .asText(up.lastRequest().json().path("input").asText()));

        up.enqueue(StubResponse.json(200, "{\"created\":1,\"data\":[{\"url\":\"https://img.example/1.png\"}]}"));
        OpenAiImageModel images = OpenAiImageModel.builder()
                .httpClientBuilder(SwitchboardLangChain4j.httpClientBuilder(gateway))
                .baseUrl(SwitchboardLangChain4j.BASE_URL)
                .apiKey(SwitchboardLangChain4j.PLACEHOLDER_API_KEY)
                .maxRetries(0)
                .modelName("dall-e-3")
                .build();
        assertEquals(
                "https://img.example/1.png",
                images.generate("a lighthouse").content().url().toString());
        assertEquals("/v1/images/generations", up.lastRequest().path());
        assertEquals(2, up.hits());
        assertFalse(up.lastRequest().headers().toString().contains(SwitchboardLangChain4j.PLACEHOLDER_API_KEY));
    }

    @Test
    void anOperationOutsideAV1BaseUrlFailsWithoutCallingTheGateway() {
        OpenAiModerationModel moderation = OpenAiModerationModel.builder()
                .httpClientBuilder(SwitchboardLangChain4j.httpClientBuilder(gateway))
                .baseUrl("http://elsewhere.invalid/api")
                .apiKey(SwitchboardLangChain4j.PLACEHOLDER_API_KEY)
                .maxRetries(0)
                .build();
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> moderation.moderate("hi"));
        assertTrue(e.getMessage().contains("POST /api/moderations"), e.getMessage());
        assertTrue(e.getMessage().contains("unsupported_endpoint"), e.getMessage());
        assertEquals(0, up.hits());
    }

    @Test
    void aHandBuiltModelWithAnyBaseUrlRunsThroughTheGateway() {
        up.enqueue(StubResponse.chatCompletion("hand built"));
        OpenAiChatModel model = OpenAiChatModel.builder()
                .httpClientBuilder(SwitchboardLangChain4j.httpClientBuilder(gateway))
                .baseUrl("https://api.openai.com/v1/") // LangChain4j's default: never contacted
                .apiKey(SwitchboardLangChain4j.PLACEHOLDER_API_KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .build();
        assertEquals("hand built", model.chat("Hello"));
        assertEquals("/v1/chat/completions", up.lastRequest().path());
        assertEquals("Bearer sk-upstream-key", up.lastRequest().header("authorization"));
    }

    @Test
    void aClosedGatewayIsAnErrorForBothKindsOfCall() throws Exception {
        OpenAiChatModel model = SwitchboardLangChain4j.chatModel(gateway, "gpt-4o-mini");
        OpenAiStreamingChatModel streaming = SwitchboardLangChain4j.streamingChatModel(gateway, "gpt-4o-mini");
        gateway.close();
        IllegalStateException blocking = assertThrows(IllegalStateException.class, () -> model.chat("Hello"));
        assertTrue(blocking.getMessage().contains("gateway is closed"), blocking.getMessage());
        Recorder rec = new Recorder();
        streaming.chat("Hello", rec);
        Throwable e = rec.error();
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("gateway is closed"), e.getMessage());
        assertEquals(0, up.hits());
    }
}
