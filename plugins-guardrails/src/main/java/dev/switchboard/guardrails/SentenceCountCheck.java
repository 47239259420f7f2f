package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import java.util.regex.Pattern;

/**
 * {@code default.sentenceCount}: passes when the number of sentences is within
 * [{@code minSentences} (0), {@code maxSentences} (99999)]; {@code not} inverts. Sentences are the
 * non-blank pieces between {@code .}, {@code !} and {@code ?} (Portkey's count), so "Hi. Bye!" has 2.
 *
 * <pre>{@code {"id": "default.sentenceCount", "parameters": {"minSentences": 1, "maxSentences": 3}}}</pre>
 */
public final class SentenceCountCheck implements GuardrailCheck {
    private static final Pattern TERMINATORS = Pattern.compile("[.!?]");

    @Override
    public String id() {
        return "default.sentenceCount";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        RangeCheck range = RangeCheck.read(parameters, "minSentences", 0, "maxSentences", 99999);
        boolean not = Params.bool(parameters, "not", false);
        long count = count(context.text());
        ObjectNode data = Explanations.of(range.describe(count, "sentences"));
        data.put("sentenceCount", count);
        range.into(data);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(range.contains(count), not), data);
    }

    static long count(String text) {
        return TERMINATORS.splitAsStream(text).filter(s -> !s.isBlank()).count();
    }
}
