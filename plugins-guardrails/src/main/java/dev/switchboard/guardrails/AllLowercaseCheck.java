package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

/**
 * {@code default.alllowercase}: passes when the text has no upper-case ASCII letter (only A–Z and a–z
 * count, as in Portkey; digits, punctuation and other scripts are ignored); {@code not} inverts.
 * An empty text is an error.
 *
 * <pre>{@code {"id": "default.alllowercase", "parameters": {"not": false}}}</pre>
 */
public final class AllLowercaseCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.alllowercase";
    }

    /** Reads {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        boolean not = LetterCase.readNot(id(), parameters);
        return context -> LetterCase.check(context, not, false);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return LetterCase.check(context, LetterCase.readNot(id(), parameters), false);
    }
}
