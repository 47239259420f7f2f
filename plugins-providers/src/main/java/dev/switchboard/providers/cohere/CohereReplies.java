package dev.switchboard.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.FinishReasons;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;

/**
 * Translates Cohere v2 chat and embed answers to OpenAI's {@code chat.completion} and embeddings
 * list (PROVIDERS.md §7.3). A chat that ends with {@code ERROR} becomes a 500 and {@code TIMEOUT}
 * a 504 (both retryable), since the answer is not usable.
 */
final class CohereReplies {
    private CohereReplies() {}

    static ProviderReply chat(ProviderCall call, HttpReply reply) {
        if (!reply.isSuccess()) {
            return OpenAiErrors.normalize(CohereProvider.ID, reply);
        }
        ObjectNode in = UpstreamJson.parseObject(reply.body());
        if (in == null || !in.path("message").isObject()) {
            return OpenAiErrors.invalidResponse(CohereProvider.ID, "expected a chat response with message, got: "
                    + UpstreamJson.excerpt(reply.body()));
        }
        String rawFinish = in.path("finish_reason").asText(null);
        String finish = FinishReasons.cohere(rawFinish);
        if (finish == null) {
            int status = "TIMEOUT".equalsIgnoreCase(rawFinish) ? 504 : 500;
            return OpenAiErrors.generationFailed(CohereProvider.ID, status,
                    "generation failed (finish_reason " + rawFinish + ")");
        }
        JsonNode msg = in.get("message");
        ObjectNode out = Json.object();
        out.put("id", in.path("id").asText("cohere-" + call.clock().millis()));
        out.put("object", "chat.completion");
        out.put("created", call.clock().instant().getEpochSecond());
        out.put("model", call.body().path("model").asText(""));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String text = text(msg.get("content"));
        if (text == null) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        JsonNode calls = msg.get("tool_calls");
        if (calls != null && calls.isArray() && !calls.isEmpty()) {
            ArrayNode tc = message.putArray("tool_calls");
            for (JsonNode c : calls) {
                ObjectNode t = tc.addObject();
                t.put("id", c.path("id").asText());
                t.put("type", "function");
                ObjectNode fn = t.putObject("function");
                fn.put("name", c.path("function").path("name").asText());
                JsonNode args = c.path("function").get("arguments");
                fn.put("arguments", args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : Json.text(args));
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        out.set("usage", usage(in.get("usage")).toOpenAi());
        return ProviderReply.ok(out);
    }

    static ProviderReply embed(ProviderCall call, HttpReply reply) {
        if (!reply.isSuccess()) {
            return OpenAiErrors.normalize(CohereProvider.ID, reply);
        }
        ObjectNode in = UpstreamJson.parseObject(reply.body());
        JsonNode embeddings = in == null ? null : in.get("embeddings");
        JsonNode floats = embeddings == null ? null : embeddings.isArray() ? embeddings : embeddings.get("float");
        if (floats == null || !floats.isArray()) {
            return OpenAiErrors.invalidResponse(CohereProvider.ID, "expected embeddings.float, got: "
                    + UpstreamJson.excerpt(reply.body()));
        }
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < floats.size(); i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            e.set("embedding", floats.get(i));
        }
        out.put("model", call.body().path("model").asText(""));
        long tokens = in.path("meta").path("billed_units").path("input_tokens").asLong(0);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        return ProviderReply.ok(out);
    }

    /** Cohere usage: {@code tokens} are the real counts; {@code billed_units} are the fallback. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.ZERO;
        }
        JsonNode tokens = u.path("tokens");
        JsonNode billed = u.path("billed_units");
        long in = tokens.path("input_tokens").asLong(billed.path("input_tokens").asLong(0));
        long out = tokens.path("output_tokens").asLong(billed.path("output_tokens").asLong(0));
        long cached = u.path("cached_tokens").asLong(0);
        return new Usage(in, out, in + out, cached, 0, 0, 0, 0, false);
    }

    /** Joins the text parts of Cohere content (thinking parts left out); null when there is no text. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (JsonNode p : content) {
            if ("text".equals(p.path("type").asText())) {
                sb.append(p.path("text").asText());
                any = true;
            }
        }
        return any ? sb.toString() : null;
    }
}
