package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;

/**
 * {@code default.sentenceCount}: passes when the number of sentences is within
 * [{@code minSentences} (0), {@code maxSentences} (99999)] (any numbers); {@code not} inverts.
 * As Portkey counts: every {@code .}, {@code !} and {@code ?} ends a sentence, so "Hi. Bye!" has 2,
 * "Wait..." has 3 and a text without them has 0. An empty text has 0 sentences (not an error).
 *
 * <pre>{@code {"id": "default.sentenceCount", "parameters": {"minSentences": 1, "maxSentences": 3}}}</pre>
 */
public final class SentenceCountCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.sentenceCount";
    }

    /** Reads and checks {@code minSentences}, {@code maxSentences} and {@code not} once. */
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
        return RangeCheck.read(id(), parameters, "minSentences", "maxSentences", 99999, false);
    }

    /** {@code text.split(/[.!?]/).length - 1}: the number of sentence terminators. */
    static long count(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '!' || c == '?') {
                n++;
            }
        }
        return n;
    }

    private static CheckOutcome evaluate(CheckContext context, RangeCheck range) {
        String text = PortkeyText.text(context);
        long count = count(text);
        boolean verdict = range.verdict(count);
        String min = RangeCheck.number(range.min());
        String max = RangeCheck.number(range.max());
        boolean inRange = verdict != range.not();
        ObjectNode data = Json.object();
        data.put("sentenceCount", count);
        RangeCheck.put(data, "minCount", range.min());
        RangeCheck.put(data, "maxCount", range.max());
        data.put("not", range.not());
        data.put("verdict", verdict);
        data.put(
                "explanation",
                "The sentence count (" + count + ") is " + (inRange ? "within" : "outside")
                        + " the specified range of " + min + " to " + max
                        + (range.not() ? (verdict ? " as expected." : " when it should not be.") : "."));
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
