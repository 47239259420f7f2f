package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code default.addPrefix} (before-request mutator), as Portkey's handler: prepends {@code prefix}
 * (a non-empty string, required). Chat: the target is the first message whose role is
 * {@code applyToRole} ({@code user}). With {@code addToExisting} (true) the prefix goes in front of
 * the target's text (for the last message: in front of its first content part's text, or the string;
 * for an earlier one: in front of its first part when that is a text part, else as a new first text
 * part); with {@code addToExisting: false} a new message holding the prefix is inserted before the
 * target. Without a target a message is added: first for {@code system}, last otherwise.
 * {@code onlyIfEmpty: true} leaves a target whose content is not blank alone. Completions: in front
 * of {@code prompt} (its first element for an array). Other endpoints are left alone. The verdict is
 * always true; a request without a body is an error.
 *
 * <pre>{@code {"id": "default.addPrefix", "parameters": {"prefix": "Answer briefly. ", "applyToRole": "user"}}}</pre>
 */
public final class AddPrefixMutator implements GuardrailCheck {
    @Override
    public String id() {
        return "default.addPrefix";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    /** The prepared parameters. */
    private record Settings(String prefix, String role, boolean addToExisting, boolean onlyIfEmpty) {}

    /** Reads {@code prefix}, {@code applyToRole}, {@code addToExisting} and {@code onlyIfEmpty} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Settings settings = read(parameters);
        return context -> evaluate(context, settings);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private Settings read(ObjectNode parameters) {
        ParameterReader p =
                new ParameterReader(id(), parameters, "prefix", "applyToRole", "addToExisting", "onlyIfEmpty");
        String prefix = p.requiredString("prefix");
        String role = p.has("applyToRole")
                        && p.get("applyToRole").isTextual()
                        && p.get("applyToRole").asText().isEmpty()
                ? "user"
                : p.oneOf("applyToRole", "user", List.of("system", "user", "assistant", "developer"));
        boolean addToExisting = p.strictBool("addToExisting", true);
        boolean onlyIfEmpty = p.strictBool("onlyIfEmpty", false);
        p.throwIfInvalid();
        return new Settings(prefix, role, addToExisting, onlyIfEmpty);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        Endpoint endpoint = context.endpoint();
        if (endpoint != Endpoint.CHAT_COMPLETIONS && endpoint != Endpoint.COMPLETIONS) {
            return CheckOutcome.pass(null);
        }
        ObjectNode request = context.request();
        if (request == null) {
            throw new IllegalStateException("Request JSON is empty or missing");
        }
        ObjectNode data = Json.object();
        data.put("prefix", settings.prefix());
        data.put("requestType", endpoint.portkeyName());
        data.put("applyToRole", settings.role());
        data.put("addToExisting", settings.addToExisting());
        data.put("onlyIfEmpty", settings.onlyIfEmpty());
        CheckOutcome outcome = CheckOutcome.pass(data);
        ObjectNode rewritten =
                endpoint == Endpoint.COMPLETIONS ? completion(context, settings.prefix()) : chat(context, settings);
        return rewritten == null ? outcome : outcome.withTransformedRequest(rewritten);
    }

    /** {@code addPrefixToCompletion}: the first text entry of the prompt gets the prefix. */
    private static ObjectNode completion(CheckContext context, String prefix) {
        PortkeyText.Part part = PortkeyText.current(context);
        if (part.contentFalsy()) {
            return null;
        }
        return PortkeyText.write(context, prefixed(part.texts(), prefix));
    }

    private static List<String> prefixed(List<JsonNode> texts, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            JsonNode t = texts.get(i);
            String s = t.isNull() || t.isMissingNode() ? null : JsText.string(t);
            out.add(i == 0 ? prefix + (s == null ? "" : s) : s);
        }
        return out;
    }

    /** {@code addPrefixToChatCompletion}. */
    private static ObjectNode chat(CheckContext context, Settings settings) {
        ObjectNode request = context.request();
        ObjectNode copy = request.deepCopy();
        ArrayNode messages = copy.path("messages").isArray() ? (ArrayNode) copy.get("messages") : copy.arrayNode();
        String prefix = settings.prefix();
        String role = settings.role();
        int target = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).isNull()) {
                throw new IllegalStateException("Error in addPrefix plugin: message " + i + " is null");
            }
            if (role.equals(messages.get(i).path("role").textValue())) {
                target = i;
                break;
            }
        }
        if (target < 0) {
            ObjectNode message = Json.object().put("role", role).put("content", prefix);
            if (role.equals("system")) {
                messages.insert(0, message);
            } else {
                messages.add(message);
            }
            copy.set("messages", messages);
            return copy;
        }
        JsonNode content = messages.get(target).path("content");
        boolean empty = (content.isTextual() && JsText.trim(content.textValue()).isEmpty())
                || (content.isArray() && content.isEmpty());
        if (settings.onlyIfEmpty() && !empty) {
            return request.deepCopy();
        }
        if (!settings.addToExisting()) {
            messages.insert(target, Json.object().put("role", role).put("content", prefix));
            copy.set("messages", messages);
            return copy;
        }
        if (target == messages.size() - 1) {
            // the last message goes through Portkey's getCurrentContentPart / setCurrentContentPart
            PortkeyText.Part part = PortkeyText.current(context);
            if (part.content().isNull()) {
                return null;
            }
            return PortkeyText.write(context, prefixed(part.texts(), prefix));
        }
        ObjectNode message = (ObjectNode) messages.get(target);
        JsonNode existing = message.get("content");
        if (existing == null || existing.isNull() || existing.isTextual()) {
            message.put("content", prefix + (existing == null || existing.isNull() ? "" : existing.textValue()));
        } else if (existing.isArray()) {
            ArrayNode parts = (ArrayNode) existing;
            if (!parts.isEmpty() && "text".equals(parts.get(0).path("type").textValue())) {
                JsonNode text = parts.get(0).get("text");
                ((ObjectNode) parts.get(0))
                        .put("text", prefix + (text == null || text.isNull() ? "" : JsText.string(text)));
            } else {
                parts.insert(0, Json.object().put("type", "text").put("text", prefix));
            }
        } else {
            message.put("content", prefix + JsText.string(existing));
        }
        return copy;
    }
}
