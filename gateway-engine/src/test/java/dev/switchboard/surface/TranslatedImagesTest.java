package dev.switchboard.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Image generation translated to Vertex AI Imagen ({@code :predict}) and to Bedrock image models
 * ({@code InvokeModel}: Nova Canvas, Titan, Stability) against local stubs speaking those formats.
 */
class TranslatedImagesTest {
    private StubUpstream stub;
    private StubUpstream openai;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        openai = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
        openai.close();
    }

    private String vertex() {
        return "{\"provider\":\"vertex-ai\",\"api_key\":\"ya29.token\",\"vertex_region\":\"us-central1\","
                + "\"vertex_project_id\":\"acme-proj\",\"custom_host\":\"" + stub.baseUrl() + "\"}";
    }

    private String bedrock() {
        return "{\"provider\":\"bedrock\",\"aws_region\":\"us-east-1\",\"api_key\":\"bedrock-api-key\","
                + "\"custom_host\":\"" + stub.baseUrl() + "\"}";
    }

    private static GatewayRequest image(String body) {
        return GatewayRequest.builder(Endpoint.IMAGES_GENERATIONS).body(body).build();
    }

    private static void assertImages(GatewayResponse r, int n) {
        assertEquals(200, r.status(), r.bodyAsString());
        List<String> problems = OpenAiSchemas.shared().validate("ImagesResponse", r.json());
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(n, r.json().path("data").size());
        assertEquals("aGVsbG8=", r.json().path("data").path(0).path("b64_json").asText());
    }

    private static BigDecimal cost(GatewayResponse r) {
        List<Attempt> a = r.trace().attempts();
        Attempt last = a.get(a.size() - 1);
        assertNull(last.cost().unknownReason(), String.valueOf(last.cost()));
        return last.cost().usd();
    }

    @Test
    void vertexImagenGetsAPredictWithTheNearestAspectRatioAndIsPricedPerImage() {
        stub.enqueue(StubResponse.json(
                200,
                "{\"predictions\":[{\"bytesBase64Encoded\":\"aGVsbG8=\",\"mimeType\":\"image/png\"},"
                        + "{\"bytesBase64Encoded\":\"aGVsbG8=\",\"mimeType\":\"image/png\"},"
                        + "{\"raiFilteredReason\":\"filtered\"}]}"));
        GatewayResponse r = Gateway.fromConfig(vertex())
                .execute(image("{\"model\":\"imagen-4.0-generate-001\",\"prompt\":\"a red bicycle\",\"n\":3,"
                        + "\"size\":\"1792x1024\",\"response_format\":\"url\"}"));
        assertImages(r, 2);
        RecordedRequest req = stub.lastRequest();
        assertEquals(
                "/v1/projects/acme-proj/locations/us-central1/publishers/google/models/imagen-4.0-generate-001:predict",
                req.path());
        assertEquals("Bearer ya29.token", req.header("authorization"));
        JsonNode sent = req.json();
        assertEquals(
                "a red bicycle", sent.path("instances").path(0).path("prompt").asText());
        assertEquals(3, sent.path("parameters").path("sampleCount").asInt());
        assertEquals("16:9", sent.path("parameters").path("aspectRatio").asText());
        assertTrue(r.trace().attempts().get(0).notes().toString().contains("b64_json"));
        // vertex_ai/imagen-4.0-generate-001: $0.04 per image, 2 images came back
        assertEquals(0, new BigDecimal("0.08").compareTo(cost(r)));
    }

    @Test
    void novaCanvasGetsATextImageTaskAndTitanTheSameShape() {
        stub.enqueue(StubResponse.json(200, "{\"images\":[\"aGVsbG8=\"],\"error\":null}"));
        GatewayResponse r = Gateway.fromConfig(bedrock())
                .execute(image(
                        "{\"model\":\"amazon.nova-canvas-v1:0\",\"prompt\":\"a lighthouse\",\"size\":\"1024x1024\","
                                + "\"quality\":\"hd\"}"));
        assertImages(r, 1);
        RecordedRequest req = stub.lastRequest();
        assertEquals("/model/amazon.nova-canvas-v1%3A0/invoke", req.path());
        assertEquals("Bearer bedrock-api-key", req.header("authorization"));
        JsonNode sent = req.json();
        assertEquals("TEXT_IMAGE", sent.path("taskType").asText());
        assertEquals("a lighthouse", sent.path("textToImageParams").path("text").asText());
        JsonNode cfg = sent.path("imageGenerationConfig");
        assertEquals(1, cfg.path("numberOfImages").asInt());
        assertEquals(1024, cfg.path("width").asInt());
        assertEquals(1024, cfg.path("height").asInt());
        assertEquals("premium", cfg.path("quality").asText());
        assertEquals(0, new BigDecimal("0.06").compareTo(cost(r)));
    }

    @Test
    void stabilityGetsItsOwnShapeAndAFilteredImageIsATargetFailureSoAFallbackMovesOn() {
        stub.enqueue(StubResponse.json(200, "{\"seeds\":[1],\"finish_reasons\":[\"Filter reason: prompt\"]}"));
        openai.enqueue(
                "/images/generations",
                StubResponse.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"aGVsbG8=\"}]}"));
        GatewayResponse r = Gateway.fromConfig("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + bedrock()
                        + ",{\"provider\":\"openai\",\"api_key\":\"sk\",\"custom_host\":\"" + openai.openAiBaseUrl()
                        + "\"}]}")
                .execute(image("{\"model\":\"stability.stable-image-ultra-v1:1\",\"prompt\":\"a castle\","
                        + "\"size\":\"1536x1024\",\"output_format\":\"png\"}"));
        assertImages(r, 1);
        JsonNode sent = stub.lastRequest().json();
        assertEquals("a castle", sent.path("prompt").asText());
        assertEquals("3:2", sent.path("aspect_ratio").asText());
        assertEquals("png", sent.path("output_format").asText());
        Attempt filtered = r.trace().attempts().get(0);
        assertEquals(400, filtered.status());
        assertTrue(filtered.errorMessage().contains("Filter reason: prompt"), filtered.errorMessage());
        assertEquals(1, openai.hits("/images/generations"));
    }

    @Test
    void stabilityRefusesSeveralImagesAndAChatModelIsNamedAsNotAnImageModel() {
        Gateway g = Gateway.fromConfig(bedrock());
        GatewayResponse many = g.execute(image("{\"model\":\"stability.sd3-5-large-v1:0\",\"prompt\":\"x\",\"n\":2}"));
        assertEquals(400, many.status());
        assertTrue(many.json().path("error").path("message").asText().contains("one image per call"));
        GatewayResponse chat = g.execute(image("{\"model\":\"anthropic.claude-3-haiku\",\"prompt\":\"x\"}"));
        assertEquals(400, chat.status());
        assertTrue(chat.json().path("error").path("message").asText().contains("found \"anthropic.claude-3-haiku\""));
        assertEquals(0, stub.hits(), "nothing is sent for a request the model cannot take");
    }
}
