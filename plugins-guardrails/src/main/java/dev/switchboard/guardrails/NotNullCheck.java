package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
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

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        boolean not = Params.bool(parameters, "not", false);
        boolean present = !context.text().isBlank();
        ObjectNode data = Explanations.of(present ? "The response has content." : "The response content is empty or missing.");
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(present, not), data);
    }
}
