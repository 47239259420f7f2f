package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.testkit.RecordedMultipart;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK (with its OkHttp client) against the server over real HTTP. */
class OpenAiSdkOverHttpTest {
    private final ServerFixture f = new ServerFixture();
    private final OpenAIClient client = OpenAIOkHttpClient.builder()
            .baseUrl(f.v1())
            .apiKey(ServerFixture.SERVER_KEY)
            .maxRetries(0)
            .build();

    @AfterEach
    void stop() {
        client.close();
        f.close();
    }

    private static ChatCompletionCreateParams chat() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Say hello")
                .build();
    }

    @Test
    void chatGoesThroughTheGatewayWithTheUpstreamKeyNotTheServerKey() throws Exception {
        f.stub.enqueue(StubResponse.chatCompletion("Hello from the stub", 7, 3));
        ChatCompletion c = client.chat().completions().create(chat());
        assertEquals(
                "Hello from the stub", c.choices().get(0).message().content().orElseThrow());
        RecordedRequest upstream = f.stub.lastRequest();
        assertEquals("Bearer " + ServerFixture.UPSTREAM_KEY, upstream.header("authorization"));
        assertEquals("/v1/chat/completions", upstream.path());
        RequestTrace trace = f.traces.poll(10, TimeUnit.SECONDS);
        assertEquals("team-a", trace.metadata().get("api_key"), "the key's name, never its secret");
        assertEquals("a", trace.metadata().get("team"));
        String metrics = f.metrics.render();
        assertTrue(
                metrics.contains("switchboard_requests_total{endpoint=\"chat_completions\",status=\"200\"} 1"),
                metrics);
        assertTrue(metrics.contains("switchboard_tokens_total{provider=\"openai\",type=\"prompt\"} 7"), metrics);
        assertTrue(metrics.contains("switchboard_overhead_seconds_count 1"), metrics);
    }

    @Test
    void aStreamArrivesAsChunksTheSdkParses() {
        f.stub.enqueue(StubResponse.chatStream("Hel", "lo", "!"));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat())) {
            s.stream().forEach(chunk -> chunk.choices()
                    .forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertEquals("Hello!", text.toString());
    }

    @Test
    void embeddings() {
        f.stub.enqueue(StubResponse.embeddings(8));
        CreateEmbeddingResponse r = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("text-embedding-3-small")
                        .input("hello")
                        .build());
        assertEquals(8, r.data().get(0).embedding().size());
        assertEquals("/v1/embeddings", f.stub.lastRequest().path());
    }

    @Test
    void toolCallsRoundTrip() {
        f.stub.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_1","type":"function",
                                  "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
                 "usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":10}}"""));
        ChatCompletion c = client.chat()
                .completions()
                .create(chat().toBuilder()
                        .addTool(ChatCompletionFunctionTool.builder()
                                .function(FunctionDefinition.builder()
                                        .name("get_weather")
                                        .build())
                                .build())
                        .build());
        var call = c.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"city\":\"Paris\"}", call.function().arguments());
        assertEquals(
                "get_weather",
                f.stub.lastRequest()
                        .json()
                        .path("tools")
                        .path(0)
                        .path("function")
                        .path("name")
                        .asText());
    }

    @Test
    void errorsBecomeTheSdksExceptions() {
        f.stub.enqueue(StubResponse.error(429, "slow down"));
        RateLimitException limited = assertThrows(
                RateLimitException.class, () -> client.chat().completions().create(chat()));
        assertTrue(limited.getMessage().contains("slow down"), limited.getMessage());

        OpenAIClient anonymous = OpenAIOkHttpClient.builder()
                .baseUrl(f.v1())
                .apiKey("sb-not-a-real-key-00000000")
                .maxRetries(0)
                .build();
        try {
            UnauthorizedException denied = assertThrows(
                    UnauthorizedException.class,
                    () -> anonymous.chat().completions().create(chat()));
            assertFalse(denied.getMessage().contains("sb-not-a-real-key"), "the key is never echoed");
        } finally {
            anonymous.close();
        }
        int hits = f.stub.hits();
        assertEquals(1, hits, "a refused request never reaches the provider");

        f.stub.enqueue(StubResponse.error(400, "bad model"));
        assertThrows(
                BadRequestException.class, () -> client.chat().completions().create(chat()));
    }

    @Test
    void aFileUploadReachesTheProviderAsTheSameMultipartAndADownloadComesBackByteForByte() throws Exception {
        byte[] file = new byte[3_000_000]; // past the server's 1 MiB in memory: spooled to disk on the way
        new Random(42).nextBytes(file);
        f.stub.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"file-abc","object":"file","bytes":3000000,"created_at":1,"filename":"batch.jsonl",
                 "purpose":"batch","status":"processed"}"""));
        java.nio.file.Path path = java.nio.file.Files.createTempFile("batch", ".jsonl");
        java.nio.file.Files.write(path, file);
        FileObject created = client.files()
                .create(FileCreateParams.builder()
                        .file(path)
                        .purpose(FilePurpose.BATCH)
                        .build());
        assertEquals("file-abc", created.id());
        RecordedRequest up = f.stub.lastRequest();
        assertEquals("/v1/files", up.path());
        RecordedMultipart form = up.multipart();
        assertEquals("batch", form.field("purpose").orElseThrow());
        RecordedMultipart.Part part = form.part("file").orElseThrow();
        assertArrayEquals(file, part.bytes());
        assertEquals(path.getFileName().toString(), part.filename());
        java.nio.file.Files.delete(path);

        f.stub.enqueue(StubResponse.raw(200, "application/octet-stream", file));
        try (HttpResponse r = client.files().content("file-abc");
                InputStream in = r.body()) {
            assertArrayEquals(file, in.readAllBytes());
        }
        assertEquals("/v1/files/file-abc/content", f.stub.lastRequest().path());
        assertEquals("GET", f.stub.lastRequest().method());
    }
}
