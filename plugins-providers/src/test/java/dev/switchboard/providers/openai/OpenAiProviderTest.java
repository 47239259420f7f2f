package dev.switchboard.providers.openai;

import static dev.switchboard.providers.common.ProviderTesting.assertValid;
import static dev.switchboard.providers.common.ProviderTesting.assertValidChunks;
import static dev.switchboard.providers.common.ProviderTesting.feedAwkwardly;
import static dev.switchboard.providers.common.ProviderTesting.json;
import static dev.switchboard.providers.common.ProviderTesting.parse;
import static dev.switchboard.providers.common.ProviderTesting.reply;
import static dev.switchboard.providers.common.ProviderTesting.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.BytesBody;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.OpenAiSamples;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.providers.common.RecordingSink;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiProviderTest {
    private final OpenAiProvider provider = new OpenAiProvider();

    private static ProviderCall chat(String body) {
        return ProviderCall.builder("openai", Endpoint.CHAT_COMPLETIONS)
                .body(json(body))
                .options(
                        json(
                                "{\"api_key\":\"sk-test\",\"openai_organization\":\"org-1\",\"openai_project\":\"proj-1\",\"openai_beta\":\"assistants=v2\"}"))
                .forwardedHeader("X-Trace", "t-1")
                .build();
    }

    @Test
    void prepareSendsChatToOpenAiWithBearerAndOrganizationHeaders() {
        UpstreamRequest r = provider.prepare(chat(OpenAiSamples.PLAIN_CHAT));
        assertEquals("POST", r.method());
        assertEquals("https://api.openai.com/v1/chat/completions", r.uri().toString());
        assertEquals("Bearer sk-test", r.headers().get("authorization"));
        assertEquals("org-1", r.headers().get("openai-organization"));
        assertEquals("proj-1", r.headers().get("openai-project"));
        assertEquals("assistants=v2", r.headers().get("openai-beta"));
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals("t-1", r.headers().get("x-trace"));
        assertFalse(r.toString().contains("sk-test"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                OpenAiSamples.PLAIN_CHAT,
                OpenAiSamples.IMAGE_CHAT,
                OpenAiSamples.TOOL_TURN,
                OpenAiSamples.JSON_SCHEMA_CHAT
            })
    void prepareSendsEveryChatShapeUnchangedIncludingUnknownFields(String body) {
        ProviderCall call = chat(body);
        UpstreamRequest r = provider.prepare(call);
        assertEquals(json(body), parse(r.body()));
        assertEquals(json(body), call.body(), "the caller's body is never modified");
        assertTrue(call.notes().isEmpty());
    }

    @Test
    void customHostReplacesBaseUrlAndForwardedHeadersCannotReplaceTheKey() {
        ProviderCall call = ProviderCall.builder("openai", Endpoint.EMBEDDINGS)
                .body(json("{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}"))
                .options(json("{\"api_key\":\"sk-real\",\"custom_host\":\"http://127.0.0.1:9999/v1/\"}"))
                .forwardedHeader("Authorization", "Bearer stolen")
                .build();
        UpstreamRequest r = provider.prepare(call);
        assertEquals("http://127.0.0.1:9999/v1/embeddings", r.uri().toString());
        assertEquals("Bearer sk-real", r.headers().get("authorization"));
    }

    @Test
    void modelsIsAGetWithoutBodyAndEveryEndpointIsServed() {
        UpstreamRequest r = provider.prepare(ProviderCall.builder("openai", Endpoint.MODELS)
                .options(json("{\"api_key\":\"k\"}"))
                .build());
        assertEquals("GET", r.method());
        assertEquals(0, r.body().length);
        assertFalse(r.headers().containsKey("content-type"), "a GET has no body to type");
        for (Endpoint e : Endpoint.values()) {
            assertTrue(provider.supports("openai", e), e.toString());
        }
    }

    @Test
    void aCallOnAnExistingObjectKeepsTheCallersMethodPathAndQuery() {
        UpstreamRequest get = provider.prepare(ProviderCall.builder("openai", Endpoint.PROXY)
                .target("GET", "/v1/files/file-abc/content", "x=1&y=%20")
                .options(json("{\"api_key\":\"k\",\"custom_host\":\"http://127.0.0.1:9/v1\"}"))
                .build());
        assertEquals("GET", get.method());
        assertEquals(
                "http://127.0.0.1:9/v1/files/file-abc/content?x=1&y=%20",
                get.uri().toString());
        assertEquals(0, get.body().length);

        UpstreamRequest cancel = provider.prepare(ProviderCall.builder("openai", Endpoint.PROXY)
                .target("POST", "/v1/batches/batch_1/cancel", null)
                .options(json("{\"api_key\":\"k\"}"))
                .build());
        assertEquals("POST", cancel.method());
        assertEquals(
                "https://api.openai.com/v1/batches/batch_1/cancel", cancel.uri().toString());
        assertEquals(0, cancel.body().length, "a bodiless POST stays bodiless");

        UpstreamRequest update = provider.prepare(ProviderCall.builder("openai", Endpoint.PROXY)
                .target("POST", "/v1/assistants/asst_1", null)
                .body(json("{\"name\":\"n\"}"))
                .options(json("{\"api_key\":\"k\"}"))
                .build());
        assertEquals("application/json", update.headers().get("content-type"));
        assertEquals("{\"name\":\"n\"}", new String(update.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aPassThroughAnswerIsJsonWhenItSaysSoAndBytesOtherwise() {
        ProviderCall call = ProviderCall.builder("openai", Endpoint.PROXY)
                .target("GET", "/v1/files/f/content", null)
                .build();
        ProviderReply asJson = provider.translate(
                call,
                new HttpReply(
                        200,
                        Map.of("content-type", "application/json"),
                        "{\"id\":\"f\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("f", asJson.body().path("id").asText());
        ProviderReply asBytes = provider.translate(
                call,
                new HttpReply(200, Map.of("content-type", "text/plain"), "[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertNull(asBytes.body());
        assertEquals("text/plain", ((BytesBody) asBytes.binary()).contentType());
        ProviderReply err = provider.translate(
                call,
                new HttpReply(
                        404,
                        Map.of("content-type", "application/json"),
                        "{\"error\":{\"message\":\"No such File object: f\",\"type\":\"invalid_request_error\"}}"
                                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(404, err.status());
        assertTrue(err.body().path("error").path("message").asText().contains("No such File"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                OpenAiSamples.TEXT_ANSWER,
                OpenAiSamples.TOOL_ANSWER,
                OpenAiSamples.LENGTH_ANSWER,
                OpenAiSamples.FILTERED_ANSWER
            })
    void successfulAnswersPassThroughUnchangedAndMatchTheSchema(String answer) {
        ProviderReply r = ProviderTesting.translate(provider, chat(OpenAiSamples.PLAIN_CHAT), reply(200, answer));
        assertEquals(200, r.status());
        assertEquals(json(answer), r.body());
        assertValid("CreateChatCompletionResponse", r.body());
    }

    @Test
    void cachedTokensSurviveInUsage() {
        ProviderReply r = ProviderTesting.translate(
                provider, chat(OpenAiSamples.PLAIN_CHAT), reply(200, OpenAiSamples.TEXT_ANSWER));
        assertEquals(
                1024,
                r.body()
                        .path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt());
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503})
    void retryableErrorsKeepTheirStatusAndOpenAiEnvelope(int status) {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat(OpenAiSamples.PLAIN_CHAT),
                reply(
                        status,
                        "{\"error\":{\"message\":\"slow down\",\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));
        assertEquals(status, r.status());
        assertEquals(
                "openai error: slow down",
                r.body().path("error").path("message").asText());
        assertEquals("rate_limit_exceeded", r.body().path("error").path("code").asText());
        assertEquals("openai", r.body().path("provider").asText());
        assertValid("ErrorResponse", r.body());
    }

    @Test
    void successStatusWithHtmlBodyBecomes502NamingTheProvider() {
        ProviderReply r = ProviderTesting.translate(
                provider, chat(OpenAiSamples.PLAIN_CHAT), reply(200, "<html>proxy login</html>"));
        assertEquals(502, r.status());
        assertTrue(r.body().path("error").path("message").asText().startsWith("openai error: invalid response"));
        assertEquals(
                "invalid_provider_response", r.body().path("error").path("code").asText());
    }

    @Test
    void streamPassesEventsThroughRawInAnySplitAndSwallowsDone() {
        ProviderCall call = ProviderCall.builder("openai", Endpoint.CHAT_COMPLETIONS).stream(true)
                .body(json(OpenAiSamples.TOOL_TURN))
                .build();
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(call), sse(OpenAiSamples.STREAM_EVENTS), sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertEquals(OpenAiSamples.STREAM_EVENTS.length, sink.raw.size());
        assertEquals(
                Arrays.asList(OpenAiSamples.STREAM_EVENTS),
                sink.raw.stream().map(e -> e.data()).toList());
        assertEquals("Il fait 18 °C 😀", sink.text());
        assertEquals("{\"city\":\"Paris\"}", sink.toolArguments(0));
        assertEquals("{\"tz\":\"CET\"}", sink.toolArguments(1));
        assertValidChunks(sink.chunks);
    }

    @Test
    void streamThatStopsBeforeDoneIsReportedAsCut() {
        RecordingSink sink = new RecordingSink();
        String wire =
                "data: " + OpenAiSamples.STREAM_EVENTS[0] + "\n\ndata: " + OpenAiSamples.STREAM_EVENTS[1] + "\n\n";
        feedAwkwardly(provider.streamTranslator(chat(OpenAiSamples.PLAIN_CHAT)), wire, sink);
        assertEquals(2, sink.raw.size());
        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).startsWith("stream_error: openai stream ended before [DONE]"));
    }

    @Test
    void midStreamErrorEventFailsTheStreamWithProviderMessage() {
        RecordingSink sink = new RecordingSink();
        String wire = "data: " + OpenAiSamples.STREAM_EVENTS[0] + "\n\n"
                + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"
                + "data: " + OpenAiSamples.STREAM_EVENTS[1] + "\n\ndata: [DONE]\n\n";
        feedAwkwardly(provider.streamTranslator(chat(OpenAiSamples.PLAIN_CHAT)), wire, sink);
        assertEquals(1, sink.raw.size(), "nothing after the error is forwarded");
        assertEquals("server_error: openai error: overloaded", sink.failures.get(0));
    }

    @Test
    void responsesStreamEndsOnResponseCompletedWithoutDone() {
        ProviderCall call = ProviderCall.builder("openai", Endpoint.RESPONSES).stream(true)
                .body(json("{\"model\":\"m\",\"input\":\"hi\"}"))
                .build();
        RecordingSink sink = RecordingSink.notChatChunks();
        String wire =
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}\n\n"
                        + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{}}\n\n";
        feedAwkwardly(provider.streamTranslator(call), wire, sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertEquals(2, sink.raw.size());
        ObjectNode last = sink.chunks.get(1);
        assertEquals("response.completed", last.path("type").asText());
        assertNull(sink.raw.get(0).id());
    }
}
