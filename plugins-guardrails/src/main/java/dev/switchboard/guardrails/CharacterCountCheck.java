package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;

/**
 * {@code default.characterCount}: passes when the text length is within
 * [{@code minCharacters} (0), {@code maxCharacters} (9999999)]; {@code not} inverts. Length counts
 * Unicode code points, so an emoji is one character (Portkey counts UTF-16 units, i.e. two).
 *
 * <pre>{@code {"id": "default.characterCount", "parameters": {"maxCharacters": 280}}}</pre>
 */
public final class CharacterCountCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.characterCount";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        RangeCheck range = RangeCheck.read(parameters, "minCharacters", 0, "maxCharacters", 9_999_999);
        boolean not = Params.bool(parameters, "not", false);
        String text = context.text();
        long count = text.codePointCount(0, text.length());
        ObjectNode data = Explanations.of(range.describe(count, "characters"));
        data.put("characterCount", count);
        range.into(data);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(range.contains(count), not), data);
    }
}
