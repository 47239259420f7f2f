package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.DataUrl;
import dev.switchboard.providers.common.ToolArguments;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps an OpenAI chat request to a Gemini {@code GenerateContentRequest} (PROVIDERS.md §5.3); the
 * Gemini API and Vertex AI take the same body.
 *
 * <pre>{@code
 * ObjectNode body = GeminiRequestMapper.map(call, signatures);
 * }</pre>
 */
final class GeminiRequestMapper {
    private static final Set<String> MAPPED = Set.of(
            "model",
            "messages",
            "stream",
            "stream_options",
            "max_tokens",
            "max_completion_tokens",
            "temperature",
            "top_p",
            "top_k",
            "stop",
            "n",
            "seed",
            "presence_penalty",
            "frequency_penalty",
            "logprobs",
            "top_logprobs",
            "response_format",
            "tools",
            "tool_choice",
            "reasoning_effort",
            "safety_settings");

    /** Gemini 2.5 thinking budgets for {@code reasoning_effort} (0 turns thinking off where allowed). */
    private static final Map<String, Integer> THINKING_BUDGET =
            Map.of("none", 0, "minimal", 512, "low", 1024, "medium", 8192, "high", 24576, "xhigh", 32768, "max", 32768);

    private GeminiRequestMapper() {}

