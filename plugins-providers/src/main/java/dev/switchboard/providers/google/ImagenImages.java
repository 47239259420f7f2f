package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.ImageSizes;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import java.util.List;

/**
 * {@code POST /v1/images/generations} as Vertex AI Imagen's {@code :predict}
 * ({@code {"instances":[{"prompt"}],"parameters":{"sampleCount","aspectRatio","negativePrompt","seed",
 * "outputOptions":{"mimeType"}}}} → {@code {"predictions":[{"bytesBase64Encoded","mimeType"}]}}), from
 * the public Vertex AI documentation (excerpts: {@code src/test/resources/provider-docs/image-models.txt}).
 * Imagen answers image bytes only, so a {@code response_format: "url"} request is answered with
 * {@code b64_json} (noted on the attempt); {@code size} becomes the nearest aspect ratio Imagen has;
 * images Imagen filtered out are left out, and an answer with none is a 400 naming the reason.
 */
final class ImagenImages {
    private ImagenImages() {}

    static final List<String> RATIOS = List.of("1:1", "3:4", "4:3", "9:16", "16:9");

    static ObjectNode predictRequest(ProviderCall call) {
        JsonNode body = call.body();
        String prompt = body.path("prompt").asText("");
        if (prompt.isBlank()) {
            throw new ProviderException("prompt: required for an image generation");
        }
        ObjectNode req = Json.object();
        req.putArray("instances").addObject().put("prompt", prompt);
        ObjectNode p = req.putObject("parameters");
        JsonNode n = body.get("n");
        p.put("sampleCount", n != null && n.canConvertToInt() ? n.asInt() : 1);
        String size = body.path("size").asText(null);
        String ratio = ImageSizes.nearestRatio(size, RATIOS);
        if (ratio != null) {
            p.put("aspectRatio", ratio);
            call.note("size " + size + " sent as aspectRatio " + ratio);
        }
        if (body.path("negative_prompt").isTextual()) {
            p.put("negativePrompt", body.path("negative_prompt").asText());
        }
        if (body.path("seed").canConvertToLong()) {
            p.put("seed", body.path("seed").asLong());
        }
        String format = body.path("output_format").asText("png");
        p.putObject("outputOptions").put("mimeType", "jpeg".equals(format) ? "image/jpeg" : "image/png");
        if ("url".equals(body.path("response_format").asText(null))) {
            call.note("vertex-ai Imagen returns image bytes: answered as b64_json, not url");
        }
        return req;
    }

    static ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (!reply.isSuccess()) {
            return GoogleErrors.translate(call, reply);
        }
        ObjectNode json = reply.isStreamed() ? null : UpstreamJson.parseObject(reply.body());
        if (json == null) {
            return OpenAiErrors.invalidResponse(call.providerId(), "Imagen answer is not a JSON object");
        }
        ObjectNode out = Json.object();
        out.put("created", call.clock().instant().getEpochSecond());
        ArrayNode data = out.putArray("data");
        String filtered = null;
        for (JsonNode pred : json.path("predictions")) {
            if (pred.path("bytesBase64Encoded").isTextual()) {
                data.addObject().put("b64_json", pred.path("bytesBase64Encoded").asText());
            } else if (pred.path("raiFilteredReason").isTextual()) {
                filtered = pred.path("raiFilteredReason").asText();
            }
        }
        if (data.isEmpty()) {
            String msg = call.providerId() + ": Imagen returned no image"
                    + (filtered == null ? "" : " (filtered: " + filtered + ")");
            return ProviderReply.of(
                    400, ErrorBody.of(msg, "invalid_request_error", "prompt", "content_policy_violation"));
        }
        return ProviderReply.ok(out);
    }
}
