package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;

/**
 * {@code default.alllowercase}: passes when every letter of the text is lower case (digits,
 * punctuation and whitespace are ignored; any script's letters count); {@code not} inverts.
 *
 * <pre>{@code {"id": "default.alllowercase", "parameters": {"not": false}}}</pre>
 */
public final class AllLowercaseCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.alllowercase";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return LetterCase.check(context, parameters, false);
    }
}
