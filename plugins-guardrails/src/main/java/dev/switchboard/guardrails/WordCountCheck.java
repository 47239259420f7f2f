package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import java.util.regex.Pattern;

/**
 * {@code default.wordCount}: passes when the whitespace-separated word count is within
 * [{@code minWords} (0), {@code maxWords} (99999)]; {@code not} inverts. Bounds must be integers.
 * A blank text has 0 words.
 *
 * <pre>{@code {"id": "default.wordCount", "parameters": {"minWords": 5, "maxWords": 50}}}</pre>
 */
public final class WordCountCheck implements GuardrailCheck {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    @Override
    public String id() {
        return "default.wordCount";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        RangeCheck range = RangeCheck.read(parameters, "minWords", 0, "maxWords", 99999);
        boolean not = Params.bool(parameters, "not", false);
        long count = count(context.text());
        ObjectNode data = Explanations.of(range.describe(count, "words"));
        data.put("wordCount", count);
        range.into(data);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(range.contains(count), not), data);
    }

    static long count(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : WHITESPACE.split(trimmed).length;
    }
}
