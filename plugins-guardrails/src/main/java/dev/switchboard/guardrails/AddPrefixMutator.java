package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.List;
import java.util.Set;

/**
 * {@code default.addPrefix} (before-request mutator): prepends {@code prefix} to the request.
 * Chat: the target is the first {@code system} message or the last message of another
 * {@code applyToRole} ({@code user} by default). With {@code addToExisting} (default) the prefix is
 * prepended to the target's text; otherwise a new message holding the prefix is inserted before it.
 * Without a target a new message is inserted (system: first, others: last). {@code onlyIfEmpty}
 * applies the prefix only when no message of that role exists. Completions: prepended to
 * {@code prompt}. Verdict is always true.
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
        ParameterReader p = new ParameterReader(id(), parameters, "prefix", "applyToRole", "addToExisting", "onlyIfEmpty");
        String prefix = p.requiredString("prefix");
        String role = p.oneOf("applyToRole", "user", List.of("system", "user", "assistant", "developer"));
        boolean addToExisting = p.bool("addToExisting", true);
        boolean onlyIfEmpty = p.bool("onlyIfEmpty", false);
        p.throwIfInvalid();
        return new Settings(prefix, role, addToExisting, onlyIfEmpty);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        String prefix = settings.prefix();
        String role = settings.role();
        boolean addToExisting = settings.addToExisting();
        boolean onlyIfEmpty = settings.onlyIfEmpty();
        ObjectNode request = context.request();
        if (request == null) {
            return CheckOutcome.pass(Explanations.of("No request body to prefix."));
        }
        if (context.endpoint() == Endpoint.COMPLETIONS) {
            if (onlyIfEmpty && !request.path("prompt").asText("").isEmpty()) {
                return CheckOutcome.pass(Explanations.of("The prompt is not empty; prefix not added (onlyIfEmpty)."));
            }
            ObjectNode copy = request.deepCopy();
            copy.put("prompt", prefix + request.path("prompt").asText(""));
            return CheckOutcome.pass(Explanations.of("Prefix added to the prompt.")).withTransformedRequest(copy);
        }
        if (context.endpoint() != Endpoint.CHAT_COMPLETIONS || !request.path("messages").isArray()) {
            return CheckOutcome.pass(Explanations.of("Request type '" + context.endpoint().portkeyName()
                    + "' has no messages or prompt; nothing prefixed."));
        }
        ObjectNode copy = request.deepCopy();
        ArrayNode messages = (ArrayNode) copy.get("messages");
        int target = target(messages, role);
        if (target >= 0 && onlyIfEmpty) {
            return CheckOutcome.pass(Explanations.of("A " + role + " message exists; prefix not added (onlyIfEmpty)."));
        }
        String explanation;
        if (target < 0) {
            ObjectNode msg = messages.objectNode().put("role", role).put("content", prefix);
            if (role.equals("system")) {
                messages.insert(0, msg);
            } else {
                messages.add(msg);
            }
            explanation = "No " + role + " message found; added one with the prefix.";
        } else if (addToExisting) {
            prepend((ObjectNode) messages.get(target), prefix);
            explanation = "Prefix added to the " + role + " message.";
        } else {
            messages.insert(target, messages.objectNode().put("role", role).put("content", prefix));
            explanation = "Prefix inserted as a new " + role + " message.";
        }
        ObjectNode data = Explanations.of(explanation);
        data.put("applyToRole", role);
        return CheckOutcome.pass(data).withTransformedRequest(copy);
    }

    private static int target(ArrayNode messages, String role) {
        if (role.equals("system")) {
            for (int i = 0; i < messages.size(); i++) {
                if (role.equals(messages.get(i).path("role").asText())) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (role.equals(messages.get(i).path("role").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static void prepend(ObjectNode message, String prefix) {
        JsonNode content = message.path("content");
        if (content.isArray()) {
            ArrayNode parts = (ArrayNode) content;
            for (JsonNode p : parts) {
                if (p.isObject() && p.path("text").isTextual()) {
                    ((ObjectNode) p).put("text", prefix + p.get("text").asText());
                    return;
                }
            }
            parts.insert(0, parts.objectNode().put("type", "text").put("text", prefix));
        } else {
            message.put("content", prefix + content.asText(""));
        }
    }
}
