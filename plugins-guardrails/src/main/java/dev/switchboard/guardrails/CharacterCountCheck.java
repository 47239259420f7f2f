package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

/**
 * {@code default.characterCount}: passes when the text length is within
 * [{@code minCharacters} (0), {@code maxCharacters} (9999999)]; {@code not} inverts. Length counts
 * Unicode code points, so an emoji is one character (Portkey counts UTF-16 units, i.e. two).
 * Bounds are checked when the gateway is built.
 *
 * <pre>{@code {"id": "default.characterCount", "parameters": {"maxCharacters": 280}}}</pre>
 */
public final class CharacterCountCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.characterCount";
    }

    /** Reads and checks {@code minCharacters}, {@code maxCharacters} and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Counting counting = read(parameters);
        return context -> counting.outcome(count(context.text()), "characters", "characterCount");
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return read(parameters).outcome(count(context.text()), "characters", "characterCount");
    }

    private Counting read(ObjectNode parameters) {
        return Counting.read(id(), parameters, "minCharacters", "maxCharacters", 9_999_999);
    }

    private static long count(String text) {
        return text.codePointCount(0, text.length());
    }
}
