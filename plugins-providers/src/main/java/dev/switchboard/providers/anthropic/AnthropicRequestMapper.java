package dev.switchboard.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.DataUrl;
import dev.switchboard.providers.common.ToolArguments;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps an OpenAI chat request to an Anthropic Messages body (PROVIDERS.md §4.2). Shared by the
 * {@code anthropic} adapter and by Claude models on Vertex AI, which send the same body without
 * {@code model} and with an {@code anthropic_version} field.
 *
 * <pre>{@code
 * ObjectNode messagesBody = AnthropicRequestMapper.map(call, true);
 * }</pre>
 */
public final class AnthropicRequestMapper {
    /** {@code max_tokens} is required by Anthropic; used when the request gives none. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final Set<String> MAPPED = Set.of(
            "model",
            "messages",
            "max_tokens",
            "max_completion_tokens",
            "temperature",
            "top_p",
            "top_k",
            "stop",
            "stream",
            "stream_options",
            "tools",
            "tool_choice",
            "parallel_tool_calls",
            "response_format",
            "user",
            "safety_identifier",
            "reasoning_effort",
            "thinking",
            "n");

    /** Thinking budgets for {@code reasoning_effort}; Anthropic needs at least 1024. */
    private static final Map<String, Integer> THINKING_BUDGET =
            Map.of("minimal", 1024, "low", 2048, "medium", 8192, "high", 16384, "xhigh", 24576, "max", 32768);

    private AnthropicRequestMapper() {}

