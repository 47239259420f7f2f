package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * OpenAI embeddings over Google: the Gemini API's {@code :batchEmbedContents} and Vertex AI's
 * {@code :predict}, both answered as an OpenAI {@code list} of {@code embedding} objects.
 *
 * <pre>{@code
 * ObjectNode body = GeminiEmbeddings.batchRequest(call, "models/gemini-embedding-001");
 * ObjectNode list = GeminiEmbeddings.fromBatch(call, responseJson);
 * }</pre>
 */
final class GeminiEmbeddings {
    private static final Set<String> MAPPED = Set.of("model", "input", "dimensions", "encoding_format");

    private GeminiEmbeddings() {}

    /** The Gemini API {@code BatchEmbedContentsRequest}; {@code modelResource} is {@code models/<id>}. */
    static ObjectNode batchRequest(ProviderCall call, String modelResource) {
        ObjectNode out = Json.object();
        ArrayNode requests = out.putArray("requests");
        for (String text : inputs(call)) {
            ObjectNode r = requests.addObject().put("model", modelResource);
            r.putObject("content").putArray("parts").addObject().put("text", text);
            if (call.body().path("dimensions").isInt()) {
                r.put("outputDimensionality", call.body().get("dimensions").asInt());
            }
        }
        return out;
    }

    /** The Vertex AI {@code :predict} body for text-embedding models. */
    static ObjectNode predictRequest(ProviderCall call) {
        ObjectNode out = Json.object();
        ArrayNode instances = out.putArray("instances");
        for (String text : inputs(call)) {
            instances.addObject().put("content", text);
        }
        if (call.body().path("dimensions").isInt()) {
            out.putObject("parameters")
                    .put("outputDimensionality", call.body().get("dimensions").asInt());
        }
        return out;
    }

    /**
     * The OpenAI list for a {@code BatchEmbedContentsResponse}. Usage is Gemini's
     * {@code usageMetadata.promptTokenCount}; when Gemini leaves it out, usage is 0/0 (OpenAI's list
     * requires the field) and the attempt gets a note saying the count is missing: a guess would
     * price tokens that were never counted.
     */
    static ObjectNode fromBatch(ProviderCall call, JsonNode resp) {
        List<JsonNode> vectors = new ArrayList<>();
        resp.path("embeddings").forEach(e -> vectors.add(e.path("values")));
        JsonNode count = resp.path("usageMetadata").get("promptTokenCount");
        if (count == null || !count.canConvertToLong()) {
            noUsage(call);
        }
        return list(call, vectors, count == null ? 0 : count.asLong(0));
    }

    private static void noUsage(ProviderCall call) {
        call.note("usage 0/0: " + call.providerId() + " reported no token count for these embeddings");
    }

    static ObjectNode fromPredict(ProviderCall call, JsonNode resp) {
        List<JsonNode> vectors = new ArrayList<>();
        long tokens = 0;
        boolean counted = false;
        for (JsonNode p : resp.path("predictions")) {
            vectors.add(p.path("embeddings").path("values"));
            JsonNode count = p.path("embeddings").path("statistics").get("token_count");
            counted |= count != null && count.canConvertToLong();
            tokens += count == null ? 0 : count.asLong(0);
        }
        if (!counted) {
            noUsage(call);
        }
        return list(call, vectors, tokens);
    }

    private static ObjectNode list(ProviderCall call, List<JsonNode> vectors, long promptTokens) {
        boolean base64 = "base64".equals(call.body().path("encoding_format").asText("float"));
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                e.put("embedding", toBase64(vectors.get(i)));
            } else {
                e.set("embedding", vectors.get(i).deepCopy());
            }
        }
        out.put("model", call.body().path("model").asText(""));
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return out;
    }

    /** OpenAI's base64 encoding: little-endian float32s. */
    private static String toBase64(JsonNode values) {
        ByteBuffer buf = ByteBuffer.allocate(values.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(v -> buf.putFloat((float) v.asDouble()));
        return Base64.getEncoder().encodeToString(buf.array());
    }

    private static List<String> inputs(ProviderCall call) {
        JsonNode input = call.body().get("input");
        for (Iterator<String> it = call.body().fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!MAPPED.contains(field)) {
                call.dropped(field, "not supported by " + call.providerId() + " embeddings");
            }
        }
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw new ProviderException(
                            "input: " + call.providerId() + " embeds text only; token arrays are not supported");
                }
                texts.add(item.asText());
            }
        } else {
            throw new ProviderException("input: expected a string or a non-empty array of strings");
        }
        return texts;
    }
}
