package dev.switchboard.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a cached answer as the OpenAI stream a streaming caller expects. For a
 * {@code chat.completion}, per choice: a role chunk, a content chunk, a refusal chunk, one chunk per
 * tool call, a finish chunk; then the usage chunk (empty {@code choices}) only when the caller set
 * {@code stream_options.include_usage}; then {@code [DONE]}. A {@code text_completion} becomes
 * {@code text_completion} chunks the same way.
 */
public final class CachedAnswerEvents {
    private CachedAnswerEvents() {}

    public static List<ServerSentEvent> of(ObjectNode answer, boolean includeUsage) {
        boolean text = "text_completion".equals(answer.path("object").asText());
        List<ServerSentEvent> events = new ArrayList<>();
        for (JsonNode choice : answer.path("choices")) {
            int index = choice.path("index").asInt(0);
            if (text) {
                events.add(textChunk(answer, index, choice.path("text").asText(""), null));
                events.add(textChunk(answer, index, "", finishReason(choice)));
                continue;
            }
            JsonNode message = choice.path("message");
            ObjectNode role = Json.object();
            role.put("role", message.path("role").asText("assistant"));
            if (message.path("content").isTextual()) {
                role.put("content", "");
            } else {
                role.putNull("content"); // as OpenAI streams a tool-call answer
            }
            events.add(chatChunk(answer, index, role, null));
            if (message.path("content").isTextual()
                    && !message.path("content").textValue().isEmpty()) {
                events.add(chatChunk(
                        answer,
                        index,
                        Json.object().put("content", message.path("content").textValue()),
                        null));
            }
            if (message.path("refusal").isTextual()) {
                events.add(chatChunk(
                        answer,
                        index,
                        Json.object().put("refusal", message.path("refusal").textValue()),
                        null));
            }
            int k = 0;
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode delta = Json.object();
                ObjectNode c = delta.putArray("tool_calls").addObject();
                c.put("index", k++);
                c.put("id", call.path("id").asText(""));
                c.put("type", call.path("type").asText("function"));
                ObjectNode fn = c.putObject("function");
                fn.put("name", call.path("function").path("name").asText(""));
                fn.put("arguments", call.path("function").path("arguments").asText(""));
                events.add(chatChunk(answer, index, delta, null));
            }
            events.add(chatChunk(answer, index, Json.object(), finishReason(choice)));
        }
        JsonNode usage = answer.get("usage");
        if (includeUsage && usage != null && usage.isObject()) {
            ObjectNode u = base(answer, text ? "text_completion" : "chat.completion.chunk");
            u.putArray("choices");
            u.set("usage", usage);
            events.add(ServerSentEvent.data(Json.text(u)));
        }
        events.add(ServerSentEvent.DONE);
        return events;
    }

    private static String finishReason(JsonNode choice) {
        JsonNode f = choice.path("finish_reason");
        return f.isTextual() ? f.textValue() : "stop";
    }

    private static ServerSentEvent chatChunk(ObjectNode answer, int index, ObjectNode delta, String finish) {
        ObjectNode chunk = base(answer, "chat.completion.chunk");
        ObjectNode c = chunk.putArray("choices").addObject();
        c.put("index", index);
        c.set("delta", delta);
        c.putNull("logprobs");
        if (finish == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finish);
        }
        return ServerSentEvent.data(Json.text(chunk));
    }

    private static ServerSentEvent textChunk(ObjectNode answer, int index, String text, String finish) {
        ObjectNode chunk = base(answer, "text_completion");
        ObjectNode c = chunk.putArray("choices").addObject();
        c.put("text", text);
        c.put("index", index);
        c.putNull("logprobs");
        if (finish == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finish);
        }
        return ServerSentEvent.data(Json.text(chunk));
    }

    private static ObjectNode base(ObjectNode answer, String object) {
        ObjectNode chunk = Json.object();
        chunk.put("id", answer.path("id").asText("cached"));
        chunk.put("object", object);
        chunk.put("created", answer.path("created").asLong(0));
        chunk.put("model", answer.path("model").asText(""));
        if (answer.path("system_fingerprint").isTextual()) {
            chunk.put("system_fingerprint", answer.path("system_fingerprint").textValue());
        }
        return chunk;
    }
}
