package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.Set;

/**
 * {@code default.notNull} (after-request): passes when the answer's text is not missing, empty or
 * whitespace only; {@code not} inverts.
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
        boolean present = !context.text().isBlank();
        ObjectNode data = Explanations.of(present ? "The response has content." : "The response content is empty or missing.");
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(present, not), data);
    }
}
