package dev.switchboard.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.providers.common.ChatCompletionShape;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.openai.ChatCompletions;
import dev.switchboard.spi.openai.FinishReasons;
import java.util.Locale;

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
            return OpenAiErrors.invalidResponse(
                    CohereProvider.ID,
                    "expected a chat response with message, got: " + UpstreamJson.excerpt(reply.body()));
        }
        String rawFinish = in.path("finish_reason").asText(null);
        String finish = finishReason(rawFinish);
        if (finish == null) {
            int status = "TIMEOUT".equalsIgnoreCase(rawFinish) ? 504 : 500;
            return OpenAiErrors.generationFailed(
                    CohereProvider.ID, status, "generation failed (finish_reason " + rawFinish + ")");
        }
        JsonNode msg = in.get("message");
        ChatCompletions.Builder out = ChatCompletions.builder(
                        call.body().path("model").asText(""))
                .id(in.path("id").asText("cohere-" + call.clock().millis()))
                .created(call.clock().instant().getEpochSecond())
                .content(text(msg.get("content")))
                .reasoning(msg.path("content").isArray() ? ChatCompletionShape.reasoningOf(msg.get("content")) : null);
        for (JsonNode c : msg.path("tool_calls")) {
            out.toolCall(
                    c.path("id").asText(),
                    c.path("function").path("name").asText(),
                    c.path("function").get("arguments"));
        }
        out.finishReason(finish).usage(usage(in.get("usage")));
        return ProviderReply.ok(out.build());
    }

    static ProviderReply embed(ProviderCall call, HttpReply reply) {
        if (!reply.isSuccess()) {
            return OpenAiErrors.normalize(CohereProvider.ID, reply);
        }
        ObjectNode in = UpstreamJson.parseObject(reply.body());
        JsonNode embeddings = in == null ? null : in.get("embeddings");
        JsonNode floats = embeddings == null ? null : embeddings.isArray() ? embeddings : embeddings.get("float");
        if (floats == null || !floats.isArray()) {
            return OpenAiErrors.invalidResponse(
                    CohereProvider.ID, "expected embeddings.float, got: " + UpstreamJson.excerpt(reply.body()));
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

    /**
     * Cohere v2 ({@code COMPLETE}...) and v1 ({@code ERROR_TOXIC}...) finish reasons to OpenAI's;
     * {@code ERROR}/{@code TIMEOUT} give null (the generation failed).
     */
    static String finishReason(String reason) {
        if (reason == null) {
            return FinishReasons.STOP;
        }
        return switch (reason.toUpperCase(Locale.ROOT)) {
            case "COMPLETE", "STOP_SEQUENCE", "USER_CANCEL" -> FinishReasons.STOP;
            case "MAX_TOKENS", "ERROR_LIMIT" -> FinishReasons.LENGTH;
            case "TOOL_CALL" -> FinishReasons.TOOL_CALLS;
            case "ERROR_TOXIC" -> FinishReasons.CONTENT_FILTER;
            case "ERROR", "TIMEOUT" -> null;
            default -> FinishReasons.STOP;
        };
    }

    /** Cohere usage: {@code tokens} are the real counts; {@code billed_units} are the fallback. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.ZERO;
        }
        JsonNode tokens = u.path("tokens");
        JsonNode billed = u.path("billed_units");
        long in = tokens.path("input_tokens").asLong(billed.path("input_tokens").asLong(0));
        long out =
                tokens.path("output_tokens").asLong(billed.path("output_tokens").asLong(0));
        long cached = u.path("cached_tokens").asLong(0);
        return new Usage(in, out, in + out, cached, 0, 0, 0, 0, false);
    }

    /** Joins the text parts of Cohere content (thinking parts go to reasoning_content); null when there is no text. */
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
