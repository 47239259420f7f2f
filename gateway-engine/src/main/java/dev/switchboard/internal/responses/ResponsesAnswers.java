package dev.switchboard.internal.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;

/**
 * A chat-completions answer as a Responses API {@code response} object. The object echoes the
 * request's settings (OpenAI's answers do: {@code instructions}, {@code tools}, {@code metadata}, …)
 * and carries the output items: a {@code reasoning} item for the provider's thinking
 * ({@code reasoning_content}, as its summary), a {@code message} with {@code output_text} and
 * {@code refusal} parts, and a {@code function_call} item per tool call. Finish reasons map as
 * OpenAI documents: {@code length} → {@code incomplete} / {@code max_output_tokens},
 * {@code content_filter} → {@code incomplete} / {@code content_filter}, anything else → {@code completed}.
 */
public final class ResponsesAnswers {
    private ResponsesAnswers() {}

    /**
     * The response object before any output: the request's settings echoed, status as given.
     *
     * @param req                the Responses request as the caller sent it (after {@code override_params})
     * @param id                 the response id ({@code resp_…})
     * @param createdAt          Unix seconds
     * @param previousResponseId the caller's {@code previous_response_id}, or null
     * @param status             {@code in_progress} or {@code completed}
     * @return a new object
     */
    public static ObjectNode skeleton(
            ObjectNode req, String id, long createdAt, String previousResponseId, String status) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        copyOrNull(req, r, "instructions");
        copyOrNull(req, r, "max_output_tokens");
        r.put("model", req.path("model").asText(""));
        r.putArray("output");
        r.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
        if (previousResponseId != null) {
            r.put("previous_response_id", previousResponseId);
        } else {
            r.putNull("previous_response_id");
        }
        ObjectNode reasoning = r.putObject("reasoning");
        copyOrNull(req.path("reasoning"), reasoning, "effort");
        copyOrNull(req.path("reasoning"), reasoning, "summary");
        r.put("store", req.path("store").asBoolean(true));
        if (req.path("temperature").isNumber()) {
            r.set("temperature", req.get("temperature").deepCopy());
        } else {
            r.put("temperature", 1.0);
        }
        if (req.path("text").isObject() && req.path("text").path("format").isObject()) {
            r.set("text", req.get("text").deepCopy());
        } else {
            r.putObject("text").putObject("format").put("type", "text");
        }
        if (req.has("tool_choice") && !req.get("tool_choice").isNull()) {
            r.set("tool_choice", req.get("tool_choice").deepCopy());
        } else {
            r.put("tool_choice", "auto");
        }
        ArrayNode tools = r.putArray("tools");
        for (JsonNode t : req.path("tools")) {
            ObjectNode tool = (ObjectNode) t.deepCopy();
            if ("function".equals(tool.path("type").asText())) {
                // as OpenAI echoes them: every documented field present, null when not given
                for (String f : new String[] {"description", "parameters", "strict"}) {
                    if (!tool.has(f)) {
                        tool.putNull(f);
                    }
                }
            }
            tools.add(tool);
        }
        if (req.path("top_p").isNumber()) {
            r.set("top_p", req.get("top_p").deepCopy());
        } else {
            r.put("top_p", 1.0);
        }
        r.put("truncation", "disabled");
        if (req.path("user").isTextual()) {
            r.put("user", req.get("user").asText());
        }
        r.set("metadata", req.path("metadata").isObject() ? req.get("metadata").deepCopy() : Json.object());
        return r;
    }

    /**
     * Fills a skeleton from a chat-completions answer: output items, status, usage, the answering model.
     *
     * @param skeleton the object from {@link #skeleton} (changed in place)
     * @param chat     the chat answer
     * @return {@code skeleton}
     */
    public static ObjectNode fromChat(ObjectNode skeleton, JsonNode chat) {
        JsonNode choice = chat.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode output = (ArrayNode) skeleton.get("output");
        String reasoning = message.path("reasoning_content").asText("");
        if (!reasoning.isEmpty()) {
            output.add(reasoningItem(ResponsesIds.item("rs"), reasoning));
        }
        String text =
                message.path("content").isTextual() ? message.get("content").asText() : "";
        String refusal =
                message.path("refusal").isTextual() ? message.get("refusal").asText() : "";
        String finish = choice.path("finish_reason").asText("stop");
        String itemStatus = isIncomplete(finish) ? "incomplete" : "completed";
        if (!text.isEmpty() || !refusal.isEmpty() || !message.path("tool_calls").isArray()) {
            ObjectNode msg = messageItem(ResponsesIds.item("msg"), itemStatus);
            ArrayNode content = (ArrayNode) msg.get("content");
            if (!text.isEmpty() || refusal.isEmpty()) {
                content.add(outputText(text));
            }
            if (!refusal.isEmpty()) {
                content.add(refusalPart(refusal));
            }
            output.add(msg);
        }
        for (JsonNode tc : message.path("tool_calls")) {
            output.add(functionCall(
                    ResponsesIds.item("fc"),
                    tc.path("id").asText(),
                    tc.path("function").path("name").asText(),
                    tc.path("function").path("arguments").asText("{}"),
                    "completed"));
        }
        finish(skeleton, finish, chat.get("usage"));
        if (chat.path("model").isTextual() && !chat.get("model").asText().isEmpty()) {
            skeleton.put("model", chat.get("model").asText());
        }
        return skeleton;
    }

    /**
     * Sets the final status (from the chat finish reason) and usage of a response object.
     *
     * @param response     the response object (changed in place)
     * @param finishReason the chat finish reason, or null
     * @param chatUsage    the chat usage object, or null
     */
    public static void finish(ObjectNode response, String finishReason, JsonNode chatUsage) {
        if ("length".equals(finishReason) || "content_filter".equals(finishReason)) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details")
                    .put("reason", "length".equals(finishReason) ? "max_output_tokens" : "content_filter");
        } else {
            response.put("status", "completed");
        }
        response.put("completed_at", response.path("created_at").asLong());
        response.set("usage", usage(chatUsage));
    }

    static boolean isIncomplete(String finishReason) {
        return "length".equals(finishReason) || "content_filter".equals(finishReason);
    }

    /**
     * A chat usage object in the Responses shape (input/output tokens with cached and reasoning details).
     *
     * @param chat the chat {@code usage}; null or missing gives zeros
     * @return a new usage object
     */
    public static ObjectNode usage(JsonNode chat) {
        JsonNode c = chat == null ? Json.object() : chat;
        long in = c.path("prompt_tokens").asLong(c.path("input_tokens").asLong(0));
        long out = c.path("completion_tokens").asLong(c.path("output_tokens").asLong(0));
        ObjectNode u = Json.object();
        u.put("input_tokens", in);
        ObjectNode inDetails = u.putObject("input_tokens_details");
        inDetails.put(
                "cached_tokens",
                c.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        inDetails.put(
                "cache_write_tokens",
                c.path("prompt_tokens_details")
                        .path("cache_write_tokens")
                        .asLong(c.path("cache_creation_input_tokens").asLong(0)));
        u.put("output_tokens", out);
        u.putObject("output_tokens_details")
                .put(
                        "reasoning_tokens",
                        c.path("completion_tokens_details")
                                .path("reasoning_tokens")
                                .asLong(0));
        u.put("total_tokens", c.path("total_tokens").asLong(in + out));
        return u;
    }

    static ObjectNode messageItem(String id, String status) {
        ObjectNode m = Json.object();
        m.put("type", "message").put("id", id).put("role", "assistant").put("status", status);
        m.putArray("content");
        return m;
    }

    static ObjectNode outputText(String text) {
        ObjectNode p = Json.object();
        p.put("type", "output_text").put("text", text);
        p.putArray("annotations");
        p.putArray("logprobs");
        return p;
    }

    static ObjectNode refusalPart(String refusal) {
        ObjectNode p = Json.object();
        p.put("type", "refusal").put("refusal", refusal);
        return p;
    }

    static ObjectNode reasoningItem(String id, String summary) {
        ObjectNode r = Json.object();
        r.put("type", "reasoning").put("id", id);
        ArrayNode s = r.putArray("summary");
        if (summary != null) {
            s.addObject().put("type", "summary_text").put("text", summary);
        }
        return r;
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        ObjectNode f = Json.object();
        f.put("type", "function_call")
                .put("id", id)
                .put("call_id", callId)
                .put("name", name)
                .put("arguments", arguments)
                .put("status", status);
        return f;
    }

    private static void copyOrNull(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null || v.isNull()) {
            to.putNull(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }
}