    static ObjectNode map(ProviderCall call, ThoughtSignatures signatures) {
        ObjectNode in = call.body();
        ObjectNode out = Json.object();
        List<String> system = new ArrayList<>();
        out.set("contents", contents(call, in.path("messages"), system, signatures));
        if (!system.isEmpty()) {
            out.putObject("systemInstruction").putArray("parts").addObject().put("text", String.join("\n\n", system));
        }
        tools(call, in, out);
        ObjectNode gen = generationConfig(call, in);
        if (!gen.isEmpty()) {
            out.set("generationConfig", gen);
        }
        if (in.path("safety_settings").isArray()) {
            out.set("safetySettings", in.get("safety_settings").deepCopy());
        }
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!MAPPED.contains(field)) {
                call.dropped(field, "not supported by " + call.providerId());
            }
        }
        return out;
    }

    // ---- contents ----------------------------------------------------------------------------

    private static ArrayNode contents(
            ProviderCall call, JsonNode messages, List<String> system, ThoughtSignatures signatures) {
        if (!messages.isArray()) {
            throw new ProviderException("messages: expected an array");
        }
        Map<String, String> toolNames = new HashMap<>();
        for (JsonNode m : messages) {
            for (JsonNode tc : m.path("tool_calls")) {
                toolNames.put(
                        tc.path("id").asText(), tc.path("function").path("name").asText());
            }
        }
        ArrayNode contents = Json.array();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            String role = m.path("role").asText("");
            switch (role) {
                case "system", "developer" -> system.add(text(m.get("content"), where));
                case "user" -> append(contents, "user", userParts(call, m.get("content"), where));
                case "assistant" -> append(contents, "model", modelParts(m, where, signatures));
                case "tool" -> append(contents, "user", List.of(functionResponse(m, where, toolNames)));
                default ->
                    throw new ProviderException(where + ".role: unsupported role '" + role
                            + "' (expected system, developer, user, assistant or tool)");
            }
        }
        if (contents.isEmpty()) {
            throw new ProviderException(
                    "messages: at least one user or assistant message is required by " + call.providerId());
        }
        return contents;
    }

    /** Gemini wants alternating turns: a message with the previous turn's role joins that turn. */
    private static void append(ArrayNode contents, String role, List<ObjectNode> parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        ArrayNode target;
        if (last != null && role.equals(last.path("role").asText())) {
            target = (ArrayNode) last.get("parts");
        } else {
            ObjectNode c = contents.addObject().put("role", role);
            target = c.putArray("parts");
        }
        parts.forEach(target::add);
    }

    /** Text of a string or an array of text parts. */
    private static String text(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new ProviderException(where + ".content: expected a string or an array of parts");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.has("text")) {
                sb.append(part.path("text").asText());
            }
        }
        return sb.toString();
    }

    private static List<ObjectNode> userParts(ProviderCall call, JsonNode content, String where) {
        List<ObjectNode> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            parts.add(Json.object().put("text", content.asText()));
            return parts;
        }
        if (!content.isArray()) {
            throw new ProviderException(where + ".content: expected a string or an array of parts");
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partWhere = where + ".content[" + j + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "text" ->
                    parts.add(Json.object().put("text", part.path("text").asText()));
                case "image_url" -> {
                    JsonNode iu = part.path("image_url");
                    ObjectNode p = media(
                            call, iu.isTextual() ? iu.asText() : iu.path("url").asText(""), partWhere);
                    if (p != null) {
                        parts.add(p);
                    }
                }
                case "input_audio" -> {
                    String format = part.path("input_audio").path("format").asText("wav");
                    ObjectNode p = Json.object();
                    p.putObject("inlineData")
                            .put("mimeType", "audio/" + format)
                            .put("data", part.path("input_audio").path("data").asText());
                    parts.add(p);
                }
                case "file" -> {
                    DataUrl data =
                            DataUrl.parse(part.path("file").path("file_data").asText(null));
                    if (data == null) {
                        call.dropped(
                                partWhere,
                                call.providerId()
                                        + " needs file_data as a base64 data URL (file_id is OpenAI storage)");
                    } else {
                        ObjectNode p = Json.object();
                        p.putObject("inlineData")
                                .put("mimeType", data.mediaType())
                                .put("data", data.data());
                        parts.add(p);
                    }
                }
                default ->
                    call.dropped(
                            partWhere, "content part type '" + type + "' is not supported by " + call.providerId());
            }
        }
        return parts;
    }

    /**
     * A data URL becomes {@code inlineData}; {@code gs://}, Gemini File API and YouTube URIs become
     * {@code fileData}. Gemini cannot fetch arbitrary web URLs and the gateway does not download
     * them, so such an image is dropped and recorded.
     */
    private static ObjectNode media(ProviderCall call, String url, String where) {
        if (url.isEmpty()) {
            throw new ProviderException(where + ".image_url.url: required");
        }
        DataUrl data = DataUrl.parse(url);
        ObjectNode p = Json.object();
        if (data != null) {
            p.putObject("inlineData").put("mimeType", data.mediaType()).put("data", data.data());
            return p;
        }
        if (isFileUri(url)) {
            p.putObject("fileData").put("mimeType", mimeTypeOf(url)).put("fileUri", url);
            return p;
        }
        call.dropped(
                where,
                call.providerId() + " only accepts data URLs, gs://, File API and YouTube URIs; "
                        + "web URLs are not fetched by the gateway");
        return null;
    }

    private static boolean isFileUri(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.startsWith("gs://")
                || u.startsWith("https://generativelanguage.googleapis.com/")
                || u.startsWith("https://www.youtube.com/")
                || u.startsWith("https://youtube.com/")
                || u.startsWith("https://youtu.be/");
    }

    private static String mimeTypeOf(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q);
        }
        if (u.contains("youtube.com/") || u.contains("youtu.be/") || u.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (u.endsWith(".png")) {
            return "image/png";
        }
        if (u.endsWith(".webp")) {
            return "image/webp";
        }
        if (u.endsWith(".gif")) {
            return "image/gif";
        }
        if (u.endsWith(".pdf")) {
            return "application/pdf";
        }
        return "image/jpeg";
    }

    private static List<ObjectNode> modelParts(JsonNode m, String where, ThoughtSignatures signatures) {
        List<ObjectNode> parts = new ArrayList<>();
        String t = text(m.get("content"), where);
        if (!t.isEmpty()) {
            parts.add(Json.object().put("text", t));
        }
        JsonNode calls = m.path("tool_calls");
        for (int j = 0; j < calls.size(); j++) {
            JsonNode tc = calls.get(j);
            String tcWhere = where + ".tool_calls[" + j + "]";
            String name = tc.path("function").path("name").asText("");
            if (name.isEmpty()) {
                throw new ProviderException(tcWhere + ".function.name: required");
            }
            ObjectNode p = Json.object();
            p.putObject("functionCall")
                    .put("name", name)
                    .set(
                            "args",
                            ToolArguments.parse(
                                    tc.path("function").path("arguments"), tcWhere + ".function.arguments"));
            String signature = signatures.get(tc.path("id").asText(""));
            if (signature != null) {
                p.put("thoughtSignature", signature);
            }
            parts.add(p);
        }
        return parts;
    }

    private static ObjectNode functionResponse(JsonNode m, String where, Map<String, String> toolNames) {
        String id = m.path("tool_call_id").asText("");
        String name = toolNames.get(id);
        if (name == null || name.isEmpty()) {
            name = m.path("name").asText("");
        }
        if (name.isEmpty()) {
            throw new ProviderException(where + ".tool_call_id: '" + id + "' matches no earlier assistant tool call"
                    + " (Gemini needs the function name)");
        }
        String content = text(m.get("content"), where);
        JsonNode parsed = null;
        try {
            parsed = content.isBlank() ? null : Json.parse(content);
        } catch (IllegalArgumentException notJson) {
            // plain-text results are wrapped below
        }
        ObjectNode response;
        if (parsed != null && parsed.isObject()) {
            response = (ObjectNode) parsed;
        } else {
            response = Json.object();
            if (parsed != null) {
                response.set("result", parsed);
            } else {
                response.put("result", content);
            }
        }
        ObjectNode p = Json.object();
        p.putObject("functionResponse").put("name", name).set("response", response);
        return p;
    }

    // ---- tools and generation config ----------------------------------------------------------

    private static void tools(ProviderCall call, ObjectNode in, ObjectNode out) {
        JsonNode tools = in.path("tools");
        ArrayNode declarations = Json.array();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            if (!"function".equals(t.path("type").asText("function"))) {
                call.dropped(
                        "tools[" + i + "]",
                        "tool type '" + t.path("type").asText() + "' is not supported by " + call.providerId());
                continue;
            }
            JsonNode fn = t.path("function");
            String name = fn.path("name").asText("");
            if (name.isEmpty()) {
                throw new ProviderException("tools[" + i + "].function.name: required");
            }
            ObjectNode d = declarations.addObject().put("name", name);
            if (fn.hasNonNull("description")) {
                d.put("description", fn.get("description").asText());
            }
            if (fn.path("parameters").isObject()) {
                d.set(
                        "parametersJsonSchema",
                        GeminiSchemas.clean(fn.get("parameters"), GeminiSchemas.FUNCTION_PARAMETERS));
            }
        }
        if (!declarations.isEmpty()) {
            out.putArray("tools").addObject().set("functionDeclarations", declarations);
        }
        JsonNode tc = in.get("tool_choice");
        if (tc == null || tc.isNull()) {
            return;
        }
        if (declarations.isEmpty()) {
            call.dropped("tool_choice", "no function tools were given");
            return;
        }
        ObjectNode fcc = Json.object();
        if (tc.isTextual()) {
            fcc.put(
                    "mode",
                    switch (tc.asText()) {
                        case "auto" -> "AUTO";
                        case "none" -> "NONE";
                        case "required" -> "ANY";
                        default ->
                            throw new ProviderException("tool_choice: unknown value '" + tc.asText()
                                    + "' (expected auto, none, required or a function)");
                    });
        } else if ("function".equals(tc.path("type").asText())) {
            String name = tc.path("function").path("name").asText("");
            if (name.isEmpty()) {
                throw new ProviderException("tool_choice.function.name: required");
            }
            fcc.put("mode", "ANY").putArray("allowedFunctionNames").add(name);
        } else if ("allowed_tools".equals(tc.path("type").asText())) {
            JsonNode allowed = tc.path("allowed_tools");
            boolean required = "required".equals(allowed.path("mode").asText("auto"));
            fcc.put("mode", required ? "ANY" : "AUTO");
            if (required) {
                ArrayNode names = fcc.putArray("allowedFunctionNames");
                allowed.path("tools")
                        .forEach(t -> names.add(t.path("function").path("name").asText()));
            } else {
                call.dropped(
                        "tool_choice.allowed_tools.tools",
                        call.providerId() + " restricts function names only in ANY mode");
            }
        } else {
            throw new ProviderException(
                    "tool_choice: type '" + tc.path("type").asText() + "' is not supported by " + call.providerId());
        }
        out.putObject("toolConfig").set("functionCallingConfig", fcc);
    }

    private static ObjectNode generationConfig(ProviderCall call, ObjectNode in) {
        ObjectNode gen = Json.object();
        JsonNode max = in.hasNonNull("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt() || max.asInt() < 1) {
                throw new ProviderException("max_tokens: expected a positive integer, found " + max);
            }
            gen.put("maxOutputTokens", max.asInt());
        }
        copyNumber(in, "temperature", gen, "temperature");
        copyNumber(in, "top_p", gen, "topP");
        copyNumber(in, "top_k", gen, "topK");
        copyNumber(in, "seed", gen, "seed");
        copyNumber(in, "presence_penalty", gen, "presencePenalty");
        copyNumber(in, "frequency_penalty", gen, "frequencyPenalty");
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            gen.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            ArrayNode seqs = gen.putArray("stopSequences");
            stop.forEach(s -> seqs.add(s.asText()));
        }
        if (in.path("n").asInt(1) > 1) {
            gen.put("candidateCount", in.get("n").asInt());
        }
        if (in.path("logprobs").asBoolean(false)) {
            gen.put("responseLogprobs", true);
            if (in.path("top_logprobs").isInt()) {
                gen.put("logprobs", in.get("top_logprobs").asInt());
            }
        }
        responseFormat(call, in.get("response_format"), gen);
        thinking(call, in, gen);
        return gen;
    }

    private static void copyNumber(ObjectNode in, String from, ObjectNode out, String to) {
        JsonNode v = in.get(from);
        if (v != null && v.isNumber()) {
            out.set(to, v.deepCopy());
        }
    }

    private static void responseFormat(ProviderCall call, JsonNode rf, ObjectNode gen) {
        if (rf == null || rf.isNull()) {
            return;
        }
        switch (rf.path("type").asText("")) {
            case "text" -> {}
            case "json_object" -> gen.put("responseMimeType", "application/json");
            case "json_schema" -> {
                JsonNode schema = rf.path("json_schema").path("schema");
                if (!schema.isObject()) {
                    throw new ProviderException("response_format.json_schema.schema: required object");
                }
                gen.put("responseMimeType", "application/json");
                gen.set("responseJsonSchema", GeminiSchemas.clean(schema, GeminiSchemas.RESPONSE_SCHEMA));
                call.note("response_format json_schema sent as generationConfig.responseJsonSchema");
            }
            default ->
                throw new ProviderException("response_format.type: unknown value '"
                        + rf.path("type").asText() + "'");
        }
    }

    private static void thinking(ProviderCall call, ObjectNode in, ObjectNode gen) {
        if (!in.hasNonNull("reasoning_effort")) {
            return;
        }
        String effort = in.get("reasoning_effort").asText();
        Integer budget = THINKING_BUDGET.get(effort);
        if (budget == null) {
            throw new ProviderException("reasoning_effort: unknown value '" + effort + "'");
        }
        String model = in.path("model").asText("");
        if (model.startsWith("gemini-3")) {
            // Gemini 3 takes a level, not a budget, and cannot switch thinking off.
            String level =
                    switch (effort) {
                        case "none", "minimal" -> "MINIMAL";
                        case "low" -> "LOW";
                        case "medium" -> "MEDIUM";
                        default -> "HIGH";
                    };
            gen.putObject("thinkingConfig").put("thinkingLevel", level);
            call.note("reasoning_effort " + effort + " mapped to thinkingConfig.thinkingLevel " + level);
        } else {
            gen.putObject("thinkingConfig").put("thinkingBudget", budget);
            call.note("reasoning_effort " + effort + " mapped to thinkingConfig.thinkingBudget " + budget);
        }
    }
}
