package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import java.util.regex.Pattern;

/**
 * {@code default.sentenceCount}: passes when the number of sentences is within
 * [{@code minSentences} (0), {@code maxSentences} (99999)]; {@code not} inverts. Sentences are the
 * non-blank pieces between {@code .}, {@code !} and {@code ?} (Portkey's count), so "Hi. Bye!" has 2.
 * Bounds are checked when the gateway is built.
 *
 * <pre>{@code {"id": "default.sentenceCount", "parameters": {"minSentences": 1, "maxSentences": 3}}}</pre>
 */
public final class SentenceCountCheck implements GuardrailCheck {
    private static final Pattern TERMINATORS = Pattern.compile("[.!?]");

    @Override
    public String id() {
        return "default.sentenceCount";
    }

    /** Reads and checks {@code minSentences}, {@code maxSentences} and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Counting counting = Counting.read(id(), parameters, "minSentences", "maxSentences", 99999);
        return context -> counting.outcome(count(context.text()), "sentences", "sentenceCount");
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return Counting.read(id(), parameters, "minSentences", "maxSentences", 99999)
                .outcome(count(context.text()), "sentences", "sentenceCount");
    }

    static long count(String text) {
        return TERMINATORS.splitAsStream(text).filter(s -> !s.isBlank()).count();
    }
}
