package dev.switchboard.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Rebuilds the complete answer of an OpenAI stream from its chunks, so a finished stream can be
 * cached like a plain answer: {@code chat.completion.chunk}s become a {@code chat.completion}
 * (content, refusal, tool calls joined by index, finish reason), {@code text_completion} chunks a
 * {@code text_completion}; id, model, created and the usage chunk are kept. Past
 * {@link #MAX_CHARS} of text it gives up ({@link #answer()} is then null): such an answer is not
 * worth holding in memory to cache. Fed by one thread (the stream's), read after the stream ended.
 */
public final class StreamAssembler implements Consumer<ObjectNode> {
    static final int MAX_CHARS = 1 << 20;

    private static final class Choice {
        String role;
        final StringBuilder content = new StringBuilder();
        StringBuilder refusal;
        final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
        final Map<Integer, StringBuilder> arguments = new TreeMap<>();
        String finishReason;
        boolean hasContent;
    }

    private final Map<Integer, Choice> choices = new TreeMap<>();
    private String id;
    private String model;
    private JsonNode created;
    private String fingerprint;
    private boolean textCompletion;
    private JsonNode usage;
    private long chars;
    private boolean overflow;

    @Override
    public void accept(ObjectNode chunk) {
        if (overflow) {
            return;
        }
        if (id == null && chunk.path("id").isTextual()) {
            id = chunk.path("id").textValue();
        }
        if (model == null && chunk.path("model").isTextual()) {
            model = chunk.path("model").textValue();
        }
        if (created == null && chunk.path("created").isNumber()) {
            created = chunk.get("created");
        }
        if (fingerprint == null && chunk.path("system_fingerprint").isTextual()) {
            fingerprint = chunk.path("system_fingerprint").textValue();
        }
        if ("text_completion".equals(chunk.path("object").asText())) {
            textCompletion = true;
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = u;
        }
        for (JsonNode c : chunk.path("choices")) {
            Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
            JsonNode delta = c.path("delta");
            if (delta.path("role").isTextual()) {
                choice.role = delta.path("role").textValue();
            }
            append(choice, choice.content, delta.path("content"));
            append(choice, choice.content, c.path("text"));
            if (delta.path("refusal").isTextual()) {
                if (choice.refusal == null) {
                    choice.refusal = new StringBuilder();
                }
                choice.refusal.append(delta.path("refusal").textValue());
            }
            for (JsonNode tc : delta.path("tool_calls")) {
                int k = tc.path("index").asInt(0);
                ObjectNode call = choice.toolCalls.computeIfAbsent(k, i -> Json.object());
                if (tc.path("id").isTextual()) {
                    call.put("id", tc.path("id").textValue());
                }
                if (tc.path("type").isTextual()) {
                    call.put("type", tc.path("type").textValue());
                }
                JsonNode fn = tc.path("function");
                if (fn.path("name").isTextual()) {
                    call.put("name", fn.path("name").textValue());
                }
                StringBuilder args = choice.arguments.computeIfAbsent(k, i -> new StringBuilder());
                if (fn.path("arguments").isTextual()) {
                    count(fn.path("arguments").textValue().length());
                    args.append(fn.path("arguments").textValue());
                }
            }
            if (c.path("finish_reason").isTextual()) {
                choice.finishReason = c.path("finish_reason").textValue();
            }
        }
    }

    private void append(Choice choice, StringBuilder to, JsonNode text) {
        if (text.isTextual()) {
            count(text.textValue().length());
            to.append(text.textValue());
            // the role chunk's "" says nothing: a tool-call answer keeps content null
            choice.hasContent |= !text.textValue().isEmpty();
        }
    }

    private void count(int n) {
        chars += n;
        if (chars > MAX_CHARS) {
            overflow = true;
        }
    }

    /** The rebuilt answer, or null when nothing (or too much) arrived. */
    public ObjectNode answer() {
        if (overflow || choices.isEmpty()) {
            return null;
        }
        ObjectNode a = Json.object();
        a.put("id", id == null ? "cached" : id);
        a.put("object", textCompletion ? "text_completion" : "chat.completion");
        if (created != null) {
            a.set("created", created);
        }
        if (model != null) {
            a.put("model", model);
        }
        if (fingerprint != null) {
            a.put("system_fingerprint", fingerprint);
        }
        ArrayNode out = a.putArray("choices");
        for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
            Choice c = e.getValue();
            ObjectNode o = out.addObject();
            o.put("index", e.getKey());
            if (textCompletion) {
                o.put("text", c.content.toString());
            } else {
                ObjectNode m = o.putObject("message");
                m.put("role", c.role == null ? "assistant" : c.role);
                if (c.hasContent || c.toolCalls.isEmpty()) {
                    m.put("content", c.content.toString());
                } else {
                    m.putNull("content");
                }
                if (c.refusal != null) {
                    m.put("refusal", c.refusal.toString());
                }
                if (!c.toolCalls.isEmpty()) {
                    ArrayNode calls = m.putArray("tool_calls");
                    for (Map.Entry<Integer, ObjectNode> t : c.toolCalls.entrySet()) {
                        ObjectNode part = t.getValue();
                        ObjectNode call = calls.addObject();
                        call.put("id", part.path("id").asText(""));
                        call.put("type", part.path("type").asText("function"));
                        ObjectNode fn = call.putObject("function");
                        fn.put("name", part.path("name").asText(""));
                        StringBuilder args = c.arguments.get(t.getKey());
                        fn.put("arguments", args == null ? "" : args.toString());
                    }
                }
            }
            o.putNull("logprobs");
            if (c.finishReason != null) {
                o.put("finish_reason", c.finishReason);
            } else {
                o.putNull("finish_reason");
            }
        }
        if (usage != null) {
            a.set("usage", usage);
        }
        return a;
    }
}
