package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds OpenAI wire payloads (chat completions, stream chunks, embeddings, error envelopes) for
 * {@link StubResponse} and {@link FakeReply}, so both fakes answer with the same shapes.
 */
final class OpenAiPayloads {
    static final String DEFAULT_CHAT_MODEL = "gpt-4o-mini";
    static final String DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
    /** 2026-01-01T00:00:00Z: a fixed timestamp keeps answers reproducible. */
    static final long CREATED = 1767225600L;

    static final int DEFAULT_PROMPT_TOKENS = 10;
    static final int DEFAULT_COMPLETION_TOKENS = 5;

    private static final AtomicLong IDS = new AtomicLong();

    private OpenAiPayloads() {}

    static String nextId(String prefix) {
        return prefix + "-stub-" + IDS.incrementAndGet();
    }

    /** The request body as JSON, or null when it is empty or not JSON. */
    static JsonNode parseOrNull(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.parse(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** The {@code model} the request names, or the fallback. */
    static String model(JsonNode request, String fallback) {
        JsonNode m = request == null ? null : request.get("model");
        return m != null && m.isTextual() && !m.asText().isEmpty() ? m.asText() : fallback;
    }

    static boolean wantsStream(JsonNode request) {
        return request != null && request.path("stream").asBoolean(false);
    }

    static boolean wantsStreamUsage(JsonNode request) {
        return request != null
                && request.path("stream_options").path("include_usage").asBoolean(false);
    }

    static ObjectNode chatCompletion(String model, String content, int promptTokens, int completionTokens) {
        ObjectNode root = Json.object();
        root.put("id", nextId("chatcmpl"));
        root.put("object", "chat.completion");
        root.put("created", CREATED);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    /**
     * The data payloads of an OpenAI chat stream (without {@code [DONE]}): a role chunk, one chunk per
     * token, a finish chunk and, when asked for, a usage chunk with empty choices.
     */
    static List<String> chatChunks(String model, List<String> tokens, boolean includeUsage) {
        String id = nextId("chatcmpl");
        List<String> out = new ArrayList<>(tokens.size() + 3);
        ObjectNode first = chunk(id, model, includeUsage);
        ObjectNode firstDelta = addChoice(first, null);
        firstDelta.put("role", "assistant");
        firstDelta.put("content", "");
        out.add(Json.text(first));
        for (String token : tokens) {
            ObjectNode c = chunk(id, model, includeUsage);
            addChoice(c, null).put("content", token);
            out.add(Json.text(c));
        }
        ObjectNode finish = chunk(id, model, includeUsage);
        addChoice(finish, "stop");
        out.add(Json.text(finish));
        if (includeUsage) {
            ObjectNode usage = chunk(id, model, false);
            usage.putArray("choices");
            usage.set("usage", usage(DEFAULT_PROMPT_TOKENS, tokens.size()));
            out.add(Json.text(usage));
        }
        return out;
    }

    private static ObjectNode chunk(String id, String model, boolean nullUsage) {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", CREATED);
        c.put("model", model);
        if (nullUsage) {
            // OpenAI sends "usage": null on every chunk but the last when include_usage is on.
            c.putNull("usage");
        }
        return c;
    }

    private static ObjectNode addChoice(ObjectNode chunk, String finishReason) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return delta;
    }

    static ObjectNode usage(int promptTokens, int completionTokens) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        return u;
    }

    /** One embedding per input of the request (a string or a list), each a deterministic unit-ish vector. */
    static ObjectNode embeddings(JsonNode request, int dims) {
        int count = inputCount(request);
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < count; i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            ArrayNode vector = e.putArray("embedding");
            for (int d = 0; d < dims; d++) {
                // Distinct, reproducible values per input and dimension.
                vector.add(Math.round(Math.sin(i * 31 + d + 1) * 1e6) / 1e6);
            }
        }
        root.put("model", model(request, DEFAULT_EMBEDDING_MODEL));
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", 8 * count);
        usage.put("total_tokens", 8 * count);
        return root;
    }

    private static int inputCount(JsonNode request) {
        JsonNode input = request == null ? null : request.get("input");
        if (input == null || !input.isArray() || input.isEmpty()) {
            return 1;
        }
        // A flat list of integers is one tokenised input; otherwise each element is one input.
        return input.get(0).isNumber() ? 1 : input.size();
    }

    /** The OpenAI error envelope {@code {"error":{"message","type","param","code"}}}. */
    static ObjectNode error(int status, String message) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", errorType(status));
        error.putNull("param");
        String code = errorCode(status);
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return root;
    }

    static String errorType(int status) {
        switch (status) {
            case 400:
            case 404:
            case 409:
            case 413:
            case 415:
            case 422:
                return "invalid_request_error";
            case 401:
                return "authentication_error";
            case 403:
                return "permission_error";
            case 429:
                return "rate_limit_error";
            default:
                return status >= 500 ? "server_error" : "api_error";
        }
    }

    private static String errorCode(int status) {
        switch (status) {
            case 401:
                return "invalid_api_key";
            case 404:
                return "not_found";
            case 429:
                return "rate_limit_exceeded";
            default:
                return null;
        }
    }

    /** Splits text into word tokens that keep their leading space, the way OpenAI streams words. */
    static List<String> words(String text) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                tokens.add(text.substring(start, i));
                start = i;
            }
        }
        return tokens;
    }
}
