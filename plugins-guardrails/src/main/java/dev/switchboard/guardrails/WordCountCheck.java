package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

/**
 * {@code default.wordCount}: passes when the word count is within [{@code minWords} (0),
 * {@code maxWords} (99999)] (integers); {@code not} inverts. As Portkey counts: the text is trimmed
 * with JavaScript's {@code trim()} and split on runs of JavaScript whitespace ({@code \s}, which
 * includes no-break and other Unicode spaces). A text that is empty after trimming is an error
 * ("Missing text to analyze"), as in Portkey.
 *
 * <pre>{@code {"id": "default.wordCount", "parameters": {"minWords": 5, "maxWords": 50}}}</pre>
 */
public final class WordCountCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.wordCount";
    }

    /** Reads and checks {@code minWords}, {@code maxWords} and {@code not} once. */
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
        return RangeCheck.read(id(), parameters, "minWords", "maxWords", 99999, true);
    }

    /** {@code text.trim().split(/\s+/).length}, or 0 for a blank text. */
    static long count(String text) {
        String trimmed = JsText.trim(text);
        return trimmed.isEmpty() ? 0 : JsText.splitOnWhitespaceCount(trimmed);
    }

    private static CheckOutcome evaluate(CheckContext context, RangeCheck range) {
        String text = JsText.trim(PortkeyText.text(context));
        if (text.isEmpty()) {
            throw new IllegalStateException("Missing text to analyze");
        }
        long count = JsText.splitOnWhitespaceCount(text);
        boolean verdict = range.verdict(count);
        boolean inRange = verdict != range.not();
        String bounds = RangeCheck.number(range.min()) + "-" + RangeCheck.number(range.max());
        ObjectNode data = Json.object();
        data.put("wordCount", count);
        RangeCheck.put(data, "minWords", range.min());
        RangeCheck.put(data, "maxWords", range.max());
        data.put("not", range.not());
        data.put("verdict", verdict);
        data.put(
                "explanation",
                "The text contains " + count + " words, which is " + (inRange ? "within" : "outside")
                        + " the specified range of " + bounds + " words"
                        + (range.not() ? (verdict ? " as expected." : " when it should not be.") : "."));
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
