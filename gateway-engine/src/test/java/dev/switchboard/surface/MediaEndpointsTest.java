package dev.switchboard.surface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.RecordedMultipart;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Class-A endpoints (images, audio, moderations) end to end through {@code Gateway.execute} against
 * local stubs: the request as the provider receives it (Azure's deployment URLs, multipart parts),
 * the answer against OpenAI's schema or with its own content type, a fallback from a failing or
 * unable target, and the cost of each attempt from the bundled catalog.
 */
class MediaEndpointsTest {
    private static final byte[] WAV = "RIFF....WAVEfmt fake audio".getBytes(StandardCharsets.US_ASCII);
    private static final String VERBOSE = "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":12.5,"
            + "\"text\":\"hello there\",\"segments\":[],\"usage\":{\"type\":\"duration\",\"seconds\":13}}";
    private static final String SRT = "1\n00:00:00,000 --> 00:00:01,500\nhello there\n";

    private StubUpstream stub;
    private StubUpstream second;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        second = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
        second.close();
    }

    private static Gateway gateway(String config) {
        return Gateway.builder()
                .config(config)
                .sleeper(new ManualSleeper(ManualClock.start()))
                .build();
    }

    private String openai(StubUpstream s) {
        return "{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":\"" + s.openAiBaseUrl() + "\"}";
    }

    private String azure(StubUpstream s, String deployment) {
        return "{\"provider\":\"azure-openai\",\"api_key\":\"az-key\",\"custom_host\":\"" + s.baseUrl()
                + "/openai\",\"deployment_id\":\"" + deployment + "\",\"api_version\":\"2024-10-21\"}";
    }

    private static String fallback(String... targets) {
        return "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + String.join(",", targets) + "]}";
    }

    private static MultipartBody form(String model, String format) {
        return MultipartBody.builder()
                .field("model", model)
                .field("response_format", format)
                .file("file", "talk.wav", "audio/wav", WAV)
                .build();
    }

    private static void assertSchema(String schema, JsonNode body) {
        List<String> problems = OpenAiSchemas.shared().validate(schema, body);
        assertTrue(problems.isEmpty(), schema + ": " + problems + " in " + body);
    }

    private static BigDecimal usd(Attempt a) {
        assertNull(a.cost().unknownReason(), "cost should be known: " + a.cost());
        return a.cost().usd();
    }

    private static Attempt last(GatewayResponse r) {
        List<Attempt> attempts = r.trace().attempts();
        return attempts.get(attempts.size() - 1);
    }

    @Test
    void azureTranscriptionFailsOverToOpenAiWithTheSameFormAndIsPricedPerSecond() {
        stub.enqueue("/audio/transcriptions", StubResponse.error(500, "azure is down"));
        second.enqueue("/audio/transcriptions", StubResponse.json(200, VERBOSE));
        Gateway g = gateway(fallback(azure(stub, "whisper"), openai(second)));

        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS)
                .body(form("whisper-1", "verbose_json"))
                .build());

        assertEquals(200, r.status(), r.bodyAsString());
        assertSchema("CreateTranscriptionResponseVerboseJson", r.json());
        RecordedRequest az = stub.lastRequest();
        assertEquals("/openai/deployments/whisper/audio/transcriptions", az.path());
        assertEquals("api-version=2024-10-21", az.query());
        assertEquals("az-key", az.header("api-key"));
        for (RecordedRequest sent : List.of(az, second.lastRequest())) {
            RecordedMultipart m = sent.multipart();
            assertEquals(
                    List.of("model", "response_format", "file"),
                    m.parts().stream().map(RecordedMultipart.Part::name).toList());
            RecordedMultipart.Part file = m.part("file").orElseThrow();
            assertEquals("talk.wav", file.filename());
            assertEquals("audio/wav", file.contentType());
            assertArrayEquals(WAV, file.bytes());
        }
        assertEquals("/v1/audio/transcriptions", second.lastRequest().path());
        assertEquals(2, r.trace().attempts().size());
        assertEquals(500, r.trace().attempts().get(0).status());
        // whisper-1: $0.0001 per second (LiteLLM input_cost_per_second) × 12.5 s of verbose_json duration
        assertEquals(0, new BigDecimal("0.00125").compareTo(usd(last(r))));
    }

    @Test
    void subtitlesAreAnsweredAsTextWithTheirContentTypeAndAnUnknownDurationIsAnUnknownCost() throws Exception {
        stub.enqueue(
                "/audio/transcriptions",
                StubResponse.raw(200, "application/x-subrip", SRT.getBytes(StandardCharsets.UTF_8)));
        Gateway g = gateway(openai(stub));

        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS)
                .body(form("whisper-1", "srt"))
                .build());

        assertEquals(200, r.status());
        assertTrue(r.isBinaryStream(), "a subtitle answer streams to the caller, it is not wrapped in JSON");
        assertEquals("application/x-subrip", r.contentType().orElseThrow());
        try (InputStream in = r.inputStream()) {
            assertEquals(SRT, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Attempt a = last(r);
        assertNull(a.cost().usd(), "no duration in an srt answer: the cost is unknown, never 0");
        assertTrue(a.cost().unknownReason().contains("duration"), a.cost().unknownReason());
    }

    @Test
    void groqServesTranscriptionsAsOpenAiDoesAndFireworksImagesAreATargetFailure() {
        stub.enqueue("/audio/translations", StubResponse.json(200, "{\"text\":\"hello\"}"));
        Gateway g =
                gateway("{\"provider\":\"groq\",\"api_key\":\"gsk\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}");
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.AUDIO_TRANSLATIONS)
                .body(form("whisper-large-v3", "json"))
                .build());
        assertEquals(200, r.status(), r.bodyAsString());
        assertSchema("CreateTranscriptionResponseJson", r.json());
        assertEquals("/v1/audio/translations", stub.lastRequest().path());
        assertEquals("Bearer gsk", stub.lastRequest().header("authorization"));
        assertEquals(
                "whisper-large-v3",
                stub.lastRequest().multipart().field("model").orElseThrow());

        second.enqueue("/images/generations", StubResponse.json(200, "{\"created\":1,\"data\":[{\"url\":\"u\"}]}"));
        Gateway images = gateway(fallback(
                "{\"provider\":\"fireworks-ai\",\"api_key\":\"fw\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}",
                openai(second)));
        GatewayResponse img = images.execute(GatewayRequest.builder(Endpoint.IMAGES_GENERATIONS)
                .body("{\"model\":\"dall-e-3\",\"prompt\":\"a cat\"}")
                .build());
        assertEquals(200, img.status(), img.bodyAsString());
        Attempt refused = img.trace().attempts().get(0);
        assertEquals("fireworks-ai", refused.provider());
        assertEquals(
                "POST /v1/images/generations is not supported by provider fireworks-ai (target config.targets[0])",
                refused.errorMessage());
        assertEquals(0, stub.hits("/images/generations"), "the unable target is never called");
    }

    @Test
    void imagesArePricedPerImageByQualityAndSizeAndTheAnswerMatchesTheSchema() {
        stub.enqueue(
                "/images/generations",
                StubResponse.json(
                        200,
                        "{\"created\":1713833628,\"data\":[{\"b64_json\":\"aGk=\",\"revised_prompt\":\"a cat\"},"
                                + "{\"b64_json\":\"aGk=\"}]}"));
        Gateway g = gateway(azure(stub, "dalle3"));
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.IMAGES_GENERATIONS)
                .body("{\"model\":\"dall-e-3\",\"prompt\":\"a cat\",\"n\":2,\"quality\":\"hd\","
                        + "\"size\":\"1024x1024\",\"response_format\":\"b64_json\"}")
                .build());
        assertEquals(200, r.status(), r.bodyAsString());
        assertSchema("ImagesResponse", r.json());
        assertEquals(
                "/openai/deployments/dalle3/images/generations",
                stub.lastRequest().path());
        assertEquals("hd", stub.lastRequest().json().path("quality").asText());
        // azure/hd/1024-x-1024/dall-e-3: 7.629e-08 per pixel × 1024 × 1024 = $0.079996 per image, 2 images
        assertEquals(0, new BigDecimal("0.159992").compareTo(usd(last(r))));
    }

    @Test
    void gptImageIsPricedByItsImageTokens() {
        stub.enqueue(
                "/images/edits",
                StubResponse.json(
                        200,
                        "{\"created\":1,\"data\":[{\"b64_json\":\"aGk=\"}],\"usage\":{\"input_tokens\":1050,"
                                + "\"output_tokens\":4160,\"total_tokens\":5210,"
                                + "\"input_tokens_details\":{\"text_tokens\":50,\"image_tokens\":1000}}}"));
        Gateway g = gateway(openai(stub));
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.IMAGES_EDITS)
                .body(MultipartBody.builder()
                        .field("model", "gpt-image-1")
                        .field("prompt", "add a hat")
                        .file("image[]", "a.png", "image/png", new byte[] {1, 2, 3})
                        .file("image[]", "b.png", "image/png", new byte[] {4, 5})
                        .file("mask", "mask.png", "image/png", new byte[] {6})
                        .build())
                .build());
        assertEquals(200, r.status(), r.bodyAsString());
        RecordedMultipart m = stub.lastRequest().multipart();
        assertEquals(
                List.of("model", "prompt", "image[]", "image[]", "mask"),
                m.parts().stream().map(RecordedMultipart.Part::name).toList());
        assertEquals("b.png", m.parts().get(3).filename());
        // gpt-image-1: 50 text tokens × 5e-06 + 1000 image tokens × 1e-05 + 4160 output tokens × 4e-05
        assertEquals(0, new BigDecimal("0.17665").compareTo(usd(last(r))));
    }

    @Test
    void speechStreamsBytesAndIsPricedPerCharacter() throws Exception {
        byte[] mp3 = new byte[200_000];
        new java.util.Random(7).nextBytes(mp3);
        stub.enqueue("/audio/speech", StubResponse.raw(200, "audio/mpeg", mp3));
        Gateway g = gateway(azure(stub, "tts"));
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.AUDIO_SPEECH)
                .body("{\"model\":\"tts-1\",\"input\":\"Hello, wörld\",\"voice\":\"alloy\"}")
                .build());
        assertEquals(200, r.status());
        assertTrue(r.isBinaryStream());
        assertEquals("audio/mpeg", r.contentType().orElseThrow());
        try (InputStream in = r.inputStream()) {
            assertArrayEquals(mp3, in.readAllBytes());
        }
        assertEquals("/openai/deployments/tts/audio/speech", stub.lastRequest().path());
        // azure/tts-1: $1.5e-05 per character × 12 characters
        assertEquals(0, new BigDecimal("0.00018").compareTo(usd(last(r))));
    }

    @Test
    void speechAndTranscriptionEventsPassAsServerSentEventsStreamedToTheCaller() throws Exception {
        List<byte[]> events = List.of(
                "data: {\"type\":\"speech.audio.delta\",\"audio\":\"AAA=\"}\n\n".getBytes(StandardCharsets.UTF_8),
                ("data: {\"type\":\"speech.audio.done\",\"usage\":{\"input_tokens\":5,\"output_tokens\":40,"
                                + "\"total_tokens\":45}}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
        stub.enqueue("/audio/speech", StubResponse.rawStream("text/event-stream", events));
        String delta = "data: {\"type\":\"transcript.text.delta\",\"delta\":\"hel\"}\n\n";
        stub.enqueue(
                "/audio/transcriptions",
                StubResponse.rawStream("text/event-stream", List.of(delta.getBytes(StandardCharsets.UTF_8))));
        Gateway g = gateway(openai(stub));

        GatewayResponse speech = g.execute(GatewayRequest.builder(Endpoint.AUDIO_SPEECH)
                .body(
                        "{\"model\":\"gpt-4o-mini-tts\",\"input\":\"Hello\",\"voice\":\"alloy\",\"stream_format\":\"sse\"}")
                .build());
        assertTrue(speech.isBinaryStream(), "an SSE answer to a non-chat endpoint streams, it is not read whole");
        assertTrue(speech.contentType().orElseThrow().startsWith("text/event-stream"));
        try (InputStream in = speech.inputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("speech.audio.delta") && text.contains("speech.audio.done"), text);
        }
        assertNull(last(speech).cost().usd(), "gpt-4o-mini-tts is priced per token: unknown without usage");

        GatewayResponse words = g.execute(GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS)
                .body(MultipartBody.builder()
                        .field("model", "gpt-4o-transcribe")
                        .field("stream", "true")
                        .file("file", "a.wav", "audio/wav", WAV)
                        .build())
                .build());
        assertTrue(words.isBinaryStream());
        try (InputStream in = words.inputStream()) {
            assertEquals(delta, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("true", stub.lastRequest().multipart().field("stream").orElseThrow());
    }

    @Test
    void moderationsAreFreeAndKnownToBe() {
        stub.enqueue(
                "/moderations",
                StubResponse.json(
                        200,
                        "{\"id\":\"modr-1\",\"model\":\"omni-moderation-latest\",\"results\":[{\"flagged\":false,"
                                + "\"categories\":{},\"category_scores\":{}}]}"));
        Gateway g = gateway(openai(stub));
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.MODERATIONS)
                .body("{\"input\":[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}")
                .build());
        assertEquals(200, r.status());
        assertEquals(
                "image_url",
                stub.lastRequest().json().path("input").path(1).path("type").asText());
        assertEquals(0, BigDecimal.ZERO.compareTo(usd(last(r))), "moderations cost $0, a known 0");
    }

    @Test
    void azureFilesBatchesAndCallsOnExistingObjectsKeepTheirQueryUnderOpenAiWithApiVersion() throws Exception {
        stub.enqueue("/files", StubResponse.json(200, "{\"object\":\"list\",\"data\":[],\"has_more\":false}"));
        stub.enqueue("/batches", StubResponse.json(200, "{\"id\":\"batch_1\",\"object\":\"batch\"}"));
        byte[] jsonl = "{\"custom_id\":\"1\"}\n".getBytes(StandardCharsets.UTF_8);
        stub.enqueue("/content", StubResponse.raw(200, "application/octet-stream", jsonl));
        Gateway g = gateway(azure(stub, "gpt-4o"));

        GatewayResponse list = g.execute(GatewayRequest.builder("GET", "/v1/files?limit=2&after=file-a%20b")
                .build());
        assertEquals(200, list.status(), list.bodyAsString());
        assertEquals("/openai/files", stub.lastRequest().path());
        assertEquals(
                "limit=2&after=file-a%20b&api-version=2024-10-21",
                stub.lastRequest().query());

        GatewayResponse batch = g.execute(GatewayRequest.builder(Endpoint.BATCHES)
                .body("{\"input_file_id\":\"file-1\",\"endpoint\":\"/v1/chat/completions\","
                        + "\"completion_window\":\"24h\"}")
                .build());
        assertEquals("batch_1", batch.json().path("id").asText());
        assertEquals("/openai/batches", stub.lastRequest().path());
        assertEquals("file-1", stub.lastRequest().json().path("input_file_id").asText());

        GatewayResponse content = g.execute(
                GatewayRequest.builder("GET", "/v1/files/file-1/content").build());
        assertTrue(content.isBinaryStream());
        try (InputStream in = content.inputStream()) {
            assertArrayEquals(jsonl, in.readAllBytes());
        }
        assertEquals("/openai/files/file-1/content", stub.lastRequest().path());
        assertEquals("GET", stub.lastRequest().method());
        assertFalse(stub.lastRequest().headers().containsKey("authorization"));
        assertEquals("az-key", stub.lastRequest().header("api-key"));
    }

    @Test
    void azureDoesNotServeImageVariationsSoAFallbackMovesOn() {
        second.enqueue("/images/variations", StubResponse.json(200, "{\"created\":1,\"data\":[{\"url\":\"u\"}]}"));
        Gateway g = gateway(fallback(azure(stub, "dalle2"), openai(second)));
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.IMAGES_VARIATIONS)
                .body(MultipartBody.builder()
                        .field("model", "dall-e-2")
                        .field("size", "512x512")
                        .file("image", "a.png", "image/png", new byte[] {1})
                        .build())
                .build());
        assertEquals(200, r.status(), r.bodyAsString());
        assertEquals(0, stub.hits(), "Azure is not called");
        assertTrue(r.trace().attempts().get(0).errorMessage().contains("azure-openai"));
        // 512-x-512/dall-e-2: 6.86e-08 per pixel × 512 × 512 = $0.017983 per image
        assertEquals(0, new BigDecimal("0.017983").compareTo(usd(last(r))));
        assertEquals(Json.parse("{\"created\":1,\"data\":[{\"url\":\"u\"}]}"), r.json());
    }
}
