package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import java.util.regex.Pattern;

/**
 * {@code default.wordCount}: passes when the whitespace-separated word count is within
 * [{@code minWords} (0), {@code maxWords} (99999)]; {@code not} inverts. Bounds must be non-negative
 * integers with min &lt;= max, checked when the gateway is built. A blank text has 0 words.
 *
 * <pre>{@code {"id": "default.wordCount", "parameters": {"minWords": 5, "maxWords": 50}}}</pre>
 */
public final class WordCountCheck implements GuardrailCheck {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    @Override
    public String id() {
        return "default.wordCount";
    }

    /** Reads and checks {@code minWords}, {@code maxWords} and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Counting counting = Counting.read(id(), parameters, "minWords", "maxWords", 99999);
        return context -> counting.outcome(count(context.text()), "words", "wordCount");
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return Counting.read(id(), parameters, "minWords", "maxWords", 99999)
                .outcome(count(context.text()), "words", "wordCount");
    }

    static long count(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : WHITESPACE.split(trimmed).length;
    }
}
