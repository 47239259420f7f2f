package dev.switchboard.providers.google;

import static dev.switchboard.providers.anthropic.ProviderCalls.assertJson;
import static dev.switchboard.providers.anthropic.ProviderCalls.assertOpenAi;
import static dev.switchboard.providers.anthropic.ProviderCalls.chat;
import static dev.switchboard.providers.anthropic.ProviderCalls.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.anthropic.RecordingSink;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertexAiProviderTest {
    private static final String OPTIONS =
            """
            {"api_key":"ya29.token","vertex_region":"us-central1","vertex_project_id":"my-proj"}""";
    private final VertexAiProvider provider = new VertexAiProvider();

    @Test
    void geminiModelsGoToTheGooglePublisherWithABearerToken() {
        ProviderCall call = chat(
                        "vertex-ai",
                        """
                {"model":"gemini-2.5-pro","messages":[{"role":"user","content":"Hi"}]}""",
                        OPTIONS)
                .build();

        UpstreamRequest r = provider.prepareAsync(call).toCompletableFuture().join();

        assertEquals(
                "https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1"
                        + "/publishers/google/models/gemini-2.5-pro:generateContent",
                r.uri().toString());
        assertEquals("Bearer ya29.token", r.headers().get("authorization"));
        assertJson("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}", Json.parse(r.body()));
    }

    @Test
    void globalRegionUsesTheGlobalHostAndStreamingUsesSse() {
        ProviderCall call = chat(
                        "vertex-ai",
                        """
                {"model":"gemini-2.5-pro","messages":[{"role":"user","content":"Hi"}],"stream":true}""",
                        "{\"api_key\":\"t\",\"vertex_region\":\"global\",\"vertex_project_id\":\"p\"}")
                .stream(true)
                .build();

        assertEquals(
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/"
                        + "gemini-2.5-pro:streamGenerateContent?alt=sse",
                provider.prepare(call).uri().toString());
    }

    @Test
    void claudeModelsUseRawPredictWithTheAnthropicBodyAndVertexVersion() {
        ProviderCall call = chat(
                        "vertex-ai",
                        """
                {"model":"claude-sonnet-4-5@20250929","messages":[{"role":"system","content":"Terse."},
                  {"role":"user","content":"Hi"}],"max_tokens":100}""",
                        OPTIONS)
                .build();

        UpstreamRequest r = provider.prepare(call);

        assertEquals(
                "https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1"
                        + "/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict",
                r.uri().toString());
        assertEquals("Bearer ya29.token", r.headers().get("authorization"));
        assertFalse(r.headers().containsKey("x-api-key"));
        assertJson(
                """
                {"max_tokens":100,"system":"Terse.","messages":[{"role":"user","content":"Hi"}],
                 "anthropic_version":"vertex-2023-10-16"}""",
                Json.parse(r.body()));

        ProviderCall stream = chat(
                        "vertex-ai",
                        """
                {"model":"claude-sonnet-4-5@20250929","messages":[{"role":"user","content":"Hi"}]}""",
                        OPTIONS)
                .stream(true)
                .build();
        assertTrue(provider.prepare(stream).uri().toString().endsWith(":streamRawPredict"));
    }

    @Test
    void claudeAnswersAndStreamsAreTranslatedAsAnthropic() {
        ProviderCall call = chat(
                        "vertex-ai",
                        """
                {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}""",
                        OPTIONS)
                .build();

        ProviderReply ok = ProviderTesting.translate(
                provider,
                call,
                reply(
                        200,
                        """
                {"id":"msg_v","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello"}],
                 "stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":1}}"""));
        assertEquals(
                "Hello",
                ok.body().path("choices").get(0).path("message").path("content").asText());
        assertOpenAi("CreateChatCompletionResponse", ok.body());

        ProviderReply overloaded = ProviderTesting.translate(
                provider,
                call,
                reply(
                        529,
                        """
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        assertEquals(529, overloaded.status());
        assertTrue(overloaded.overloaded());
        assertEquals("vertex-ai", overloaded.body().path("provider").asText());

        ProviderCall streamCall = chat(
                        "vertex-ai",
                        """
                {"model":"claude-sonnet-4-5","messages":[],"stream":true}""",
                        OPTIONS)
                .stream(true)
                .build();
        String wire =
                """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_v","model":"claude-sonnet-4-5","usage":{"input_tokens":3,"output_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi there"}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        RecordingSink sink = RecordingSink.feed(provider.streamTranslator(streamCall), wire, 7);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertEquals("Hi there", sink.text());
    }

    @Test
    void geminiErrorsOnVertexKeepStatus() {
        ProviderCall call = chat(
                        "vertex-ai",
                        """
                {"model":"gemini-2.5-pro","messages":[{"role":"user","content":"Hi"}]}""",
                        OPTIONS)
                .build();

        ProviderReply r = ProviderTesting.translate(
                provider,
                call,
                reply(
                        429,
                        """
                {"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"""));

        assertEquals(429, r.status());
        assertEquals("RESOURCE_EXHAUSTED", r.body().path("error").path("code").asText());
    }

    @Test
    void embeddingsUsePredictAndBecomeAnOpenAiList() {
        ProviderCall call = ProviderCall.builder("vertex-ai", Endpoint.EMBEDDINGS)
                .body(object("{\"model\":\"text-embedding-005\",\"input\":\"hello\",\"dimensions\":2}"))
                .options(object(OPTIONS))
                .build();

        UpstreamRequest r = provider.prepare(call);
        assertTrue(r.uri().toString().endsWith("/publishers/google/models/text-embedding-005:predict"));
        assertJson(
                "{\"instances\":[{\"content\":\"hello\"}],\"parameters\":{\"outputDimensionality\":2}}",
                Json.parse(r.body()));

        ProviderReply reply = ProviderTesting.translate(
                provider,
                call,
                reply(
                        200,
                        """
                {"predictions":[{"embeddings":{"values":[0.1,0.2],"statistics":{"token_count":3,"truncated":false}}}]}"""));
        assertEquals(3, reply.body().path("usage").path("prompt_tokens").asLong());
        assertEquals(2, reply.body().path("data").get(0).path("embedding").size());
        assertOpenAi("CreateEmbeddingResponse", reply.body());
    }

    @Test
    void validateOptionsNamesMissingRegionAndProject() {
        List<String> problems = provider.validateOptions("vertex-ai", object("{\"api_key\":\"t\"}"));

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("vertex_region:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("vertex_project_id:")), problems.toString());
        assertEquals(List.of(), provider.validateOptions("vertex-ai", object(OPTIONS)));
        assertTrue(provider
                .validateOptions(
                        "vertex-ai",
                        object(
                                """
                {"vertex_region":"us-central1","vertex_service_account_json":"{not json"}"""))
                .stream()
                .anyMatch(p -> p.startsWith("vertex_service_account_json:")));
    }

    private static HttpReply reply(int status, String body) {
        return new HttpReply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
}
