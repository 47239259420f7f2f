package dev.switchboard.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileListPage;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.models.Model;
import dev.switchboard.Gateway;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real OpenAI Java SDK running through a gateway in-process, against local stub upstreams. */
class SwitchboardOpenAITest {
    private StubUpstream up;
    private StubUpstream other;
    private Gateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        up = StubUpstream.start();
        other = StubUpstream.start();
        gateway = Gateway.fromConfig(single(up));
        client = SwitchboardOpenAI.client(gateway);
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        up.close();
        other.close();
    }

    private static String single(StubUpstream stub) {
        return """
                {"provider": "openai", "api_key": "sk-upstream-key", "custom_host": "%s"}"""
                .formatted(stub.openAiBaseUrl());
    }

    private static ChatCompletionCreateParams hello() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Hello")
                .build();
    }

    @Test
    void chatRunsThroughTheGatewayWithTheConfigsKeyAndNeverThePlaceholder() {
        up.enqueue(StubResponse.chatCompletion("Hi there"));
        ChatCompletion c = client.chat().completions().create(hello());
        assertEquals("Hi there", c.choices().get(0).message().content().orElseThrow());
        RecordedRequest seen = up.lastRequest();
        assertEquals("/v1/chat/completions", seen.path());
        assertEquals("Bearer sk-upstream-key", seen.header("authorization"));
        assertEquals("gpt-4o-mini", seen.json().path("model").asText());
        assertEquals(
                "Hello", seen.json().path("messages").path(0).path("content").asText());
        for (Map.Entry<String, String> h : seen.headers().entrySet()) {
            assertFalse(h.getValue().contains(SwitchboardOpenAI.PLACEHOLDER_API_KEY), "placeholder in " + h.getKey());
        }
        assertFalse(seen.bodyText().contains(SwitchboardOpenAI.PLACEHOLDER_API_KEY));
    }

    @Test
    void answersCarryNoRetryAndTheTraceIdAsRequestId() {
        up.enqueue(StubResponse.chatCompletion("ok"));
        HttpResponseFor<ChatCompletion> raw =
                client.chat().completions().withRawResponse().create(hello(), RequestOptions.none());
        assertEquals(List.of("false"), raw.headers().values("x-should-retry"));
        String trace = raw.headers().values("x-portkey-trace-id").get(0);
        assertEquals(trace, raw.requestId().orElseThrow());
        assertEquals("ok", raw.parse().choices().get(0).message().content().orElseThrow());
    }

    @Test
    void toolCallsParseIntoTheSdksTypes() {
        up.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"""));
        ChatCompletion c = client.chat()
                .completions()
                .create(hello().toBuilder().addTool(weatherTool()).build());
        ChatCompletionMessageToolCall call =
                c.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertEquals("get_weather", call.asFunction().function().name());
        assertEquals("{\"city\":\"Paris\"}", call.asFunction().function().arguments());
        JsonNode sentTools = up.lastRequest().json().path("tools");
        assertEquals(
                "get_weather", sentTools.path(0).path("function").path("name").asText());
    }

    private static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                .build())
                        .build())
                .build();
    }

    @Test
    void streamsAreAccumulatedByTheSdksAccumulator() {
        up.enqueue(StubResponse.chatStream("Hel", "lo", " world"));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(hello())) {
            s.stream().forEach(chunk -> {
                acc.accumulate(chunk);
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertEquals("Hello world", text.toString());
        ChatCompletion whole = acc.chatCompletion();
        assertEquals("Hello world", whole.choices().get(0).message().content().orElseThrow());
        assertTrue(up.lastRequest().json().path("stream").asBoolean());
    }

    @Test
    void parallelStreamedToolCallsAccumulate() {
        String head =
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[";
        up.enqueue(StubResponse.sse(List.of(
                head
                        + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                head
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                head
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}",
                head
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},\"finish_reason\":null}]}",
                head
                        + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
                head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat()
                .completions()
                .createStreaming(hello().toBuilder().addTool(weatherTool()).build())) {
            s.stream().forEach(acc::accumulate);
        }
        List<ChatCompletionMessageToolCall> calls =
                acc.chatCompletion().choices().get(0).message().toolCalls().orElseThrow();
        assertEquals(2, calls.size());
        assertEquals(
                "{\"city\":\"Paris\"}", calls.get(0).asFunction().function().arguments());
        assertEquals("{\"city\":\"Oslo\"}", calls.get(1).asFunction().function().arguments());
        assertEquals(
                ChatCompletion.Choice.FinishReason.TOOL_CALLS,
                acc.chatCompletion().choices().get(0).finishReason());
    }

    @Test
    void embeddingsAndLegacyCompletions() {
        up.enqueue(StubResponse.embeddings(4));
        CreateEmbeddingResponse e = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
                        .input("hello")
                        .build());
        assertEquals(4, e.data().get(0).embedding().size());
        assertEquals("/v1/embeddings", up.lastRequest().path());

        up.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"cmpl-1","object":"text_completion","created":1,"model":"gpt-3.5-turbo-instruct",
                 "choices":[{"index":0,"text":"done","finish_reason":"stop","logprobs":null}]}"""));
        Completion c = client.completions()
                .create(CompletionCreateParams.builder()
                        .model(CompletionCreateParams.Model.GPT_3_5_TURBO_INSTRUCT)
                        .prompt("Say done")
                        .build());
        assertEquals("done", c.choices().get(0).text());
        assertEquals("/v1/completions", up.lastRequest().path());
    }

    @Test
    void asyncClientAnswersAndStreams() throws Exception {
        OpenAIClientAsync async = SwitchboardOpenAI.asyncClient(gateway);
        up.enqueue(StubResponse.chatCompletion("async hi"));
        ChatCompletion c = async.chat().completions().create(hello()).get();
        assertEquals("async hi", c.choices().get(0).message().content().orElseThrow());

        up.enqueue(StubResponse.chatStream("a", "b"));
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        async.chat()
                .completions()
                .createStreaming(hello())
                .subscribe(acc::accumulate)
                .onCompleteFuture()
                .get();
        assertEquals(
                "ab", acc.chatCompletion().choices().get(0).message().content().orElseThrow());
        async.close();
    }

    @Test
    void errorsBecomeTheSdksExceptionTypesWithTheOpenAiMessage() {
        up.enqueue(StubResponse.error(400, "messages must not be empty"));
        BadRequestException bad = assertThrows(
                BadRequestException.class, () -> client.chat().completions().create(hello()));
        assertTrue(bad.getMessage().contains("messages must not be empty"), bad.getMessage());

        up.enqueue(StubResponse.error(429, "slow down"));
        RateLimitException rate = assertThrows(
                RateLimitException.class, () -> client.chat().completions().create(hello()));
        assertTrue(rate.getMessage().contains("slow down"), rate.getMessage());

        up.enqueue(StubResponse.error(500, "boom"));
        InternalServerException server = assertThrows(
                InternalServerException.class, () -> client.chat().completions().create(hello()));
        assertTrue(server.getMessage().contains("boom"), server.getMessage());
        assertEquals(3, up.hits(), "one upstream call per SDK call: the SDK does not retry");
    }

    @Test
    void filesTravelWithTheirMethodPathQueryAndBodyAndComeBackAsTheSdkParsesThem() throws Exception {
        String fileJson =
                """
                {"id":"file-abc123","object":"file","bytes":11,"created_at":1700000000,
                 "filename":"batch.jsonl","purpose":"batch","status":"processed"}""";
        up.enqueue(StubResponse.json(200, fileJson));
        FileObject created = client.files()
                .create(FileCreateParams.builder()
                        .file("{\"a\": 1}\n".getBytes(StandardCharsets.UTF_8))
                        .purpose(FilePurpose.BATCH)
                        .build());
        assertEquals("file-abc123", created.id());
        created.validate();
        RecordedRequest upload = up.lastRequest();
        assertEquals("POST", upload.method());
        assertEquals("/v1/files", upload.path());
        assertEquals("batch", upload.multipart().field("purpose").orElseThrow());
        assertEquals(
                "{\"a\": 1}\n", upload.multipart().part("file").orElseThrow().text());
        assertEquals("Bearer sk-upstream-key", upload.header("authorization"));

        up.enqueue(StubResponse.json(200, "{\"object\":\"list\",\"data\":[" + fileJson + "],\"has_more\":false}"));
        FileListPage page = client.files()
                .list(FileListParams.builder().limit(2).after("file-000").build());
        assertEquals("file-abc123", page.data().get(0).id());
        assertEquals("GET", up.lastRequest().method());
        assertEquals("/v1/files", up.lastRequest().path());
        assertTrue(
                up.lastRequest().query().contains("limit=2"), up.lastRequest().query());
        assertTrue(
                up.lastRequest().query().contains("after=file-000"),
                up.lastRequest().query());

        up.enqueue(StubResponse.json(200, fileJson));
        assertEquals("batch.jsonl", client.files().retrieve("file-abc123").filename());
        assertEquals("/v1/files/file-abc123", up.lastRequest().path());
        assertEquals(0, up.lastRequest().body().length, "a GET sends no body");

        byte[] content = new byte[70_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        up.enqueue(StubResponse.raw(200, "application/octet-stream", content));
        try (HttpResponse download = client.files().content("file-abc123")) {
            assertArrayEquals(content, download.body().readAllBytes(), "byte for byte");
        }
        assertEquals("/v1/files/file-abc123/content", up.lastRequest().path());

        up.enqueue(StubResponse.json(200, "{\"id\":\"file-abc123\",\"object\":\"file\",\"deleted\":true}"));
        FileDeleted deleted = client.files().delete("file-abc123");
        assertTrue(deleted.deleted());
        assertEquals("DELETE", up.lastRequest().method());
        assertEquals("/v1/files/file-abc123", up.lastRequest().path());
        assertEquals(5, up.hits());
    }

    @Test
    void anOperationTheTargetCannotServeIsTheProvidersErrorNotTheSdkAdapters() {
        try (Gateway anthropic = Gateway.fromConfig(
                """
                {"provider": "anthropic", "api_key": "sk-ant", "custom_host": "%s"}"""
                        .formatted(up.baseUrl()))) {
            OpenAIClient c = SwitchboardOpenAI.client(anthropic);
            OpenAIServiceException e =
                    assertThrows(OpenAIServiceException.class, () -> c.files().retrieve("file-1"));
            assertEquals(400, e.statusCode());
            assertTrue(e.getMessage().contains("anthropic"), e.getMessage());
            assertEquals(0, up.hits());
        }
    }

    @Test
    void aFallbackWhoseFirstTargetFailsCallsEachUpstreamOnce() {
        try (Gateway fb = Gateway.fromConfig(
                """
                {"strategy": {"mode": "fallback"}, "targets": [
                  {"provider": "openai", "api_key": "sk-a", "custom_host": "%s"},
                  {"provider": "openai", "api_key": "sk-b", "custom_host": "%s"}]}"""
                        .formatted(up.openAiBaseUrl(), other.openAiBaseUrl()))) {
            up.setDefault(StubResponse.error(503, "down on purpose"));
            other.enqueue(StubResponse.chatCompletion("from the fallback"));
            HttpResponseFor<ChatCompletion> raw = SwitchboardOpenAI.client(fb)
                    .chat()
                    .completions()
                    .withRawResponse()
                    .create(hello());
            assertEquals(
                    "from the fallback",
                    raw.parse().choices().get(0).message().content().orElseThrow());
            assertEquals(1, up.hits());
            assertEquals(1, other.hits());
            assertEquals(List.of("config.targets[1]"), raw.headers().values("x-portkey-last-used-option-index"));
        }
    }

    @Test
    void metadataTraceIdAndConfigTravelAsTheSdksExtraHeaders() {
        try (Gateway routed = Gateway.fromConfig(
                """
                {"strategy": {"mode": "conditional",
                   "conditions": [{"query": {"metadata.user_plan": {"$eq": "paid"}}, "then": "paid"}], "default": "free"},
                 "targets": [
                   {"name": "paid", "provider": "openai", "api_key": "sk-a", "custom_host": "%1$s", "override_params": {"model": "gpt-4o"}},
                   {"name": "free", "provider": "openai", "api_key": "sk-a", "custom_host": "%1$s"}]}"""
                        .formatted(up.openAiBaseUrl()))) {
            OpenAIClient c = SwitchboardOpenAI.client(routed);
            up.enqueue(StubResponse.chatCompletion("paid answer"));
            HttpResponseFor<ChatCompletion> raw = c.chat()
                    .completions()
                    .withRawResponse()
                    .create(hello().toBuilder()
                            .putAdditionalHeader("x-portkey-metadata", "{\"user_plan\":\"paid\"}")
                            .putAdditionalHeader("x-portkey-trace-id", "trace-from-the-sdk")
                            .build());
            assertEquals(
                    "gpt-4o", up.lastRequest().json().path("model").asText(), "metadata routed to the paid target");
            assertEquals(List.of("trace-from-the-sdk"), raw.headers().values("x-portkey-trace-id"));

            // a per-request config in the header replaces the gateway's: the other stub answers
            other.enqueue(StubResponse.chatCompletion("from the header's config"));
            ChatCompletion viaHeader = c.chat()
                    .completions()
                    .create(hello().toBuilder()
                            .putAdditionalHeader("x-portkey-config", single(other))
                            .build());
            assertEquals(
                    "from the header's config",
                    viaHeader.choices().get(0).message().content().orElseThrow());
            assertEquals(1, other.hits());
            assertEquals(1, up.hits());
            assertNull(other.lastRequest().header("x-portkey-config"), "the config header is not sent upstream");

            BadRequestException bad = assertThrows(BadRequestException.class, () -> c.chat()
                    .completions()
                    .create(hello().toBuilder()
                            .putAdditionalHeader("x-portkey-config", "pc-abc123")
                            .build()));
            assertTrue(bad.getMessage().contains("x-portkey-config"), bad.getMessage());
            assertFalse(bad.getMessage().contains("pc-abc123"), bad.getMessage());
        }
    }

    @Test
    void theSdksTimeoutBecomesTheGatewaysRequestTimeout() {
        try (Gateway slow = Gateway.fromConfig(
                """
                {"request_timeout": 60000, "provider": "openai", "api_key": "sk-a", "custom_host": "%s"}"""
                        .formatted(up.openAiBaseUrl()))) {
            up.enqueue(StubResponse.hang());
            OpenAIClient c = SwitchboardOpenAI.client(slow);
            OpenAIServiceException e = assertThrows(OpenAIServiceException.class, () -> c.chat()
                    .completions()
                    .create(
                            hello(),
                            RequestOptions.builder()
                                    .timeout(Timeout.builder()
                                            .request(Duration.ofMillis(200))
                                            .build())
                                    .build()));
            assertEquals(408, e.statusCode(), e.getMessage());
            assertEquals(1, up.hits());
        }
    }

    @Test
    void closingTheClientLeavesTheGatewayOpen() {
        SwitchboardOpenAI.client(gateway).close();
        up.enqueue(StubResponse.chatCompletion("still open"));
        assertEquals(
                "still open",
                client.chat()
                        .completions()
                        .create(hello())
                        .choices()
                        .get(0)
                        .message()
                        .content()
                        .orElseThrow());
    }

    @Test
    void modelsAreListedAndRetrievedThroughTheGateway() {
        // GET /v1/models is answered by the gateway from the config; list_models: upstream merges the provider's
        String config = "{\"provider\": \"openai\", \"api_key\": \"sk-upstream-key\", \"custom_host\": \""
                + up.openAiBaseUrl() + "\", \"list_models\": \"upstream\"}";
        String list =
                """
                {"object":"list","data":[{"id":"gpt-4o","object":"model","created":1,"owned_by":"openai"},
                 {"id":"ft:gpt-4o:acme:x","object":"model","created":1,"owned_by":"acme"}]}""";
        try (Gateway listing = Gateway.fromConfig(config)) {
            OpenAIClient sdk = SwitchboardOpenAI.client(listing);
            up.enqueue(StubResponse.json(200, list));
            List<String> ids =
                    sdk.models().list().data().stream().map(Model::id).toList();
            assertTrue(ids.contains("gpt-4o") && ids.contains("ft:gpt-4o:acme:x"), ids.toString());
            assertEquals("/v1/models", up.lastRequest().path());
            up.enqueue(StubResponse.json(200, list));
            Model m = sdk.models().retrieve("ft:gpt-4o:acme:x");
            m.validate();
            assertEquals("ft:gpt-4o:acme:x", m.id());
            assertEquals("acme", m.ownedBy());
            up.enqueue(StubResponse.json(200, list));
            assertThrows(com.openai.errors.NotFoundException.class, () -> sdk.models()
                    .retrieve("gpt-9"));
        }
    }
}
