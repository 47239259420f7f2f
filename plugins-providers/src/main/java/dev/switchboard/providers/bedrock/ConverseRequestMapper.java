package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI chat request → Bedrock Converse request body (PROVIDERS.md §6.3).
 *
 * <p>Decisions: system/developer messages are hoisted to {@code system} in order; consecutive
 * same-role turns are merged and tool results fold into a user turn; the conversation must start
 * with a user turn (a 400 otherwise: inventing a user message would change the prompt). Images need
 * bytes: base64 data URLs and {@code s3://} URLs are sent, an {@code http(s)} URL is refused with a
 * 400 (this adapter does not fetch the web; a fallback can move on to a provider that accepts URLs).
 * {@code response_format} {@code json_schema}/{@code json_object} is emulated with a forced tool
 * named {@value #JSON_TOOL} whose input is mapped back to the message content. Fields Converse
 * cannot express are dropped and noted on the call.
 */
final class ConverseRequestMapper {
    /** The tool that carries a structured answer when {@code response_format} asks for JSON. */
    static final String JSON_TOOL = "json_response";

    /** Claude thinking budgets for OpenAI's {@code reasoning_effort} levels. */
    private static final Map<String, Integer> THINKING_BUDGET =
            Map.of("minimal", 1024, "low", 2048, "medium", 4096, "high", 8192, "xhigh", 16384, "max", 32000);

    /** Fields handled here or by the engine (not reported as dropped). */
    private static final Set<String> HANDLED = Set.of(
            "model",
            "messages",
            "stream",
            "stream_options",
            "max_tokens",
            "max_completion_tokens",
            "temperature",
            "top_p",
            "stop",
            "tools",
            "tool_choice",
            "response_format",
            "reasoning_effort",
            "user",
            "top_k",
            "n");

    /** The Converse body and, when JSON output is emulated, the name of the tool that carries it. */
    record Mapped(ObjectNode body, String jsonToolName) {}

    private ConverseRequestMapper() {}

    static Mapped map(ProviderCall call) {
        ObjectNode in = call.body();
        ObjectNode out = Json.object();
        JsonNode n = in.get("n");
        if (n != null && n.canConvertToInt() && n.asInt() > 1) {
            throw new ProviderException("bedrock converse returns one choice; n=" + n.asInt() + " is not supported");
        }
        ArrayNode system = Json.array();
        ArrayNode messages = out.putArray("messages");
        boolean historyHasToolBlocks = mapMessages(call, in.path("messages"), system, messages);
        if (!system.isEmpty()) {
            out.set("system", system);
        }

        ObjectNode inference = Json.object();
        JsonNode maxTokens =
                in.hasNonNull("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        if (maxTokens != null && maxTokens.canConvertToInt()) {
            inference.put("maxTokens", maxTokens.asInt());
        }
        if (in.hasNonNull("temperature")) {
            double t = in.get("temperature").asDouble();
            double clamped = Math.max(0, Math.min(1, t));
            if (clamped != t) {
                call.note("clamped temperature " + t + " to " + clamped + ": bedrock converse accepts 0..1");
            }
            inference.put("temperature", clamped);
        }
        if (in.hasNonNull("top_p")) {
            inference.put("topP", in.get("top_p").asDouble());
        }
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            inference.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            ArrayNode seqs = inference.putArray("stopSequences");
            stop.forEach(s -> seqs.add(s.asText()));
        }

        String jsonTool = mapTools(call, in, out, historyHasToolBlocks);
        ObjectNode additional = Json.object();
        if (in.hasNonNull("top_k")) {
            additional.set("top_k", in.get("top_k"));
        }
        mapReasoning(call, in, inference, additional);
        if (!inference.isEmpty()) {
            out.set("inferenceConfig", inference);
        }
        if (!additional.isEmpty()) {
            out.set("additionalModelRequestFields", additional);
        }
        if (in.hasNonNull("user")) {
            out.putObject("requestMetadata").put("user", in.get("user").asText());
        }
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!HANDLED.contains(f) && !in.get(f).isNull()) {
                call.dropped(f, "not supported by bedrock converse");
            }
        }
        return new Mapped(out, jsonTool);
    }

    /** Fills system and messages; returns whether the history carries toolUse/toolResult blocks. */
    private static boolean mapMessages(ProviderCall call, JsonNode in, ArrayNode system, ArrayNode messages) {
        if (!in.isArray() || in.isEmpty()) {
            throw new ProviderException("messages: at least one message is required");
        }
        boolean toolBlocks = false;
        int i = 0;
        for (JsonNode m : in) {
            String role = m.path("role").asText("");
            String where = "messages[" + i++ + "]";
            if (m.hasNonNull("name")) {
                call.dropped(where + ".name", "bedrock converse has no participant names");
            }
            switch (role) {
                case "system", "developer" -> addSystem(m.get("content"), system, where);
                case "user" -> append(messages, "user", userBlocks(m.get("content"), where));
                case "assistant" -> {
                    ArrayNode blocks = assistantBlocks(m, where);
                    toolBlocks |= m.path("tool_calls").size() > 0;
                    append(messages, "assistant", blocks);
                }
                case "tool" -> {
                    toolBlocks = true;
                    append(messages, "user", toolResult(m, where));
                }
                default ->
                    throw new ProviderException(where + ".role: '" + role + "' is not supported by bedrock converse");
            }
        }
        if (messages.isEmpty()) {
            throw new ProviderException(
                    "messages: bedrock converse needs at least one user message besides system prompts");
        }
        if (!"user".equals(messages.get(0).path("role").asText())) {
            throw new ProviderException(
                    "messages: bedrock converse requires the conversation to start with a user message");
        }
        return toolBlocks;
    }

    private static void addSystem(JsonNode content, ArrayNode system, String where) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                system.addObject().put("text", content.asText());
            }
            return;
        }
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText())) {
                throw new ProviderException(where + ".content: system messages may only hold text parts");
            }
            if (!part.path("text").asText().isEmpty()) {
                system.addObject().put("text", part.path("text").asText());
            }
            cachePoint(part, system);
        }
    }

    private static ArrayNode userBlocks(JsonNode content, String where) {
        ArrayNode blocks = Json.array();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            addText(blocks, content.asText());
            return blocks;
        }
        int p = 0;
        for (JsonNode part : content) {
            String at = where + ".content[" + p++ + "]";
            switch (part.path("type").asText()) {
                case "text" -> addText(blocks, part.path("text").asText());
                case "image_url" ->
                    blocks.add(image(part.path("image_url").path("url").asText(""), at));
                case "file" -> blocks.add(document(part.path("file"), at));
                default ->
                    throw new ProviderException(at + ": part type '"
                            + part.path("type").asText() + "' is not supported by bedrock converse");
            }
            cachePoint(part, blocks);
        }
        return blocks;
    }

    private static ObjectNode image(String url, String where) {
        ObjectNode block = Json.object();
        ObjectNode image = block.putObject("image");
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            String[] media = dataUrl(url, where);
            image.put("format", imageFormat(media[0], where));
            image.putObject("source").put("bytes", media[1]);
        } else if (url.startsWith("s3://")) {
            String ext = url.substring(url.lastIndexOf('.') + 1);
            image.put("format", imageFormat("image/" + ext, where));
            image.putObject("source").putObject("s3Location").put("uri", url);
        } else {
            throw new ProviderException(where + ".image_url: bedrock needs image bytes; send a base64 data URL "
                    + "(data:image/png;base64,...) or an s3:// URL, not a web URL");
        }
        return block;
    }

    private static ObjectNode document(JsonNode file, String where) {
        String data = file.path("file_data").asText(null);
        if (data == null) {
            throw new ProviderException(
                    where + ".file: bedrock needs the file bytes (file_data); file_id is not supported");
        }
        String[] media = data.regionMatches(true, 0, "data:", 0, 5)
                ? dataUrl(data, where)
                : new String[] {"application/pdf", data};
        String format =
                switch (media[0].toLowerCase(Locale.ROOT)) {
                    case "application/pdf" -> "pdf";
                    case "text/csv" -> "csv";
                    case "text/html" -> "html";
                    case "text/plain" -> "txt";
                    case "text/markdown" -> "md";
                    case "application/msword" -> "doc";
                    case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
                    case "application/vnd.ms-excel" -> "xls";
                    case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
                    default ->
                        throw new ProviderException(
                                where + ".file: media type " + media[0] + " is not a bedrock document format");
                };
        String name = file.path("filename").asText("document");
        int dot = name.lastIndexOf('.');
        name = (dot > 0 ? name.substring(0, dot) : name)
                .replaceAll("[^A-Za-z0-9 \\-()\\[\\]]", " ")
                .trim()
                .replaceAll(" {2,}", " ");
        ObjectNode block = Json.object();
        ObjectNode doc = block.putObject("document");
        doc.put("format", format);
        doc.put("name", name.isEmpty() ? "document" : name);
        doc.putObject("source").put("bytes", media[1]);
        return block;
    }

    /** {mediaType, base64 data} of a base64 data URL; a 400 naming the part otherwise. */
    private static String[] dataUrl(String url, String where) {
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new ProviderException(where + ": only base64 data URLs are supported (data:<type>;base64,<data>)");
        }
        String data = url.substring(comma + 1);
        return new String[] {meta.substring(0, meta.length() - ";base64".length()), data};
    }

    private static String imageFormat(String mediaType, String where) {
        return switch (mediaType.toLowerCase(Locale.ROOT)) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default ->
                throw new ProviderException(
                        where + ": image type " + mediaType + " is not supported by bedrock (png, jpeg, gif, webp)");
        };
    }

    private static ArrayNode assistantBlocks(JsonNode m, String where) {
        ArrayNode blocks = Json.array();
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
            addText(blocks, content.asText());
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String t = part.path("type").asText();
                if (t.equals("text") || t.equals("refusal")) {
                    addText(blocks, part.path(t).asText());
                }
            }
        }
        int k = 0;
        for (JsonNode tc : m.path("tool_calls")) {
            String at = where + ".tool_calls[" + k++ + "]";
            JsonNode fn = tc.path("function");
            String args = fn.path("arguments").asText("");
            JsonNode input = args.isBlank() ? Json.object() : UpstreamJson.parse(args);
            if (input == null || !input.isObject()) {
                throw new ProviderException(at + ".function.arguments: must be a JSON object string for bedrock, got: "
                        + (args.length() > 80 ? args.substring(0, 80) + "…" : args));
            }
            ObjectNode use = blocks.addObject().putObject("toolUse");
            use.put("toolUseId", tc.path("id").asText());
            use.put("name", fn.path("name").asText());
            use.set("input", input);
        }
        return blocks;
    }

    private static ArrayNode toolResult(JsonNode m, String where) {
        if (!m.hasNonNull("tool_call_id")) {
            throw new ProviderException(where + ".tool_call_id: required on tool messages");
        }
        JsonNode content = m.get("content");
        String text;
        if (content == null || content.isNull()) {
            text = "";
        } else if (content.isTextual()) {
            text = content.asText();
        } else {
            StringBuilder sb = new StringBuilder();
            content.forEach(p -> sb.append(p.path("text").asText()));
            text = sb.toString();
        }
        ArrayNode blocks = Json.array();
        ObjectNode result = blocks.addObject().putObject("toolResult");
        result.put("toolUseId", m.get("tool_call_id").asText());
        JsonNode parsed = text.startsWith("{") ? UpstreamJson.parse(text) : null;
        if (parsed != null && parsed.isObject()) {
            result.putArray("content").addObject().set("json", parsed);
        } else {
            // Converse rejects blank text blocks
            result.putArray("content").addObject().put("text", text.isEmpty() ? "(empty)" : text);
        }
        result.put("status", "success");
        return blocks;
    }

    /** Returns the emulated-JSON tool name, or null. */
    private static String mapTools(ProviderCall call, ObjectNode in, ObjectNode out, boolean historyHasToolBlocks) {
        ArrayNode tools = Json.array();
        int i = 0;
        for (JsonNode t : in.path("tools")) {
            String where = "tools[" + i++ + "]";
            if (!"function".equals(t.path("type").asText("function"))) {
                call.dropped(
                        where,
                        "bedrock converse supports function tools only, not '"
                                + t.path("type").asText() + "'");
                continue;
            }
            JsonNode fn = t.path("function");
            String name = fn.path("name").asText("");
            if (name.isEmpty()) {
                throw new ProviderException(where + ".function.name: required");
            }
            if (name.equals(JSON_TOOL) && in.has("response_format")) {
                throw new ProviderException(where + ".function.name: '" + JSON_TOOL
                        + "' is reserved for response_format emulation on bedrock");
            }
            ObjectNode spec = tools.addObject().putObject("toolSpec");
            spec.put("name", name);
            if (fn.hasNonNull("description") && !fn.get("description").asText().isEmpty()) {
                spec.put("description", fn.get("description").asText());
            }
            JsonNode params = fn.get("parameters");
            spec.putObject("inputSchema")
                    .set(
                            "json",
                            params != null && params.isObject()
                                    ? params
                                    : Json.object().put("type", "object").set("properties", Json.object()));
            if (fn.hasNonNull("strict")) {
                spec.put("strict", fn.get("strict").asBoolean());
            }
        }

        ObjectNode choice = null;
        JsonNode tc = in.get("tool_choice");
        boolean none = false;
        if (tc != null && tc.isTextual()) {
            switch (tc.asText()) {
                case "auto" -> choice = Json.object().set("auto", Json.object());
                case "required" -> choice = Json.object().set("any", Json.object());
                case "none" -> none = true;
                default -> throw new ProviderException("tool_choice: unknown value '" + tc.asText() + "'");
            }
        } else if (tc != null && tc.isObject()) {
            if ("function".equals(tc.path("type").asText())
                    && tc.path("function").hasNonNull("name")) {
                choice = Json.object();
                choice.putObject("tool")
                        .put("name", tc.path("function").path("name").asText());
            } else {
                call.dropped(
                        "tool_choice", "only auto, required, none and a named function map to bedrock; using auto");
            }
        }

        String jsonTool = null;
        JsonNode rf = in.get("response_format");
        String rfType = rf == null ? "text" : rf.path("type").asText("text");
        if (rfType.equals("json_schema") || rfType.equals("json_object")) {
            jsonTool = JSON_TOOL;
            JsonNode js = rf.path("json_schema");
            JsonNode schema = rfType.equals("json_schema") && js.path("schema").isObject()
                    ? js.get("schema")
                    : Json.object().put("type", "object");
            ObjectNode spec = tools.addObject().putObject("toolSpec");
            spec.put("name", JSON_TOOL);
            String desc = js.path("description").asText("");
            spec.put(
                    "description",
                    "Respond with the final answer as this tool's input"
                            + (js.hasNonNull("name") ? " (" + js.get("name").asText() + ")" : "")
                            + (desc.isEmpty() ? "" : ": " + desc));
            spec.putObject("inputSchema").set("json", schema);
            // with only the JSON tool the model must call it; with user tools it may call any of them
            choice = Json.object();
            if (tools.size() == 1) {
                choice.putObject("tool").put("name", JSON_TOOL);
            } else {
                choice.set("any", Json.object());
            }
            none = false;
            call.note("response_format " + rfType + " emulated with a forced bedrock tool '" + JSON_TOOL + "'");
        } else if (!rfType.equals("text")) {
            call.dropped("response_format", "type '" + rfType + "' is not supported by bedrock converse");
        }

        if (tools.isEmpty()) {
            return null;
        }
        if (none) {
            if (!historyHasToolBlocks) {
                call.dropped("tools", "tool_choice none: tools left out so the model cannot call them");
                return null;
            }
            // Converse rejects toolUse/toolResult history without a toolConfig
            call.note(
                    "tool_choice none cannot be expressed on bedrock while the history holds tool calls; sent tools with auto");
            choice = Json.object().set("auto", Json.object());
        }
        ObjectNode toolConfig = out.putObject("toolConfig");
        toolConfig.set("tools", tools);
        if (choice != null) {
            toolConfig.set("toolChoice", choice);
        }
        return jsonTool;
    }

    private static void mapReasoning(ProviderCall call, ObjectNode in, ObjectNode inference, ObjectNode additional) {
        JsonNode effort = in.get("reasoning_effort");
        if (effort == null || effort.isNull() || effort.asText().equals("none")) {
            return;
        }
        String model = in.path("model").asText("");
        Integer budget = THINKING_BUDGET.get(effort.asText());
        if (!model.contains("anthropic.claude") || budget == null) {
            call.dropped(
                    "reasoning_effort",
                    budget == null
                            ? "unknown level '" + effort.asText() + "'"
                            : "thinking is only mapped for Claude models on bedrock");
            return;
        }
        additional.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        // Claude needs max tokens above the thinking budget and rejects sampling changes while thinking
        int max = inference.path("maxTokens").asInt(0);
        if (max <= budget) {
            inference.put("maxTokens", budget + Math.max(max, 1024));
            call.note("raised maxTokens to " + inference.get("maxTokens").asInt() + " to exceed the thinking budget "
                    + budget);
        }
        for (String f : List.of("temperature", "topP")) {
            if (inference.remove(f) != null) {
                call.dropped(f.equals("topP") ? "top_p" : f, "not allowed with Claude extended thinking");
            }
        }
        if (additional.remove("top_k") != null) {
            call.dropped("top_k", "not allowed with Claude extended thinking");
        }
    }

    private static void addText(ArrayNode blocks, String text) {
        // Converse rejects empty text blocks
        if (text != null && !text.isEmpty()) {
            blocks.addObject().put("text", text);
        }
    }

    /** An OpenAI-style {@code cache_control} on a part becomes a Converse cache point after it. */
    private static void cachePoint(JsonNode part, ArrayNode blocks) {
        if (part.hasNonNull("cache_control")) {
            blocks.addObject().putObject("cachePoint").put("type", "default");
        }
    }

    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("content")).addAll(blocks);
        } else {
            ObjectNode m = messages.addObject();
            m.put("role", role);
            m.set("content", blocks);
        }
    }
}
