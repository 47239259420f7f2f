package dev.switchboard.internal.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import java.util.Set;

/**
 * A Responses API request ({@code POST /v1/responses}) as an OpenAI chat-completions request, which
 * every translating provider adapter already speaks. Pure functions; nothing is kept.
 *
 * <ul>
 *   <li>{@code instructions} → a leading system message; {@code input} (a string or items) →
 *       messages: {@code input_text}/{@code output_text} → text parts, {@code input_image} → an
 *       {@code image_url} part, {@code input_file} with {@code file_data} → a {@code file} part,
 *       {@code function_call} items → the assistant message's {@code tool_calls} (consecutive calls
 *       share one message), {@code function_call_output} → a {@code tool} message; {@code reasoning}
 *       items are dropped (chat has no field for them);
 *   <li>flat function tools → nested chat tools; {@code tool_choice}; {@code parallel_tool_calls};
 *   <li>{@code text.format} json_schema / json_object → {@code response_format};
 *       {@code reasoning.effort} → {@code reasoning_effort}; {@code max_output_tokens} →
 *       {@code max_tokens}; {@code temperature}, {@code top_p}, {@code user}, {@code stream}.
 * </ul>
 *
 * <p>What only OpenAI can do is a {@link ResponsesException}: built-in tools ({@code web_search},
 * {@code file_search}, {@code code_interpreter}, {@code computer_use_preview}, {@code mcp}, …), files
 * and images by {@code file_id} or URL, {@code item_reference}, {@code conversation},
 * {@code prompt} templates and {@code background} mode.
 */
public final class ResponsesRequests {
    /** The roles of a message item. */
    private static final Set<String> MESSAGE_ROLES = Set.of("user", "assistant", "system", "developer");

    private ResponsesRequests() {}

    /**
     * The request's input as a list of items: a string becomes one user message.
     *
     * @param input the {@code input} field; null or missing for none
     * @return a new array of items (copies)
     */
    public static ArrayNode inputItems(JsonNode input) {
        ArrayNode items = Json.array();
        if (input == null || input.isNull() || input.isMissingNode()) {
            return items;
        }
        if (input.isTextual()) {
            ObjectNode m = items.addObject();
            m.put("type", "message").put("role", "user");
            m.putArray("content").addObject().put("type", "input_text").put("text", input.asText());
            return items;
        }
        if (!input.isArray()) {
            throw new ResponsesException(
                    "input: found a JSON " + kind(input) + ", expected a string or an array of items");
        }
        for (JsonNode item : input) {
            items.add(item.deepCopy());
        }
        return items;
    }

