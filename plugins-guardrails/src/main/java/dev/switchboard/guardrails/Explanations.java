package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;

/**
 * Builds the {@code data} object checks return: always an {@code explanation} sentence, plus the
 * check-specific fields the caller adds.
 *
 * <pre>{@code
 * ObjectNode data = Explanations.of("The text has 12 words, within [0, 100].").put("wordCount", 12);
 * }</pre>
 */
public final class Explanations {
    private Explanations() {}

    /**
     * A {@code data} object holding only the explanation.
     *
     * @param explanation one sentence saying what the check found
     * @return a new object the caller adds its fields to
     */
    public static ObjectNode of(String explanation) {
        ObjectNode data = Json.object();
        data.put("explanation", explanation);
        return data;
    }

    /** "request" before the call, "response" after it. */
    static String side(dev.switchboard.spi.CheckContext context) {
        return context.event() == dev.switchboard.spi.HookEvent.BEFORE_REQUEST ? "request" : "response";
    }

    /**
     * Applies {@code not}: the verdict is the condition, inverted when {@code not} is set.
     *
     * @param condition what the check tested
     * @param not       the check's {@code not} parameter
     * @return the verdict
     */
    public static boolean verdict(boolean condition, boolean not) {
        return condition != not;
    }
}
