package dev.switchboard.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import dev.switchboard.Gateway;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's other operation families through the gateway to an OpenAI target (a local stub): each
 * request reaches the upstream as the SDK built it, each answer parses with the SDK's own models
 * and passes their {@code validate()}.
 */
class SdkOperationFamiliesTest {
    private StubUpstream up;
    private Gateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        up = StubUpstream.start();
        gateway = Gateway.fromConfig(
                """
                {"provider": "openai", "api_key": "sk-families", "custom_host": "%s"}"""
                        .formatted(up.openAiBaseUrl()));
        client = SwitchboardOpenAI.client(gateway);
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        up.close();
    }

    @Test
    void imageGeneration() {
        up.enqueue(StubResponse.json(200, "{\"created\":1700000000,\"data\":[{\"b64_json\":\"aGk=\"}]}"));
        ImagesResponse r = client.images()
                .generate(ImageGenerateParams.builder()
                        .model("gpt-image-1")
                        .prompt("a lighthouse")
                        .build());
        r.validate();
        assertEquals("aGk=", r.data().orElseThrow().get(0).b64Json().orElseThrow());
        assertEquals("/v1/images/generations", up.lastRequest().path());
        assertEquals("a lighthouse", up.lastRequest().json().path("prompt").asText());
    }

    @Test
    void moderation() {
        up.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id":"modr-1","model":"omni-moderation-latest","results":[{"flagged":false,
                 "categories":{"harassment":false,"harassment/threatening":false,"hate":false,"hate/threatening":false,
                  "illicit":false,"illicit/violent":false,"self-harm":false,"self-harm/instructions":false,
                  "self-harm/intent":false,"sexual":false,"sexual/minors":false,"violence":false,"violence/graphic":false},
                 "category_scores":{"harassment":0,"harassment/threatening":0,"hate":0,"hate/threatening":0,
                  "illicit":0,"illicit/violent":0,"self-harm":0,"self-harm/instructions":0,"self-harm/intent":0,
                  "sexual":0,"sexual/minors":0,"violence":0,"violence/graphic":0},
                 "category_applied_input_types":{"harassment":["text"],"harassment/threatening":["text"],"hate":["text"],
                  "hate/threatening":["text"],"illicit":["text"],"illicit/violent":["text"],"self-harm":["text"],
                  "self-harm/instructions":["text"],"self-harm/intent":["text"],"sexual":["text"],"sexual/minors":["text"],
                  "violence":["text"],"violence/graphic":["text"]}}]}"""));
        ModerationCreateResponse r = client.moderations()
                .create(ModerationCreateParams.builder()
                        .model("omni-moderation-latest")
                        .input("hello")
                        .build());
        r.validate();
        assertEquals("modr-1", r.id());
        assertEquals("/v1/moderations", up.lastRequest().path());
    }

    @Test
    void speechIsBinaryAndComesBackByteForByte() throws Exception {
        byte[] audio = new byte[50_000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (i * 13);
        }
        up.enqueue(StubResponse.raw(200, "audio/mpeg", audio));
        try (HttpResponse r = client.audio()
                .speech()
                .create(SpeechCreateParams.builder()
                        .model("tts-1")
                        .voice("alloy")
                        .input("Hello")
                        .build())) {
            assertArrayEquals(audio, r.body().readAllBytes());
            assertEquals("audio/mpeg", r.headers().values("content-type").get(0));
        }
        assertEquals("/v1/audio/speech", up.lastRequest().path());
        assertEquals("alloy", up.lastRequest().json().path("voice").asText());
    }

    @Test
    void transcriptionUploadsTheSdksMultipartFormAsBuilt() {
        up.enqueue(StubResponse.json(200, "{\"text\":\"hello world\"}"));
        byte[] wav = "RIFF....WAVEfmt fake audio".getBytes(StandardCharsets.US_ASCII);
        Transcription t = client.audio()
                .transcriptions()
                .create(TranscriptionCreateParams.builder()
                        .model("whisper-1")
                        .file(wav)
                        .build())
                .asTranscription();
        t.validate();
        assertEquals("hello world", t.text());
        RecordedRequest req = up.lastRequest();
        assertEquals("/v1/audio/transcriptions", req.path());
        assertTrue(req.header("content-type").startsWith("multipart/form-data; boundary="), req.header("content-type"));
        assertEquals("whisper-1", req.multipart().field("model").orElseThrow());
        assertArrayEquals(wav, req.multipart().part("file").orElseThrow().bytes());
        assertEquals("Bearer sk-families", req.header("authorization"));
    }

    @Test
    void aTranscriptionsFormFieldsAreParamsForConditionsAndOverrides() {
        try (StubUpstream whisper = StubUpstream.start();
                StubUpstream other = StubUpstream.start();
                Gateway g = Gateway.fromConfig(
                        """
                        {"strategy": {"mode": "conditional",
                           "conditions": [{"query": {"params.model": {"$eq": "whisper-1"}}, "then": "w"}],
                           "default": "o"},
                         "targets": [
                           {"name": "w", "provider": "openai", "api_key": "sk-w", "custom_host": "%s",
                            "override_params": {"language": "en"}},
                           {"name": "o", "provider": "openai", "api_key": "sk-o", "custom_host": "%s"}]}"""
                                .formatted(whisper.openAiBaseUrl(), other.openAiBaseUrl()))) {
            whisper.enqueue(StubResponse.json(200, "{\"text\":\"routed\"}"));
            OpenAIClient c = SwitchboardOpenAI.client(g);
            byte[] wav = "RIFF-fake".getBytes(StandardCharsets.US_ASCII);
            Transcription t = c.audio()
                    .transcriptions()
                    .create(TranscriptionCreateParams.builder()
                            .model("whisper-1")
                            .file(wav)
                            .build())
                    .asTranscription();
            assertEquals("routed", t.text());
            assertEquals(0, other.hits());
            RecordedRequest req = whisper.lastRequest();
            assertEquals("en", req.multipart().field("language").orElseThrow(), "override_params reach the form");
            assertEquals("whisper-1", req.multipart().field("model").orElseThrow());
            assertArrayEquals(wav, req.multipart().part("file").orElseThrow().bytes());
        }
    }

    @Test
    void batchesCreateRetrieveAndCancel() {
        String batch =
                """
                {"id":"batch_1","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"file-in",
                 "completion_window":"24h","status":"%s","created_at":1700000000}""";
        up.enqueue(StubResponse.json(200, batch.formatted("validating")));
        Batch created = client.batches()
                .create(BatchCreateParams.builder()
                        .inputFileId("file-in")
                        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                        .completionWindow(BatchCreateParams.CompletionWindow._24H)
                        .build());
        created.validate();
        assertEquals("batch_1", created.id());
        assertEquals("file-in", up.lastRequest().json().path("input_file_id").asText());

        up.enqueue(StubResponse.json(200, batch.formatted("in_progress")));
        assertEquals(
                Batch.Status.IN_PROGRESS, client.batches().retrieve("batch_1").status());
        assertEquals("GET", up.lastRequest().method());
        assertEquals("/v1/batches/batch_1", up.lastRequest().path());

        up.enqueue(StubResponse.json(200, batch.formatted("cancelling")));
        assertEquals(Batch.Status.CANCELLING, client.batches().cancel("batch_1").status());
        assertEquals("POST", up.lastRequest().method());
        assertEquals("/v1/batches/batch_1/cancel", up.lastRequest().path());
    }
}
