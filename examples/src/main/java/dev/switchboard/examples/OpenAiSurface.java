package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The rest of OpenAI through the gateway, against local stubs: an audio file transcribed (the Azure
 * deployment fails, OpenAI answers, priced per second), an image generated (priced per image by
 * quality and size), and a small batch — upload the requests, create the batch, retrieve it, download
 * its results as they stream.
 */
public final class OpenAiSurface {
    private OpenAiSurface() {}

    /**
     * Runs the three steps and prints what the gateway did.
     *
     * @param args ignored
     * @throws IOException when the temporary audio file cannot be written
     */
    public static void main(String[] args) throws IOException {
        try (StubUpstream azure = StubUpstream.start();
                StubUpstream openai = StubUpstream.start()) {
            script(azure, openai);
            String config =
                    """
                    {"strategy": {"mode": "fallback"},
                     "targets": [
                       {"provider": "azure-openai", "api_key": "az-stub", "custom_host": "%s/openai",
                        "deployment_id": "whisper", "api_version": "2024-10-21"},
                       {"provider": "openai", "api_key": "sk-stub", "custom_host": "%s"}]}"""
                            .formatted(azure.baseUrl(), openai.openAiBaseUrl());
            Path wav = Files.createTempFile("talk", ".wav");
            try (Gateway gateway = Gateway.fromConfig(config)) {
                Files.write(wav, "RIFF\0\0\0\0WAVEfmt a short recording".getBytes(StandardCharsets.US_ASCII));

                // 1. speech to text: a multipart upload, sent again to the fallback as it was
                try (MultipartBody form = MultipartBody.builder()
                        .field("model", "whisper-1")
                        .field("response_format", "verbose_json")
                        .file("file", wav, "audio/wav")
                        .build()) {
                    GatewayResponse text = gateway.execute(GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS)
                            .body(form)
                            .build());
                    System.out.println(
                            "1. transcription: \"" + text.json().path("text").asText() + "\"");
                    attempts(text);
                }

                // 2. an image: JSON in, JSON out
                GatewayResponse image = gateway.execute(GatewayRequest.builder(Endpoint.IMAGES_GENERATIONS)
                        .body("{\"model\":\"dall-e-3\",\"prompt\":\"a lighthouse at dusk\",\"quality\":\"hd\","
                                + "\"size\":\"1024x1024\",\"response_format\":\"url\"}")
                        .build());
                System.out.println("2. image: "
                        + image.json().path("data").path(0).path("url").asText());
                attempts(image);

                // 3. a batch: upload the requests, create, retrieve, download the results
                byte[] requests = ("{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                                + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"Hi\"}]}}\n")
                        .getBytes(StandardCharsets.UTF_8);
                GatewayResponse file = gateway.execute(GatewayRequest.builder(Endpoint.FILES)
                        .body(MultipartBody.builder()
                                .field("purpose", "batch")
                                .file("file", "requests.jsonl", "application/jsonl", requests)
                                .build())
                        .build());
                String fileId = file.json().path("id").asText();
                GatewayResponse created = gateway.execute(GatewayRequest.builder(Endpoint.BATCHES)
                        .body("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/chat/completions\","
                                + "\"completion_window\":\"24h\"}")
                        .build());
                String batchId = created.json().path("id").asText();
                GatewayResponse batch = gateway.execute(
                        GatewayRequest.builder("GET", "/v1/batches/" + batchId).build());
                String output = batch.json().path("output_file_id").asText();
                GatewayResponse results =
                        gateway.execute(GatewayRequest.builder("GET", "/v1/files/" + output + "/content")
                                .build());
                String lines;
                try (InputStream in = results.inputStream()) { // streamed as it arrives
                    lines = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                System.out.println("3. batch: uploaded " + fileId + ", created " + batchId + " ("
                        + created.json().path("status").asText() + "), retrieved ("
                        + batch.json().path("status").asText() + "), results " + output + ": "
                        + lines.lines().count() + " line(s), first custom_id "
                        + lines.substring(
                                lines.indexOf("\"custom_id\":\"") + 13,
                                lines.indexOf("\"", lines.indexOf("\"custom_id\":\"") + 13)));
                System.out.println("   the batch calls went to "
                        + openai.requests().stream()
                                .skip(2)
                                .map(r -> r.method() + " " + r.path())
                                .toList());
            } finally {
                Files.deleteIfExists(wav);
            }
        }
    }

    private static void attempts(GatewayResponse r) {
        for (Attempt a : r.trace().attempts()) {
            System.out.printf(
                    Locale.ROOT,
                    "   %-22s %-13s %-10s %d  cost %s%n",
                    a.targetPath(),
                    a.provider(),
                    a.model(),
                    a.status(),
                    a.cost());
        }
    }

    /** What the two stub providers answer. */
    private static void script(StubUpstream azure, StubUpstream openai) {
        azure.enqueue("/audio/transcriptions", StubResponse.error(503, "the deployment is overloaded"));
        azure.enqueue("/images/generations", StubResponse.error(503, "the deployment is overloaded"));
        openai.enqueue(
                "/audio/transcriptions",
                StubResponse.json(
                        200,
                        "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":42.0,"
                                + "\"text\":\"Welcome to the lighthouse tour.\",\"segments\":[]}"));
        openai.enqueue(
                "/images/generations",
                StubResponse.json(
                        200,
                        "{\"created\":1713833628,\"data\":[{\"url\":\"https://images.example/lighthouse.png\"}]}"));
        azure.enqueue("/files", StubResponse.error(503, "busy"));
        openai.enqueue(
                "/files",
                StubResponse.json(
                        200,
                        "{\"id\":\"file-in1\",\"object\":\"file\",\"bytes\":140,\"created_at\":1,"
                                + "\"filename\":\"requests.jsonl\",\"purpose\":\"batch\"}"));
        azure.enqueue("/batches", StubResponse.error(503, "busy"));
        openai.enqueue(
                "/batches",
                StubResponse.json(
                        200,
                        "{\"id\":\"batch_1\",\"object\":\"batch\",\"status\":\"validating\",\"input_file_id\":\"file-in1\"}"));
        azure.enqueue("/batches/batch_1", StubResponse.error(404, "no such batch on this resource"));
        openai.enqueue(
                "/batches/batch_1",
                StubResponse.json(
                        200,
                        "{\"id\":\"batch_1\",\"object\":\"batch\",\"status\":\"completed\","
                                + "\"output_file_id\":\"file-out1\"}"));
        azure.enqueue("/content", StubResponse.error(404, "no such file on this resource"));
        openai.enqueue(
                "/files/file-out1/content",
                StubResponse.raw(
                        200,
                        "application/octet-stream",
                        ("{\"id\":\"batch_req_1\",\"custom_id\":\"r1\",\"response\":{\"status_code\":200}}\n")
                                .getBytes(StandardCharsets.UTF_8)));
    }
}
