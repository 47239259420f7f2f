package dev.switchboard.internal.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.stream.EventMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns a chat-completions stream (as the stages deliver it: chunks, then possibly the gateway's
 * error event, then {@code [DONE]}) into a Responses API event stream: {@code response.created},
 * {@code response.in_progress}, each output item added, its deltas ({@code output_text},
 * {@code refusal}, {@code reasoning_summary_text}, {@code function_call_arguments}) and done, then
 * {@code response.completed} or {@code response.incomplete} with the assembled response and usage —
 * or {@code response.failed} when the stream ended with an error. Every event has its {@code event:}
 * name and a strictly increasing {@code sequence_number}; {@code [DONE]} is swallowed.
 */
public final class ChatToResponsesEvents implements EventMapper {
    private final ObjectNode response;
    private final Consumer<ObjectNode> onCompleted;
    private final List<ServerSentEvent> out = new ArrayList<>();
    private int sequence;
    private boolean started;
    private boolean ended;
    private String finishReason;
    private JsonNode usage;

    // open items, by output index
    private final ArrayNode output = Json.array();
    private int reasoningIndex = -1;
    private final StringBuilder reasoningText = new StringBuilder();
    private int messageIndex = -1;
    private int textPart = -1;
    private final StringBuilder text = new StringBuilder();
    private int refusalPart = -1;
    private final StringBuilder refusal = new StringBuilder();
    /** chat tool-call index → output index. */
    private final Map<Integer, Integer> calls = new TreeMap<>();

    private final Map<Integer, StringBuilder> arguments = new TreeMap<>();

    /**
     * A mapper for one stream.
     *
     * @param skeleton    the response object from {@link ResponsesAnswers#skeleton} (status {@code in_progress})
     * @param onCompleted called with the final response object of a stream that completed (not failed)
     */
    public ChatToResponsesEvents(ObjectNode skeleton, Consumer<ObjectNode> onCompleted) {
        this.response = skeleton;
        this.onCompleted = onCompleted;
    }

