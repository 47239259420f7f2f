package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.ImageSizes;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/images/generations} as Bedrock {@code InvokeModel} of an image model, from the public
 * Bedrock documentation (excerpts: {@code src/test/resources/provider-docs/image-models.txt}):
 * <ul>
 *   <li>Amazon Nova Canvas and Titan Image Generator: {@code {"taskType":"TEXT_IMAGE",
 *       "textToImageParams":{"text"},"imageGenerationConfig":{"numberOfImages","width","height",
 *       "quality"}}} → {@code {"images":["<base64>"],"error":null}}; {@code quality: "hd"} is
 *       {@code premium};</li>
 *   <li>Stability models ({@code stability.*}): {@code {"prompt","aspect_ratio","output_format"}} →
 *       {@code {"seeds","finish_reasons","images"}}, one image per call ({@code n > 1} is refused);
 *       a non-null finish reason (a filter) is a 400.</li>
 * </ul>
 * Answers are {@code b64_json} (a {@code url} request is answered so, noted on the attempt).
 */
final class BedrockImages {
    private BedrockImages() {}

    static final List<String> STABILITY_RATIOS =
            List.of("1:1", "16:9", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21");

    static boolean isImageModel(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("stability.") || m.contains("amazon.nova-canvas") || m.contains("amazon.titan-image");
    }

    static ObjectNode request(ProviderCall call, String model) {
        JsonNode body = call.body();
        String prompt = body.path("prompt").asText("");
        if (prompt.isBlank()) {
            throw new ProviderException("prompt: required for an image generation");
        }
        if (!isImageModel(model)) {
            throw new ProviderException(
                    400,
                    "invalid_request_error",
                    "model: bedrock image generation serves Amazon Nova Canvas, Titan Image Generator and"
                            + " Stability models (amazon.nova-canvas-*, amazon.titan-image-*, stability.*), found \""
                            + model + "\"");
        }
        int n = body.path("n").canConvertToInt() ? body.path("n").asInt() : 1;
        if ("url".equals(body.path("response_format").asText(null))) {
            call.note("bedrock image models return image bytes: answered as b64_json, not url");
        }
        String size = body.path("size").asText(null);
        ObjectNode req = Json.object();
        if (model.toLowerCase(Locale.ROOT).contains("stability.")) {
            if (n != 1) {
                throw new ProviderException(
                        400,
                        "invalid_request_error",
                        "n: Stability models on bedrock make one image per call, found " + n);
            }
            req.put("prompt", prompt);
            String ratio = ImageSizes.nearestRatio(size, STABILITY_RATIOS);
            if (ratio != null) {
                req.put("aspect_ratio", ratio);
                call.note("size " + size + " sent as aspect_ratio " + ratio);
            }
            String format = body.path("output_format").asText(null);
            if (format != null) {
                req.put("output_format", format);
            }
            if (body.path("negative_prompt").isTextual()) {
                req.put("negative_prompt", body.path("negative_prompt").asText());
            }
            return req;
        }
        req.put("taskType", "TEXT_IMAGE");
        ObjectNode text = req.putObject("textToImageParams").put("text", prompt);
        if (body.path("negative_prompt").isTextual()) {
            text.put("negativeText", body.path("negative_prompt").asText());
        }
        ObjectNode cfg = req.putObject("imageGenerationConfig");
        cfg.put("numberOfImages", n);
        int[] wh = ImageSizes.parse(size);
        if (wh != null) {
            cfg.put("width", wh[0]);
            cfg.put("height", wh[1]);
        }
        cfg.put("quality", "hd".equals(body.path("quality").asText(null)) ? "premium" : "standard");
        if (body.path("seed").canConvertToLong()) {
            cfg.put("seed", body.path("seed").asLong());
        }
        return req;
    }

    static ProviderReply response(ProviderCall call, ObjectNode json) {
        JsonNode error = json.get("error");
        if (error != null && error.isTextual() && !error.asText().isBlank()) {
            return ProviderReply.of(
                    400, ErrorBody.of("bedrock: " + error.asText(), "invalid_request_error", "prompt", null));
        }
        for (JsonNode reason : json.path("finish_reasons")) {
            if (reason.isTextual()) {
                return ProviderReply.of(
                        400,
                        ErrorBody.of(
                                "bedrock: no image (" + reason.asText() + ")",
                                "invalid_request_error",
                                "prompt",
                                "content_policy_violation"));
            }
        }
        ObjectNode out = Json.object();
        out.put("created", call.clock().instant().getEpochSecond());
        ArrayNode data = out.putArray("data");
        for (JsonNode img : json.path("images")) {
            if (img.isTextual()) {
                data.addObject().put("b64_json", img.asText());
            }
        }
        if (data.isEmpty()) {
            return dev.switchboard.providers.common.OpenAiErrors.invalidResponse("bedrock", "no image in the answer");
        }
        return ProviderReply.ok(out);
    }
}
