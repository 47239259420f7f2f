package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * OpenAI embeddings over Bedrock {@code InvokeModel} for the two native body families:
 * Amazon Titan ({@code amazon.titan-embed-*}: {@code {inputText}} → {@code {embedding,
 * inputTextTokenCount}}, one text per call, so an input array must hold exactly one string) and
 * Cohere ({@code cohere.embed-*}: {@code {texts, input_type}} → {@code {embeddings}}; input_type
 * defaults to {@code search_document} and can be set with a body field {@code input_type}).
 */
final class BedrockEmbeddings {
    private static final Set<String> HANDLED = Set.of("model", "input", "dimensions", "input_type", "encoding_format");

    private BedrockEmbeddings() {}

    static boolean isTitan(String model) {
        return model.contains("amazon.titan-embed");
    }

    static boolean isCohere(String model) {
        return model.contains("cohere.embed");
    }

    static ObjectNode request(ProviderCall call, String model) {
        ObjectNode in = call.body();
        List<String> texts = texts(in.get("input"));
        ObjectNode out = Json.object();
        if (isTitan(model)) {
            if (texts.size() != 1) {
                throw new ProviderException(
                        "input: bedrock titan embeddings take one text per request, got " + texts.size());
            }
            out.put("inputText", texts.get(0));
            if (in.hasNonNull("dimensions")) {
                out.put("dimensions", in.get("dimensions").asInt());
            }
        } else if (isCohere(model)) {
            ArrayNode arr = out.putArray("texts");
            texts.forEach(arr::add);
            out.put("input_type", in.path("input_type").asText("search_document"));
            if (in.hasNonNull("dimensions")) {
                call.dropped("dimensions", "cohere embeddings on bedrock have a fixed size");
            }
        } else {
            throw new ProviderException(
                    "model: bedrock embeddings support amazon.titan-embed-* and cohere.embed-* models, not '" + model
                            + "'");
        }
        if (in.hasNonNull("encoding_format")
                && !"float".equals(in.get("encoding_format").asText())) {
            call.dropped("encoding_format", "bedrock returns float embeddings only");
        }
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!HANDLED.contains(f)) {
                call.dropped(f, "not supported by bedrock embeddings");
            }
        }
        return out;
    }

    static ObjectNode response(JsonNode body, HttpReply reply, String model) {
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens;
        if (body.has("embedding")) {
            addEmbedding(data, 0, body.get("embedding"));
            tokens = body.path("inputTextTokenCount").asLong(0);
        } else {
            JsonNode embeddings = body.path("embeddings");
            if (embeddings.isObject()) {
                embeddings = embeddings.path("float"); // embedding_types form
            }
            if (!embeddings.isArray()) {
                return null;
            }
            int i = 0;
            for (JsonNode e : embeddings) {
                addEmbedding(data, i++, e);
            }
            tokens = 0;
        }
        String headerCount = reply.header("x-amzn-bedrock-input-token-count").orElse(null);
        if (tokens == 0 && headerCount != null) {
            try {
                tokens = Long.parseLong(headerCount.trim());
            } catch (NumberFormatException ignored) {
                // a malformed count leaves usage at 0
            }
        }
        out.put("model", model);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        return out;
    }

    private static void addEmbedding(ArrayNode data, int index, JsonNode vector) {
        ObjectNode item = data.addObject();
        item.put("object", "embedding");
        item.put("index", index);
        item.set("embedding", vector);
    }

    private static List<String> texts(JsonNode input) {
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode t : input) {
                if (!t.isTextual()) {
                    throw new ProviderException("input: bedrock embeddings take text; token arrays are not supported");
                }
                texts.add(t.asText());
            }
        }
        if (texts.isEmpty()) {
            throw new ProviderException("input: at least one text is required");
        }
        return texts;
    }
}
