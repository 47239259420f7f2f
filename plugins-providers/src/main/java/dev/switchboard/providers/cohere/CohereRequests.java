package dev.switchboard.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds Cohere v2 {@code /v2/chat} and {@code /v2/embed} bodies from OpenAI requests
 * (PROVIDERS.md §7.2). Every OpenAI field is either mapped, passed (Cohere-only extras such as
 * {@code documents}), or dropped with a note on the call.
 */
final class CohereRequests {
    /** Cohere-only request fields a caller may add; sent as given. */
    private static final Set<String> COHERE_EXTRAS =
            Set.of("documents", "citation_options", "safety_mode", "strict_tools", "priority", "thinking", "k", "p");

    private CohereRequests() {}

    static ObjectNode chat(ProviderCall call) {
        ObjectNode in = call.body();
        ObjectNode out = Json.object();
        out.set("model", in.get("model"));
        out.set("messages", messages(in.path("messages"), call));
        Set<String> restrictTo = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = in.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            if (v.isNull()) {
                continue;
            }
            switch (key) {
                case "model", "messages", "tools", "stream_options" -> {}
                case "stream" -> out.put("stream", v.asBoolean());
                case "max_completion_tokens" -> out.set("max_tokens", v);
                case "max_tokens" -> {
                    if (!in.hasNonNull("max_completion_tokens")) {
                        out.set("max_tokens", v);
                    }
                }
                case "stop" ->
                    out.set("stop_sequences", v.isArray() ? v : Json.array().add(v));
                case "temperature" -> out.put("temperature", clamp(call, "temperature", v, 0, 1));
                case "top_p" -> out.put("p", clamp(call, "top_p", v, 0.01, 0.99));
                case "top_k" -> out.set("k", v);
                case "seed", "frequency_penalty", "presence_penalty", "logprobs" -> out.set(key, v);
                case "n" -> {
                    if (!(v.canConvertToInt() && v.asInt() == 1)) {
                        call.dropped("n", "cohere returns a single choice");
                    }
                }
                case "response_format" -> responseFormat(v, out, call);
                case "tool_choice" -> restrictTo = toolChoice(v, out, call);
                case "reasoning_effort" -> {
                    ObjectNode thinking = out.putObject("thinking");
                    thinking.put("type", "none".equals(v.asText()) ? "disabled" : "enabled");
                    call.note("mapped reasoning_effort " + v.asText() + " to cohere thinking "
                            + thinking.get("type").asText());
                }
                default -> {
                    if (COHERE_EXTRAS.contains(key)) {
                        out.set(key, v);
                    } else {
                        call.dropped(key, "not supported by cohere");
                    }
                }
            }
        }
        JsonNode tools = in.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            tools(tools, restrictTo, out, call);
        }
        if (call.isStream() && !out.has("stream")) {
            out.put("stream", true);
        }
        return out;
    }

    static ObjectNode embed(ProviderCall call) {
        ObjectNode in = call.body();
        ObjectNode out = Json.object();
        out.set("model", in.get("model"));
        JsonNode input = in.get("input");
        ArrayNode texts = out.putArray("texts");
        if (input != null && input.isTextual()) {
            texts.add(input);
        } else if (input != null && input.isArray() && input.size() > 0) {
            for (JsonNode t : input) {
                if (!t.isTextual()) {
                    throw new ProviderException("input: cohere embeddings take strings, not token arrays");
                }
                texts.add(t);
            }
        } else {
            throw new ProviderException("input: expected a string or an array of strings");
        }
        out.put("input_type", in.path("input_type").asText("search_document"));
        out.putArray("embedding_types").add("float");
        for (Iterator<Map.Entry<String, JsonNode>> it = in.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
                case "model", "input", "input_type" -> {}
                case "dimensions" -> out.set("output_dimension", f.getValue());
                case "truncate", "max_tokens" -> out.set(f.getKey(), f.getValue());
                case "encoding_format" -> {
                    if (!"float".equals(f.getValue().asText())) {
                        call.dropped("encoding_format", "cohere returns float embeddings");
                    }
                }
                default -> call.dropped(f.getKey(), "not supported by cohere embed");
            }
        }
        return out;
    }

    private static ArrayNode messages(JsonNode messages, ProviderCall call) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw new ProviderException("messages: expected a non-empty array");
        }
        ArrayNode out = Json.array();
        boolean droppedName = false;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            droppedName |= m.has("name");
            ObjectNode o = Json.object();
            switch (role) {
                case "system", "developer" -> {
                    o.put("role", "system");
                    o.set("content", textOnly(m.get("content"), "messages[" + i + "].content", call));
                }
                case "user" -> {
                    o.put("role", "user");
                    o.set("content", userContent(m.get("content"), i, call));
                }
                case "assistant" -> assistant(m, o, i, call);
                case "tool" -> {
                    o.put("role", "tool");
                    o.set("tool_call_id", m.get("tool_call_id"));
                    JsonNode c = m.get("content");
                    o.set(
                            "content",
                            c == null || c.isNull()
                                    ? Json.nodes().textNode("")
                                    : textOnly(c, "messages[" + i + "].content", call));
                }
                default ->
                    throw new ProviderException(
                            "messages[" + i + "].role: cohere cannot express role \"" + role + "\"");
            }
            out.add(o);
        }
        if (droppedName) {
            call.dropped("messages[].name", "not supported by cohere");
        }
        return out;
    }

    private static void assistant(JsonNode m, ObjectNode o, int i, ProviderCall call) {
        o.put("role", "assistant");
        JsonNode c = m.get("content");
        if (c != null && !c.isNull() && !(c.isTextual() && c.asText().isEmpty())) {
            o.set("content", textOnly(c, "messages[" + i + "].content", call));
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray() && !calls.isEmpty()) {
            ArrayNode tc = o.putArray("tool_calls");
            for (JsonNode t : calls) {
                if (!"function".equals(t.path("type").asText("function"))) {
                    call.dropped(
                            "messages[" + i + "].tool_calls[type="
                                    + t.path("type").asText() + "]",
                            "cohere supports function tools only");
                    continue;
                }
                ObjectNode x = tc.addObject();
                x.set("id", t.get("id"));
                x.put("type", "function");
                ObjectNode fn = x.putObject("function");
                fn.set("name", t.path("function").get("name"));
                JsonNode args = t.path("function").get("arguments");
                fn.put(
                        "arguments",
                        args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : Json.text(args));
            }
        }
        if (!o.has("content") && !o.has("tool_calls")) {
            o.put("content", "");
        }
    }

    /** System, assistant and tool content: a string, or text parts (other parts are dropped). */
    private static JsonNode textOnly(JsonNode content, String where, ProviderCall call) {
        if (content == null || content.isNull()) {
            return Json.nodes().textNode("");
        }
        if (!content.isArray()) {
            return content;
        }
        ArrayNode parts = Json.array();
        for (JsonNode p : content) {
            if ("text".equals(p.path("type").asText())) {
                parts.addObject().put("type", "text").put("text", p.path("text").asText());
            } else {
                call.dropped(where + "[type=" + p.path("type").asText() + "]", "cohere accepts text parts here");
            }
        }
        return parts;
    }

    private static JsonNode userContent(JsonNode content, int i, ProviderCall call) {
        if (content == null || !content.isArray()) {
            return content == null ? Json.nodes().textNode("") : content;
        }
        ArrayNode parts = Json.array();
        for (JsonNode p : content) {
            String type = p.path("type").asText();
            if ("text".equals(type)) {
                parts.addObject().put("type", "text").put("text", p.path("text").asText());
            } else if ("image_url".equals(type)) {
                JsonNode img = p.get("image_url");
                ObjectNode part = parts.addObject();
                part.put("type", "image_url");
                ObjectNode url = part.putObject("image_url");
                if (img != null && img.isTextual()) {
                    url.set("url", img);
                } else if (img != null) {
                    url.set("url", img.get("url"));
                    if (img.hasNonNull("detail")) {
                        url.set("detail", img.get("detail"));
                    }
                }
            } else {
                call.dropped(
                        "messages[" + i + "].content[type=" + type + "]", "cohere accepts text and image_url parts");
            }
        }
        return parts;
    }

    private static void tools(JsonNode tools, Set<String> restrictTo, ObjectNode out, ProviderCall call) {
        ArrayNode outTools = Json.array();
        boolean strict = false;
        for (JsonNode t : tools) {
            if (!"function".equals(t.path("type").asText())) {
                call.dropped("tools[type=" + t.path("type").asText() + "]", "cohere supports function tools only");
                continue;
            }
            JsonNode fn = t.path("function");
            String name = fn.path("name").asText();
            if (restrictTo != null && !restrictTo.contains(name)) {
                continue;
            }
            ObjectNode o = outTools.addObject();
            o.put("type", "function");
            ObjectNode f = o.putObject("function");
            f.put("name", name);
            if (fn.hasNonNull("description")) {
                f.set("description", fn.get("description"));
            }
            f.set(
                    "parameters",
                    fn.hasNonNull("parameters")
                            ? fn.get("parameters")
                            : Json.object().put("type", "object"));
            strict |= fn.path("strict").asBoolean(false);
        }
        if (!outTools.isEmpty()) {
            out.set("tools", outTools);
        }
        if (strict && !out.has("strict_tools")) {
            out.put("strict_tools", true);
            call.note("set strict_tools: a tool was strict (cohere has no per-tool strict)");
        }
    }

    /** Maps tool_choice; returns the tool names to keep when a choice names tools, else null. */
    private static Set<String> toolChoice(JsonNode v, ObjectNode out, ProviderCall call) {
        if (v.isTextual()) {
            switch (v.asText()) {
                case "required" -> out.put("tool_choice", "REQUIRED");
                case "none" -> out.put("tool_choice", "NONE");
                case "auto" -> {}
                default -> call.dropped("tool_choice", "unknown value " + v.asText());
            }
            return null;
        }
        String type = v.path("type").asText();
        if ("function".equals(type)) {
            String name = v.path("function").path("name").asText();
            out.put("tool_choice", "REQUIRED");
            call.note("tool_choice names " + name + ": cohere cannot name a tool, sent only that tool with REQUIRED");
            return Set.of(name);
        }
        if ("allowed_tools".equals(type)) {
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode t : v.path("allowed_tools").path("tools")) {
                names.add(t.path("function").path("name").asText(t.path("name").asText()));
            }
            if ("required".equals(v.path("allowed_tools").path("mode").asText())) {
                out.put("tool_choice", "REQUIRED");
            }
            call.note("tool_choice allowed_tools: sent only the allowed tools to cohere");
            return names;
        }
        call.dropped("tool_choice", "cohere cannot express tool_choice type " + type);
        return null;
    }

    private static void responseFormat(JsonNode v, ObjectNode out, ProviderCall call) {
        String type = v.path("type").asText();
        switch (type) {
            case "text" -> out.putObject("response_format").put("type", "text");
            case "json_object" -> out.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode rf = out.putObject("response_format");
                rf.put("type", "json_object");
                JsonNode schema = v.path("json_schema").get("schema");
                if (schema != null && schema.isObject()) {
                    rf.set("json_schema", schema);
                }
                call.note("mapped response_format json_schema to cohere json_object with json_schema");
            }
            default -> call.dropped("response_format", "cohere cannot express type " + type);
        }
    }

    private static double clamp(ProviderCall call, String field, JsonNode v, double min, double max) {
        double d = v.asDouble();
        double c = Math.max(min, Math.min(max, d));
        if (c != d) {
            call.note(
                    "clamped " + field + " from " + v.asText() + " to " + c + ": cohere's range is " + min + "-" + max);
        }
        return c;
    }
}