    /**
     * Builds the Messages body. {@code includeModel} is false for Vertex AI, where the model is in the URL.
     *
     * @throws ProviderException for a request Anthropic cannot express (no messages, bad tool arguments)
     */
    public static ObjectNode map(ProviderCall call, boolean includeModel) {
        ObjectNode in = call.body();
        ObjectNode out = Json.object();
        if (includeModel) {
            String model = in.path("model").asText("");
            if (model.isEmpty()) {
                throw new ProviderException("model: required for " + call.providerId());
            }
            out.put("model", model);
        }
        int maxTokens = maxTokens(in);
        out.put("max_tokens", maxTokens);

        List<Block> system = new ArrayList<>();
        ArrayNode messages = mapMessages(call, in.path("messages"), system);
        if (!system.isEmpty()) {
            out.set("system", systemField(system));
        }
        out.set("messages", messages);

        mapTools(call, in, out);
        mapSampling(call, in, out);
        mapStop(in, out);
        String user = in.path("user").asText(in.path("safety_identifier").asText(""));
        if (!user.isEmpty()) {
            out.putObject("metadata").put("user_id", user);
        }
        mapReasoning(call, in, out, maxTokens);
        mapResponseFormat(call, in, out);
        if (in.path("n").asInt(1) > 1) {
            call.dropped("n", "anthropic returns one choice per request");
        }
        if (call.isStream()) {
            out.put("stream", true);
        }
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!MAPPED.contains(field)) {
                call.dropped(field, "not supported by anthropic");
            }
        }
        return out;
    }

    private static int maxTokens(ObjectNode in) {
        JsonNode n = in.hasNonNull("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        if (n == null || n.isNull()) {
            return DEFAULT_MAX_TOKENS;
        }
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw new ProviderException("max_tokens: expected a positive integer, found " + n);
        }
        return n.asInt();
    }

    /** A system text with its optional cache_control, kept so prompt caching survives the hoisting. */
    private record Block(String text, JsonNode cacheControl) {}

    private static JsonNode systemField(List<Block> system) {
        boolean cached = system.stream().anyMatch(b -> b.cacheControl() != null);
        if (!cached) {
            StringBuilder sb = new StringBuilder();
            for (Block b : system) {
                if (sb.length() > 0) {
                    sb.append("\n\n");
                }
                sb.append(b.text());
            }
            return Json.nodes().textNode(sb.toString());
        }
        ArrayNode blocks = Json.array();
        for (Block b : system) {
            ObjectNode t = blocks.addObject().put("type", "text").put("text", b.text());
            if (b.cacheControl() != null) {
                t.set("cache_control", b.cacheControl().deepCopy());
            }
        }
        return blocks;
    }

    // ---- messages ----------------------------------------------------------------------------

    /** One Anthropic turn being assembled; same-role OpenAI messages merge into it. */
    private static final class Turn {
        final String role;
        final ArrayNode blocks = Json.array();
        int leadingToolResults;

        Turn(String role) {
            this.role = role;
        }
    }

    private static ArrayNode mapMessages(ProviderCall call, JsonNode messages, List<Block> system) {
        if (!messages.isArray()) {
            throw new ProviderException("messages: expected an array");
        }
        List<Turn> turns = new ArrayList<>();
        boolean namesDropped = false;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            String role = m.path("role").asText("");
            if (m.hasNonNull("name") && !namesDropped && !role.equals("tool")) {
                call.dropped("messages[].name", "anthropic has no participant names");
                namesDropped = true;
            }
            switch (role) {
                case "system", "developer" -> collectSystem(m.get("content"), where, system);
                case "user" -> append(turns, "user", userBlocks(call, m.get("content"), where), false);
                case "assistant" -> append(turns, "assistant", assistantBlocks(call, m, where), false);
                case "tool" -> append(turns, "user", List.of(toolResult(m, where)), true);
                default ->
                    throw new ProviderException(where + ".role: unsupported role '" + role
                            + "' (expected system, developer, user, assistant or tool)");
            }
        }
        ArrayNode out = Json.array();
        for (Turn t : turns) {
            if (t.blocks.isEmpty()) {
                continue;
            }
            ObjectNode msg = out.addObject().put("role", t.role);
            JsonNode only = t.blocks.size() == 1 ? t.blocks.get(0) : null;
            if (only != null && "text".equals(only.path("type").asText()) && !only.has("cache_control")) {
                msg.put("content", only.get("text").asText());
            } else {
                msg.set("content", t.blocks);
            }
        }
        if (out.isEmpty()) {
            throw new ProviderException("messages: at least one user or assistant message is required by anthropic");
        }
        return out;
    }

    /** Adds blocks to the last turn when it has the same role; tool results go before other user blocks. */
    private static void append(List<Turn> turns, String role, List<ObjectNode> blocks, boolean toolResult) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last == null || !last.role.equals(role)) {
            last = new Turn(role);
            turns.add(last);
        }
        for (ObjectNode b : blocks) {
            if (toolResult) {
                last.blocks.insert(last.leadingToolResults++, b);
            } else {
                last.blocks.add(b);
            }
        }
    }

    private static void collectSystem(JsonNode content, String where, List<Block> system) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            system.add(new Block(content.asText(), null));
            return;
        }
        if (!content.isArray()) {
            throw new ProviderException(where + ".content: expected a string or an array of text parts");
        }
        for (JsonNode part : content) {
            if (part.has("text")) {
                system.add(new Block(part.path("text").asText(), part.get("cache_control")));
            }
        }
    }

    private static List<ObjectNode> userBlocks(ProviderCall call, JsonNode content, String where) {
        List<ObjectNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            blocks.add(text(content.asText()));
            return blocks;
        }
        if (!content.isArray()) {
            throw new ProviderException(where + ".content: expected a string or an array of parts");
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partWhere = where + ".content[" + j + "]";
            String type = part.path("type").asText("");
            ObjectNode block;
            switch (type) {
                case "text" -> block = text(part.path("text").asText());
                case "image_url" -> block = image(part.path("image_url"), partWhere);
                case "file" -> block = document(call, part.path("file"), partWhere);
                default -> {
                    call.dropped(partWhere, "content part type '" + type + "' is not supported by anthropic");
                    block = null;
                }
            }
            if (block != null) {
                if (part.has("cache_control")) {
                    block.set("cache_control", part.get("cache_control").deepCopy());
                }
                blocks.add(block);
            }
        }
        return blocks;
    }

    private static ObjectNode text(String text) {
        return Json.object().put("type", "text").put("text", text);
    }

    private static ObjectNode image(JsonNode imageUrl, String where) {
        String url =
                imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
        if (url.isEmpty()) {
            throw new ProviderException(where + ".image_url.url: required");
        }
        ObjectNode block = Json.object().put("type", "image");
        ObjectNode source = block.putObject("source");
        DataUrl data = DataUrl.parse(url);
        if (data != null) {
            source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.data());
        } else if (url.startsWith("data:")) {
            throw new ProviderException(where + ".image_url.url: only base64 data URLs are supported");
        } else {
            source.put("type", "url").put("url", url);
        }
        return block;
    }

    private static ObjectNode document(ProviderCall call, JsonNode file, String where) {
        DataUrl data = DataUrl.parse(file.path("file_data").asText(null));
        if (data == null) {
            call.dropped(where, "anthropic needs file_data as a base64 data URL (file_id is OpenAI storage)");
            return null;
        }
        ObjectNode block = Json.object().put("type", "document");
        block.putObject("source")
                .put("type", "base64")
                .put("media_type", data.mediaType())
                .put("data", data.data());
        return block;
    }

    private static List<ObjectNode> assistantBlocks(ProviderCall call, JsonNode m, String where) {
        List<ObjectNode> blocks = new ArrayList<>();
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(text(content.asText()));
            }
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String t = part.has("text")
                        ? part.path("text").asText()
                        : part.path("refusal").asText("");
                if (!t.isEmpty()) {
                    blocks.add(text(t));
                }
            }
        }
        JsonNode calls = m.path("tool_calls");
        for (int j = 0; j < calls.size(); j++) {
            JsonNode tc = calls.get(j);
            String tcWhere = where + ".tool_calls[" + j + "]";
            ObjectNode use = Json.object().put("type", "tool_use");
            use.put("id", requireText(tc, "id", tcWhere));
            use.put("name", requireText(tc.path("function"), "name", tcWhere + ".function"));
            use.set(
                    "input",
                    ToolArguments.parse(tc.path("function").path("arguments"), tcWhere + ".function.arguments"));
            blocks.add(use);
        }
        if (m.has("function_call")) {
            call.dropped(where + ".function_call", "legacy function_call is not supported; use tool_calls");
        }
        return blocks;
    }

    private static ObjectNode toolResult(JsonNode m, String where) {
        ObjectNode block = Json.object().put("type", "tool_result");
        block.put("tool_use_id", requireText(m, "tool_call_id", where));
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            block.put("content", "");
        } else if (content.isTextual()) {
            block.put("content", content.asText());
        } else if (content.isArray()) {
            ArrayNode parts = block.putArray("content");
            for (JsonNode part : content) {
                if (part.has("text")) {
                    parts.add(text(part.path("text").asText()));
                }
            }
        } else {
            block.put("content", content.toString());
        }
        return block;
    }

    private static String requireText(JsonNode node, String field, String where) {
        String v = node.path(field).asText("");
        if (v.isEmpty()) {
            throw new ProviderException(where + "." + field + ": required");
        }
        return v;
    }

    // ---- tools ------------------------------------------------------------------------------

    private static void mapTools(ProviderCall call, ObjectNode in, ObjectNode out) {
        JsonNode tools = in.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode mapped = out.putArray("tools");
            for (int i = 0; i < tools.size(); i++) {
                JsonNode t = tools.get(i);
                if (!"function".equals(t.path("type").asText("function"))) {
                    call.dropped(
                            "tools[" + i + "]",
                            "tool type '" + t.path("type").asText() + "' is not supported by anthropic");
                    continue;
                }
                JsonNode fn = t.path("function");
                ObjectNode tool = mapped.addObject();
                tool.put("name", requireText(fn, "name", "tools[" + i + "].function"));
                if (fn.hasNonNull("description")) {
                    tool.put("description", fn.get("description").asText());
                }
                JsonNode params = fn.get("parameters");
                if (params != null && params.isObject()) {
                    tool.set("input_schema", params.deepCopy());
                } else {
                    tool.putObject("input_schema").put("type", "object").putObject("properties");
                }
                if (fn.path("strict").asBoolean(false)) {
                    tool.put("strict", true);
                }
                if (t.has("cache_control")) {
                    tool.set("cache_control", t.get("cache_control").deepCopy());
                }
            }
            if (mapped.isEmpty()) {
                out.remove("tools");
            }
        }
        boolean hasTools = out.has("tools");
        ObjectNode choice = null;
        JsonNode tc = in.get("tool_choice");
        if (tc != null && !tc.isNull()) {
            if (!hasTools) {
                call.dropped("tool_choice", "no tools anthropic can use were given");
            } else {
                choice = toolChoice(call, tc);
            }
        }
        if (in.has("parallel_tool_calls") && !in.path("parallel_tool_calls").asBoolean(true) && hasTools) {
            if (choice == null) {
                choice = Json.object().put("type", "auto");
            }
            if (!"none".equals(choice.path("type").asText())) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            out.set("tool_choice", choice);
        }
    }

    private static ObjectNode toolChoice(ProviderCall call, JsonNode tc) {
        if (tc.isTextual()) {
            return switch (tc.asText()) {
                case "auto" -> Json.object().put("type", "auto");
                case "none" -> Json.object().put("type", "none");
                case "required" -> Json.object().put("type", "any");
                default ->
                    throw new ProviderException("tool_choice: unknown value '" + tc.asText()
                            + "' (expected auto, none, required or a function)");
            };
        }
        String type = tc.path("type").asText("");
        if ("function".equals(type)) {
            return Json.object()
                    .put("type", "tool")
                    .put("name", requireText(tc.path("function"), "name", "tool_choice.function"));
        }
        if ("allowed_tools".equals(type)) {
            call.dropped("tool_choice.allowed_tools.tools", "anthropic cannot restrict the tool set per request");
            String mode = tc.path("allowed_tools").path("mode").asText("auto");
            return Json.object().put("type", "required".equals(mode) ? "any" : "auto");
        }
        throw new ProviderException("tool_choice: type '" + type + "' is not supported by anthropic");
    }

    // ---- sampling, stop, reasoning, format ------------------------------------------------------

    private static void mapSampling(ProviderCall call, ObjectNode in, ObjectNode out) {
        JsonNode temperature = in.get("temperature");
        if (temperature != null && temperature.isNumber()) {
            double t = temperature.asDouble();
            double clamped = Math.max(0, Math.min(1, t));
            if (clamped != t) {
                call.note("temperature " + t + " clamped to " + clamped + " (anthropic accepts 0..1)");
            }
            out.put("temperature", clamped);
        }
        if (in.path("top_p").isNumber()) {
            out.put("top_p", in.get("top_p").asDouble());
        }
        if (in.path("top_k").isNumber()) {
            out.put("top_k", in.get("top_k").asInt());
        }
    }

    private static void mapStop(ObjectNode in, ObjectNode out) {
        JsonNode stop = in.get("stop");
        if (stop == null || stop.isNull()) {
            return;
        }
        ArrayNode seqs = Json.array();
        if (stop.isTextual()) {
            seqs.add(stop.asText());
        } else if (stop.isArray()) {
            stop.forEach(s -> seqs.add(s.asText()));
        } else {
            throw new ProviderException("stop: expected a string or an array of strings");
        }
        if (!seqs.isEmpty()) {
            out.set("stop_sequences", seqs);
        }
    }

    private static void mapReasoning(ProviderCall call, ObjectNode in, ObjectNode out, int maxTokens) {
        if (in.path("thinking").isObject()) {
            // An Anthropic-native thinking block sent by the caller wins over reasoning_effort.
            out.set("thinking", in.get("thinking").deepCopy());
        } else if (in.hasNonNull("reasoning_effort")) {
            String effort = in.get("reasoning_effort").asText();
            if ("none".equals(effort)) {
                out.putObject("thinking").put("type", "disabled");
                return;
            }
            Integer budget = THINKING_BUDGET.get(effort);
            if (budget == null) {
                throw new ProviderException("reasoning_effort: unknown value '" + effort + "'");
            }
            if (budget >= maxTokens) {
                boolean explicit = in.hasNonNull("max_completion_tokens") || in.hasNonNull("max_tokens");
                if (!explicit) {
                    out.put("max_tokens", budget + DEFAULT_MAX_TOKENS);
                } else if (maxTokens > 1024) {
                    budget = maxTokens - 1;
                    call.note("thinking budget lowered to " + budget + " to stay below max_tokens");
                } else {
                    call.dropped("reasoning_effort", "anthropic thinking needs max_tokens above 1024");
                    return;
                }
            }
            out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
            call.note("reasoning_effort " + effort + " mapped to thinking.budget_tokens " + budget);
        }
        if ("enabled".equals(out.path("thinking").path("type").asText())) {
            // Extended thinking rejects temperature and top_k, and top_p below 0.95.
            if (out.remove("temperature") != null) {
                call.dropped("temperature", "anthropic does not accept it with extended thinking");
            }
            if (out.remove("top_k") != null) {
                call.dropped("top_k", "anthropic does not accept it with extended thinking");
            }
            if (out.has("top_p") && out.get("top_p").asDouble() < 0.95) {
                out.remove("top_p");
                call.dropped("top_p", "anthropic accepts only 0.95..1 with extended thinking");
            }
        }
    }

    private static void mapResponseFormat(ProviderCall call, ObjectNode in, ObjectNode out) {
        JsonNode rf = in.get("response_format");
        if (rf == null || rf.isNull()) {
            return;
        }
        String type = rf.path("type").asText("");
        switch (type) {
            case "text" -> {}
            case "json_schema" -> {
                JsonNode schema = rf.path("json_schema").path("schema");
                if (!schema.isObject()) {
                    throw new ProviderException("response_format.json_schema.schema: required object");
                }
                ObjectNode format = out.putObject("output_config").putObject("format");
                format.put("type", "json_schema");
                format.set("schema", schema.deepCopy());
                call.note("response_format json_schema sent as anthropic native structured output "
                        + "(output_config.format)");
            }
            case "json_object" ->
                call.dropped("response_format", "anthropic has no JSON mode without a schema;" + " use json_schema");
            default -> throw new ProviderException("response_format.type: unknown value '" + type + "'");
        }
    }
}