    @Override
    public List<ServerSentEvent> map(ServerSentEvent event) {
        out.clear();
        if (ended) {
            return List.of();
        }
        if (event.isDone()) {
            start();
            complete();
            return List.copyOf(out);
        }
        JsonNode chunk;
        try {
            chunk = Json.parse(event.data());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        if (chunk.has("error") && !chunk.has("choices")) {
            start();
            failed(chunk.get("error"));
            return List.copyOf(out);
        }
        start();
        if (chunk.path("model").isTextual() && !chunk.get("model").asText().isEmpty()) {
            response.put("model", chunk.get("model").asText());
        }
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String r = delta.path("reasoning_content").asText("");
        if (!r.isEmpty()) {
            reasoning(r);
        }
        String t = delta.path("content").asText("");
        if (delta.path("content").isTextual() && !t.isEmpty()) {
            text(t);
        }
        String rf = delta.path("refusal").isTextual() ? delta.get("refusal").asText() : "";
        if (!rf.isEmpty()) {
            refusal(rf);
        }
        for (JsonNode tc : delta.path("tool_calls")) {
            toolCall(tc);
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.get("finish_reason").asText();
        }
        return List.copyOf(out);
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        emit("response.created", Json.object().set("response", response.deepCopy()));
        emit("response.in_progress", Json.object().set("response", response.deepCopy()));
    }

    private void reasoning(String delta) {
        if (reasoningIndex < 0) {
            closeMessage();
            reasoningIndex = output.size();
            ObjectNode item = ResponsesAnswers.reasoningItem(ResponsesIds.item("rs"), null);
            output.add(item);
            emit("response.output_item.added", at(reasoningIndex).set("item", item.deepCopy()));
            ObjectNode e = itemEvent(reasoningIndex).put("summary_index", 0);
            e.putObject("part").put("type", "summary_text").put("text", "");
            emit("response.reasoning_summary_part.added", e);
        }
        reasoningText.append(delta);
        emit(
                "response.reasoning_summary_text.delta",
                itemEvent(reasoningIndex).put("summary_index", 0).put("delta", delta));
    }

    private void closeReasoning() {
        if (reasoningIndex < 0) {
            return;
        }
        int i = reasoningIndex;
        reasoningIndex = -1;
        String all = reasoningText.toString();
        emit(
                "response.reasoning_summary_text.done",
                itemEvent(i).put("summary_index", 0).put("text", all));
        ObjectNode e = itemEvent(i).put("summary_index", 0);
        e.putObject("part").put("type", "summary_text").put("text", all);
        emit("response.reasoning_summary_part.done", e);
        ObjectNode item = (ObjectNode) output.get(i);
        ((ArrayNode) item.get("summary"))
                .addObject()
                .put("type", "summary_text")
                .put("text", all);
        emit("response.output_item.done", at(i).set("item", item.deepCopy()));
    }

    private void openMessage() {
        if (messageIndex >= 0) {
            return;
        }
        closeReasoning();
        messageIndex = output.size();
        ObjectNode item = ResponsesAnswers.messageItem(ResponsesIds.item("msg"), "in_progress");
        output.add(item);
        emit("response.output_item.added", at(messageIndex).set("item", item.deepCopy()));
    }

    private void text(String delta) {
        openMessage();
        if (textPart < 0) {
            textPart = partCount();
            ObjectNode e = itemEvent(messageIndex).put("content_index", textPart);
            e.set("part", ResponsesAnswers.outputText(""));
            emit("response.content_part.added", e);
        }
        text.append(delta);
        ObjectNode e = itemEvent(messageIndex).put("content_index", textPart).put("delta", delta);
        e.putArray("logprobs");
        emit("response.output_text.delta", e);
    }

    private void refusal(String delta) {
        openMessage();
        if (refusalPart < 0) {
            refusalPart = partCount();
            ObjectNode e = itemEvent(messageIndex).put("content_index", refusalPart);
            e.set("part", ResponsesAnswers.refusalPart(""));
            emit("response.content_part.added", e);
        }
        refusal.append(delta);
        emit(
                "response.refusal.delta",
                itemEvent(messageIndex).put("content_index", refusalPart).put("delta", delta));
    }

    private int partCount() {
        return (textPart >= 0 ? 1 : 0) + (refusalPart >= 0 ? 1 : 0);
    }

    private void closeMessage() {
        if (messageIndex < 0) {
            return;
        }
        int i = messageIndex;
        messageIndex = -1;
        ObjectNode item = (ObjectNode) output.get(i);
        ArrayNode content = (ArrayNode) item.get("content");
        ObjectNode[] parts = new ObjectNode[partCount()];
        if (textPart >= 0) {
            ObjectNode done = itemEvent(i).put("content_index", textPart).put("text", text.toString());
            done.putArray("logprobs");
            emit("response.output_text.done", done);
            parts[textPart] = ResponsesAnswers.outputText(text.toString());
            ObjectNode e = itemEvent(i).put("content_index", textPart);
            e.set("part", parts[textPart].deepCopy());
            emit("response.content_part.done", e);
        }
        if (refusalPart >= 0) {
            emit(
                    "response.refusal.done",
                    itemEvent(i).put("content_index", refusalPart).put("refusal", refusal.toString()));
            parts[refusalPart] = ResponsesAnswers.refusalPart(refusal.toString());
            ObjectNode e = itemEvent(i).put("content_index", refusalPart);
            e.set("part", parts[refusalPart].deepCopy());
            emit("response.content_part.done", e);
        }
        for (ObjectNode p : parts) {
            content.add(p);
        }
        item.put("status", ResponsesAnswers.isIncomplete(finishReason) ? "incomplete" : "completed");
        emit("response.output_item.done", at(i).set("item", item.deepCopy()));
        textPart = -1;
        refusalPart = -1;
        text.setLength(0);
        refusal.setLength(0);
    }

    private void toolCall(JsonNode tc) {
        int index = tc.path("index").asInt(calls.size());
        Integer at = calls.get(index);
        if (at == null) {
            closeReasoning();
            closeMessage();
            at = output.size();
            calls.put(index, at);
            arguments.put(index, new StringBuilder());
            ObjectNode item = ResponsesAnswers.functionCall(
                    ResponsesIds.item("fc"),
                    tc.path("id").asText(""),
                    tc.path("function").path("name").asText(""),
                    "",
                    "in_progress");
            output.add(item);
            emit("response.output_item.added", at(at).set("item", item.deepCopy()));
        }
        String frag = tc.path("function").path("arguments").asText("");
        if (!frag.isEmpty()) {
            arguments.get(index).append(frag);
            emit("response.function_call_arguments.delta", itemEvent(at).put("delta", frag));
        }
    }

    private void closeCalls() {
        for (Map.Entry<Integer, Integer> c : calls.entrySet()) {
            int i = c.getValue();
            ObjectNode item = (ObjectNode) output.get(i);
            String args = arguments.get(c.getKey()).toString();
            emit(
                    "response.function_call_arguments.done",
                    itemEvent(i).put("name", item.path("name").asText()).put("arguments", args));
            item.put("arguments", args).put("status", "completed");
            emit("response.output_item.done", at(i).set("item", item.deepCopy()));
        }
        calls.clear();
    }

    private void complete() {
        closeReasoning();
        closeMessage();
        closeCalls();
        ended = true;
        response.set("output", output.deepCopy());
        ResponsesAnswers.finish(response, finishReason, usage);
        String type =
                "incomplete".equals(response.path("status").asText()) ? "response.incomplete" : "response.completed";
        emit(type, Json.object().set("response", response.deepCopy()));
        onCompleted.accept(response.deepCopy());
    }

    private void failed(JsonNode error) {
        ended = true;
        response.set("output", output.deepCopy());
        response.put("status", "failed");
        ObjectNode err = response.putObject("error");
        err.put("code", "server_error");
        String message = error.path("message").asText(error.toString());
        err.put("message", message);
        if (usage != null) {
            response.set("usage", ResponsesAnswers.usage(usage));
        }
        emit("response.failed", Json.object().set("response", response.deepCopy()));
    }

    private ObjectNode at(int outputIndex) {
        ObjectNode e = Json.object();
        e.put("output_index", outputIndex);
        return e;
    }

    private ObjectNode itemEvent(int outputIndex) {
        ObjectNode e = Json.object();
        e.put("item_id", output.get(outputIndex).path("id").asText());
        e.put("output_index", outputIndex);
        return e;
    }

    private void emit(String type, ObjectNode fields) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("sequence_number", sequence++);
        e.setAll(fields);
        out.add(new ServerSentEvent(type, Json.text(e), null));
    }
}
