package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

/**
 * {@code default.characterCount}: passes when the text's length is within
 * [{@code minCharacters} (0), {@code maxCharacters} (9999999)] (integers); {@code not} inverts.
 * The length is JavaScript's {@code .length}, in UTF-16 units, as Portkey counts: an emoji outside
 * the BMP counts 2, whitespace counts. An empty text is an error ("Missing text to analyze").
 *
 * <pre>{@code {"id": "default.characterCount", "parameters": {"minCharacters": 0, "maxCharacters": 280}}}</pre>
 */
public final class CharacterCountCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.characterCount";
    }

    /** Reads and checks {@code minCharacters}, {@code maxCharacters} and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        RangeCheck range = read(parameters);
        return context -> evaluate(context, range);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private RangeCheck read(ObjectNode parameters) {
        return RangeCheck.read(id(), parameters, "minCharacters", "maxCharacters", 9_999_999, true);
    }

    private static CheckOutcome evaluate(CheckContext context, RangeCheck range) {
        String text = PortkeyText.text(context);
        if (text.isEmpty()) {
            throw new IllegalStateException("Missing text to analyze");
        }
        long count = text.length();
        boolean verdict = range.verdict(count);
        boolean inRange = verdict != range.not();
        String bounds = RangeCheck.number(range.min()) + "-" + RangeCheck.number(range.max());
        ObjectNode data = Json.object();
        data.put("characterCount", count);
        RangeCheck.put(data, "minCharacters", range.min());
        RangeCheck.put(data, "maxCharacters", range.max());
        data.put("not", range.not());
        data.put("verdict", verdict);
        data.put(
                "explanation",
                "The text contains " + count + " characters, which is " + (inRange ? "within" : "outside")
                        + " the specified range of " + bounds + " characters"
                        + (range.not() ? (verdict ? " as expected." : " when it should not be.") : "."));
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
