package dev.switchboard.providers.azure;

import static dev.switchboard.providers.common.ProviderTesting.assertValid;
import static dev.switchboard.providers.common.ProviderTesting.assertValidChunks;
import static dev.switchboard.providers.common.ProviderTesting.feedAwkwardly;
import static dev.switchboard.providers.common.ProviderTesting.json;
import static dev.switchboard.providers.common.ProviderTesting.parse;
import static dev.switchboard.providers.common.ProviderTesting.reply;
import static dev.switchboard.providers.common.ProviderTesting.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.OpenAiSamples;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.providers.common.RecordingSink;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureOpenAiProviderTest {
    private static final String OPTIONS =
            "{\"api_key\":\"az-key\",\"resource_name\":\"acme\",\"deployment_id\":\"gpt 4o\",\"api_version\":\"2024-10-21\"}";
    private final AzureOpenAiProvider provider = new AzureOpenAiProvider();

    private static ProviderCall call(Endpoint e, String body, String options) {
        return ProviderCall.builder("azure-openai", e)
                .body(json(body))
                .options(json(options))
                .build();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                OpenAiSamples.PLAIN_CHAT,
                OpenAiSamples.IMAGE_CHAT,
                OpenAiSamples.TOOL_TURN,
                OpenAiSamples.JSON_SCHEMA_CHAT
            })
    void classicDeploymentUrlWithApiKeyAndUnchangedBody(String body) {
        UpstreamRequest r = provider.prepare(call(Endpoint.CHAT_COMPLETIONS, body, OPTIONS));
        assertEquals(
                "https://acme.openai.azure.com/openai/deployments/gpt%204o/chat/completions?api-version=2024-10-21",
                r.uri().toString());
        assertEquals("az-key", r.headers().get("api-key"));
        assertNull(r.headers().get("authorization"));
        assertEquals(json(body), parse(r.body()));
        assertTrue(!r.toString().contains("az-key") && !r.toString().contains("2024-10-21"));
    }

    @Test
    void customHostReplacesResourceAndEntraTokenUsesBearer() {
        UpstreamRequest r = provider.prepare(
                call(
                        Endpoint.EMBEDDINGS,
                        "{\"input\":\"x\"}",
                        "{\"custom_host\":\"http://127.0.0.1:8080/openai/\",\"deployment_id\":\"emb\",\"api_version\":\"2024-10-21\",\"azure_ad_token\":\"eyJ\"}"));
        assertEquals(
                "http://127.0.0.1:8080/openai/deployments/emb/embeddings?api-version=2024-10-21",
                r.uri().toString());
        assertEquals("Bearer eyJ", r.headers().get("authorization"));
        assertNull(r.headers().get("api-key"));
        UpstreamRequest entra = provider.prepare(call(
                Endpoint.CHAT_COMPLETIONS,
                OpenAiSamples.PLAIN_CHAT,
                OPTIONS.replace("}", ",\"azure_auth_mode\":\"entra\"}")));
        assertEquals("Bearer az-key", entra.headers().get("authorization"));
    }

    @Test
    void v1ApiUsesV1PathAndDeploymentAsModel() {
        ProviderCall c = call(Endpoint.CHAT_COMPLETIONS, OpenAiSamples.PLAIN_CHAT, OPTIONS.replace("2024-10-21", "v1"));
        UpstreamRequest r = provider.prepare(c);
        assertEquals(
                "https://acme.openai.azure.com/openai/v1/chat/completions",
                r.uri().toString());
        assertEquals("gpt 4o", parse(r.body()).path("model").asText());
        assertEquals("m-1", c.body().path("model").asText());
    }

    @Test
    void validateOptionsNamesEachMissingField() {
        List<String> problems = provider.validateOptions("azure-openai", json("{}"));
        assertEquals(
                List.of(
                        "resource_name: is required (or give custom_host)",
                        "deployment_id: is required",
                        "api_version: is required (e.g. \"2024-10-21\", or \"v1\" for the v1 API)"),
                problems.subList(0, 3));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(
                problems.get(3)
                        .startsWith("api_key: an API key (or an Entra ID token as azure_ad_token) for azure-openai"),
                problems.get(3));
        assertTrue(
                provider.validateOptions(
                                "azure-openai",
                                json("{\"resource_name\":\"r\",\"deployment_id\":\"d\","
                                        + "\"api_version\":\"2024-10-21\",\"azure_ad_token\":\"t\"}"))
                        .isEmpty(),
                "an Entra token is a credential");
        assertTrue(provider.validateOptions("azure-openai", json(OPTIONS)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                OpenAiSamples.TEXT_ANSWER,
                OpenAiSamples.TOOL_ANSWER,
                OpenAiSamples.LENGTH_ANSWER,
                OpenAiSamples.FILTERED_ANSWER
            })
    void answersPassThroughAndValidate(String answer) {
        ProviderReply r = ProviderTesting.translate(
                provider, call(Endpoint.CHAT_COMPLETIONS, OpenAiSamples.PLAIN_CHAT, OPTIONS), reply(200, answer));
        assertEquals(json(answer), r.body());
        assertValid("CreateChatCompletionResponse", r.body());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 429, 500, 503})
    void errorsKeepStatusAndInnerError(int status) {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call(Endpoint.CHAT_COMPLETIONS, OpenAiSamples.PLAIN_CHAT, OPTIONS),
                reply(
                        status,
                        "{\"error\":{\"message\":\"blocked\",\"code\":\"content_filter\",\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}"));
        assertEquals(status, r.status());
        assertEquals(
                "azure-openai error: blocked",
                r.body().path("error").path("message").asText());
        assertEquals(
                "ResponsibleAIPolicyViolation",
                r.body().path("error").path("innererror").path("code").asText());
    }

    @Test
    void streamDropsPromptFilterOnlyChunksButKeepsUsageChunk() {
        String[] events = new String[OpenAiSamples.STREAM_EVENTS.length + 1];
        events[0] =
                "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}";
        System.arraycopy(OpenAiSamples.STREAM_EVENTS, 0, events, 1, OpenAiSamples.STREAM_EVENTS.length);
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(
                provider.streamTranslator(call(Endpoint.CHAT_COMPLETIONS, OpenAiSamples.PLAIN_CHAT, OPTIONS)),
                sse(events),
                sink);
        assertTrue(sink.failures.isEmpty());
        assertEquals(OpenAiSamples.STREAM_EVENTS.length, sink.chunks.size());
        assertEquals(
                15,
                sink.chunks
                        .get(sink.chunks.size() - 1)
                        .path("usage")
                        .path("total_tokens")
                        .asInt());
        assertEquals("{\"tz\":\"CET\"}", sink.toolArguments(1));
        assertValidChunks(sink.chunks);
    }

    private static final String ASYNC_FILTER_HEAD =
            "{\"id\":\"chatcmpl-az\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-2024-11-20\",\"choices\":[";

    private static String annotation(int checkOffset, String finishReason, String results) {
        return "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + ",\"content_filter_results\":"
                + results
                + ",\"content_filter_offsets\":{\"check_offset\":" + checkOffset + ",\"start_offset\":0,\"end_offset\":"
                + checkOffset + "}}],\"usage\":null}";
    }

    private static final String SAFE = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
            + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";

    /** Azure's asynchronous filter: annotation chunks without delta, before and after the finish chunk. */
    private RecordingSink asyncFilterStream(String lateAnnotation) {
        String[] events = {
            "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0,"
                    + "\"content_filter_results\":" + SAFE + "}]}",
            ASYNC_FILTER_HEAD
                    + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}",
            ASYNC_FILTER_HEAD
                    + "{\"index\":0,\"delta\":{\"content\":\"Hello \"},\"finish_reason\":null}],\"usage\":null}",
            annotation(6, null, SAFE),
            ASYNC_FILTER_HEAD
                    + "{\"index\":0,\"delta\":{\"content\":\"world\"},\"finish_reason\":null}],\"usage\":null}",
            ASYNC_FILTER_HEAD + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}",
            ASYNC_FILTER_HEAD.replace("\"choices\":[", "\"choices\":[]")
                    + ",\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}",
            lateAnnotation
        };
        ObjectNode body = json(OpenAiSamples.PLAIN_CHAT);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(
                provider.streamTranslator(
                        ProviderCall.builder("azure-openai", Endpoint.CHAT_COMPLETIONS)
                                .body(body)
                                .options(json(OPTIONS))
                                .stream(true)
                                .build()),
                sse(events),
                sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertValidChunks(sink.chunks);
        return sink;
    }

    @Test
    void asynchronousFilterAnnotationsAfterTheFinishChunkAreFoldedIntoIt() {
        RecordingSink sink = asyncFilterStream(annotation(
                11,
                null,
                SAFE.replace(
                        "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}",
                        "\"violence\":{\"filtered\":false,\"severity\":\"low\"}")));
        assertEquals("Hello world", sink.text());
        assertEquals(
                5, sink.chunks.size(), "role, two texts, finish, usage: no annotation chunk of its own " + sink.chunks);
        ObjectNode finish = sink.chunks.get(3);
        assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
        assertEquals(
                "low",
                finish.at("/choices/0/content_filter_results/violence/severity").asText(),
                "the latest verdict");
        assertEquals(11, sink.chunks.get(4).at("/usage/total_tokens").asInt(), "the usage chunk stays last");
    }

    @Test
    void aLateFilterVerdictBecomesTheFinishReason() {
        RecordingSink sink = asyncFilterStream(annotation(
                11, "content_filter", "{\"protected_material_text\":{\"filtered\":true,\"detected\":true}}"));
        ObjectNode finish = sink.chunks.get(3);
        assertEquals("content_filter", finish.at("/choices/0/finish_reason").asText());
        assertTrue(finish.at("/choices/0/content_filter_results/protected_material_text/filtered")
                .asBoolean());
        assertEquals(
                "safe",
                finish.at("/choices/0/content_filter_results/hate/severity").asText(),
                "the annotation that came before the finish chunk is folded in too");
    }

    @Test
    void passThroughCallsUseDeploymentsForMediaTheResourceForObjectsAndTheV1SurfaceWithTheQueryKept() {
        ProviderCall speech = ProviderCall.builder("azure-openai", Endpoint.AUDIO_SPEECH)
                .body(json("{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\"}"))
                .options(json(OPTIONS))
                .build();
        UpstreamRequest r = provider.prepare(speech);
        assertEquals(
                "https://acme.openai.azure.com/openai/deployments/gpt%204o/audio/speech?api-version=2024-10-21",
                r.uri().toString());
        assertEquals("az-key", r.headers().get("api-key"));

        ProviderCall list = ProviderCall.builder("azure-openai", Endpoint.PROXY)
                .options(json(OPTIONS))
                .target("GET", "/v1/fine_tuning/jobs/ftjob-1/events", "limit=2&after=ev-1")
                .build();
        UpstreamRequest l = provider.prepare(list);
        assertEquals("GET", l.method());
        assertEquals(
                "https://acme.openai.azure.com/openai/fine_tuning/jobs/ftjob-1/events?limit=2&after=ev-1"
                        + "&api-version=2024-10-21",
                l.uri().toString());
        assertEquals(0, l.body() == null ? 0 : l.body().length, "a GET has no body");

        ProviderCall v1 = ProviderCall.builder("azure-openai", Endpoint.PROXY)
                .options(json(OPTIONS.replace("2024-10-21", "preview")))
                .target("GET", "/v1/files", "limit=5")
                .build();
        assertEquals(
                "https://acme.openai.azure.com/openai/v1/files?limit=5&api-version=preview",
                provider.prepare(v1).uri().toString());
        assertTrue(provider.supports("azure-openai", Endpoint.IMAGES_EDITS));
        assertTrue(!provider.supports("azure-openai", Endpoint.IMAGES_VARIATIONS));
        assertTrue(!provider.supports("azure-openai", Endpoint.MODERATIONS));
    }
}
