package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.Set;

/**
 * {@code default.notNull} (after-request): passes when the answer's content is not missing, null,
 * empty or whitespace only (JavaScript's whitespace); {@code not} inverts. As in Portkey, content
 * that is neither text nor null (an array or object where a string belongs) is an error.
 *
 * <pre>{@code {"id": "default.notNull", "parameters": {}}}</pre>
 */
public final class NotNullCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.notNull";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    /** Reads {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        boolean not = read(parameters);
        return context -> evaluate(context, not);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private boolean read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "not");
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return not;
    }

    private static CheckOutcome evaluate(CheckContext context, boolean not) {
        PortkeyText.Part part = PortkeyText.current(context);
        JsonNode content = part.content();
        boolean isNull = content.isNull()
                || content.isMissingNode()
                || (content.isTextual() && JsText.trim(content.textValue()).isEmpty())
                || (content.isArray() && content.isEmpty())
                || part.texts().stream().allMatch(NotNullCheck::blank);
        boolean verdict = isNull == not;
        ObjectNode data = Json.object();
        data.put("isNull", isNull);
        data.put(
                "contentType",
                content.isNull()
                        ? "null"
                        : content.isMissingNode()
                                ? "undefined"
                                : content.isTextual()
                                        ? "string"
                                        : content.isNumber() ? "number" : content.isBoolean() ? "boolean" : "object");
        data.put("textArrayLength", part.texts().size());
        data.put("explanation", isNull ? "Content is null, undefined, or empty." : "Content exists and is not null.");
        data.put("verdict", verdict ? "passed" : "failed");
        return CheckOutcome.of(verdict, data);
    }

    /** {@code !text || text.trim() === ''}; a truthy value that is not a string has no trim (an error, as in Portkey). */
    private static boolean blank(JsonNode text) {
        if (!JsText.truthy(text)) {
            return true;
        }
        if (!text.isTextual()) {
            throw new IllegalStateException(
                    "text.trim is not a function: the content is a " + ParameterReader.kind(text));
        }
        return JsText.trim(text.textValue()).isEmpty();
    }
}