    /**
     * Translates a Responses request into a chat-completions request.
     *
     * @param req the Responses request body
     * @return the chat request body
     * @throws ResponsesException for what a chat provider cannot express
     */
    public static ObjectNode toChat(ObjectNode req) {
        if (req.path("background").asBoolean(false)) {
            throw new ResponsesException("background: true needs OpenAI's own background mode");
        }
        if (has(req, "conversation")) {
            throw new ResponsesException("conversation: OpenAI conversations are kept by OpenAI only");
        }
        if (has(req, "prompt")) {
            throw new ResponsesException("prompt: reusable prompt templates are kept by OpenAI only");
        }
        if (has(req, "previous_response_id")) {
            throw new ResponsesException("previous_response_id: found \""
                    + clip(req.path("previous_response_id").asText())
                    + "\", a response the gateway did not produce or no longer keeps (store: false, expired"
                    + " or deleted); only OpenAI can continue it");
        }
        ObjectNode chat = Json.object();
        if (req.has("model")) {
            chat.set("model", req.get("model").deepCopy());
        }
        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = req.get("instructions");
        if (instructions != null
                && instructions.isTextual()
                && !instructions.asText().isEmpty()) {
            messages.addObject().put("role", "system").put("content", instructions.asText());
        }
        ArrayNode items = inputItems(req.get("input"));
        for (int i = 0; i < items.size(); i++) {
            addItem(items.get(i), "input/" + i, messages);
        }
        translateTools(req, chat);
        translateFormat(req, chat);
        JsonNode effort = req.path("reasoning").path("effort");
        if (effort.isTextual()) {
            chat.put("reasoning_effort", effort.asText());
        }
        if (req.path("max_output_tokens").isNumber()) {
            chat.put("max_tokens", req.get("max_output_tokens").asLong());
        }
        for (String f : new String[] {"temperature", "top_p", "user"}) {
            if (has(req, f)) {
                chat.set(f, req.get(f).deepCopy());
            }
        }
        if (req.path("stream").asBoolean(false)) {
            chat.put("stream", true);
            // the usage chunk reaches the event mapper, which puts it in response.completed
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static void addItem(JsonNode item, String where, ArrayNode messages) {
        if (!item.isObject()) {
            throw new ResponsesException(where + ": found a JSON " + kind(item) + ", expected an input item object");
        }
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        switch (type) {
            case "message" -> addMessage(item, where, messages);
            case "function_call" -> {
                ObjectNode assistant = openAssistant(messages);
                ArrayNode calls = assistant.has("tool_calls")
                        ? (ArrayNode) assistant.get("tool_calls")
                        : assistant.putArray("tool_calls");
                ObjectNode call = calls.addObject();
                call.put("id", text(item, "call_id", where));
                call.put("type", "function");
                call.putObject("function")
                        .put("name", text(item, "name", where))
                        .put("arguments", item.path("arguments").asText("{}"));
            }
            case "function_call_output" -> {
                JsonNode out = item.get("output");
                String content = out == null ? "" : out.isTextual() ? out.asText() : outputText(out, where);
                messages.addObject()
                        .put("role", "tool")
                        .put("tool_call_id", text(item, "call_id", where))
                        .put("content", content);
            }
            case "reasoning" -> {
                // chat has no field for earlier reasoning: the provider thinks afresh
            }
            case "item_reference" ->
                throw new ResponsesException(
                        where + ": an item_reference points into OpenAI's own storage; send the item itself");
            default ->
                throw new ResponsesException(where + ": found an item of type \"" + clip(type)
                        + "\", expected message, function_call, function_call_output or reasoning (other items are"
                        + " OpenAI's built-in tools)");
        }
    }

    /** The last message when it is an assistant message the next tool call can join, else a new one. */
    private static ObjectNode openAssistant(ArrayNode messages) {
        if (!messages.isEmpty()) {
            JsonNode last = messages.get(messages.size() - 1);
            if ("assistant".equals(last.path("role").asText())) {
                return (ObjectNode) last;
            }
        }
        ObjectNode m = messages.addObject();
        m.put("role", "assistant");
        m.putNull("content");
        return m;
    }

    private static void addMessage(JsonNode item, String where, ArrayNode messages) {
        String role = item.path("role").asText("");
        if (!MESSAGE_ROLES.contains(role)) {
            throw new ResponsesException(
                    where + "/role: found \"" + clip(role) + "\", expected user, assistant, system or developer");
        }
        String chatRole = role.equals("developer") ? "system" : role;
        JsonNode content = item.get("content");
        ObjectNode m = Json.object();
        m.put("role", chatRole);
        if (content == null || content.isNull()) {
            m.put("content", "");
        } else if (content.isTextual()) {
            m.put("content", content.asText());
        } else if (content.isArray()) {
            if (chatRole.equals("user")) {
                ArrayNode parts = m.putArray("content");
                for (int i = 0; i < content.size(); i++) {
                    parts.add(part(content.get(i), where + "/content/" + i));
                }
            } else {
                // assistant and system messages carry text only
                m.put("content", outputText(content, where + "/content"));
            }
        } else {
            throw new ResponsesException(
                    where + "/content: found a JSON " + kind(content) + ", expected a string or an array of parts");
        }
        messages.add(m);
    }

    private static ObjectNode part(JsonNode p, String where) {
        String type = p.path("type").asText("");
        ObjectNode out = Json.object();
        switch (type) {
            case "input_text", "output_text", "text" ->
                out.put("type", "text").put("text", p.path("text").asText(""));
            case "input_image" -> {
                if (!p.path("image_url").isTextual()) {
                    throw new ResponsesException(where + ": an input_image by file_id needs OpenAI's file storage;"
                            + " send it as image_url (a URL or a data: URL)");
                }
                ObjectNode img = out.put("type", "image_url").putObject("image_url");
                img.put("url", p.get("image_url").asText());
                if (p.path("detail").isTextual()) {
                    img.put("detail", p.get("detail").asText());
                }
            }
            case "input_file" -> {
                if (!p.path("file_data").isTextual()) {
                    throw new ResponsesException(where + ": an input_file by file_id or file_url needs OpenAI's own"
                            + " file handling; send it as file_data (a base64 data: URL)");
                }
                ObjectNode f = out.put("type", "file").putObject("file");
                f.put("file_data", p.get("file_data").asText());
                if (p.path("filename").isTextual()) {
                    f.put("filename", p.get("filename").asText());
                }
            }
            case "input_audio" -> {
                out.put("type", "input_audio");
                out.set("input_audio", p.path("input_audio").deepCopy());
            }
            default ->
                throw new ResponsesException(where + ": found a content part of type \"" + clip(type)
                        + "\", expected input_text, input_image, input_file or input_audio");
        }
        return out;
    }

    /** The text of output parts ({@code output_text}, {@code refusal}, {@code input_text}) joined. */
    private static String outputText(JsonNode parts, String where) {
        if (parts.isTextual()) {
            return parts.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            String t =
                    p.has("text") ? p.path("text").asText() : p.path("refusal").asText("");
            if (!t.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    private static void translateTools(ObjectNode req, ObjectNode chat) {
        JsonNode tools = req.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = chat.putArray("tools");
            for (int i = 0; i < tools.size(); i++) {
                JsonNode t = tools.get(i);
                String type = t.path("type").asText("");
                if (!type.equals("function")) {
                    throw new ResponsesException("tools/" + i + ": the built-in tool \"" + clip(type)
                            + "\" is OpenAI's own; only function tools can be translated");
                }
                ObjectNode fn = out.addObject().put("type", "function").putObject("function");
                fn.put("name", text(t, "name", "tools/" + i));
                for (String f : new String[] {"description", "parameters", "strict"}) {
                    if (has(t, f)) {
                        fn.set(f, t.get(f).deepCopy());
                    }
                }
            }
        }
        JsonNode choice = req.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            if (choice.isTextual()) {
                chat.put("tool_choice", choice.asText());
            } else if ("function".equals(choice.path("type").asText())) {
                chat.putObject("tool_choice")
                        .put("type", "function")
                        .putObject("function")
                        .put("name", text(choice, "name", "tool_choice"));
            } else if ("allowed_tools".equals(choice.path("type").asText())) {
                chat.put("tool_choice", choice.path("mode").asText("auto"));
            } else {
                throw new ResponsesException(
                        "tool_choice: found type \"" + clip(choice.path("type").asText())
                                + "\", a built-in tool of OpenAI's; expected auto, none, required or a function");
            }
        }
        if (req.path("parallel_tool_calls").isBoolean() && chat.has("tools")) {
            chat.put("parallel_tool_calls", req.get("parallel_tool_calls").asBoolean());
        }
    }

    private static void translateFormat(ObjectNode req, ObjectNode chat) {
        JsonNode format = req.path("text").path("format");
        String type = format.path("type").asText("text");
        switch (type) {
            case "text" -> {}
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = chat.putObject("response_format")
                        .put("type", "json_schema")
                        .putObject("json_schema");
                schema.put("name", text(format, "name", "text/format"));
                for (String f : new String[] {"description", "schema", "strict"}) {
                    if (has(format, f)) {
                        schema.set(f, format.get(f).deepCopy());
                    }
                }
            }
            default ->
                throw new ResponsesException(
                        "text/format/type: found \"" + clip(type) + "\", expected text, json_object or json_schema");
        }
    }

    private static String text(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new ResponsesException(where + "/" + field + ": found "
                    + (v == null ? "nothing" : "a JSON " + kind(v)) + ", expected a string");
        }
        return v.asText();
    }

    private static boolean has(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && !v.isNull();
    }

    static String kind(JsonNode n) {
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
