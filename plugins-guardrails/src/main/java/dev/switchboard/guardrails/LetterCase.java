package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;

/**
 * Shared logic of {@code default.alluppercase} / {@code default.alllowercase}, as Portkey tests it:
 * only the ASCII letters A–Z and a–z count ({@code str.replace(/[^a-zA-Z]/g, '')}), so "ÉTÉ" is
 * all lower case as well as all upper case, and a text without ASCII letters passes both. An empty
 * text is an error ("Missing text to analyze").
 */
final class LetterCase {
    private LetterCase() {}

    /** Reads {@code not}, the only parameter of the letter-case checks. */
    static boolean readNot(String checkId, ObjectNode parameters) {
        ParameterReader p = new ParameterReader(checkId, parameters, "not");
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return not;
    }

    static CheckOutcome check(CheckContext context, boolean not, boolean upper) {
        String text = PortkeyText.text(context);
        if (text.isEmpty()) {
            throw new IllegalStateException("Missing text to analyze");
        }
        boolean same = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
                same = false;
                break;
            }
        }
        boolean verdict = same != not;
        String wording = upper ? "uppercase" : "lowercase";
        String other = upper ? "lowercase" : "uppercase";
        ObjectNode data = Json.object();
        data.put("verdict", verdict);
        data.put("not", not);
        data.put(
                "explanation",
                verdict
                        ? not
                                ? "The text contains " + other + " characters as expected."
                                : "All alphabetic characters in the text are " + wording + "."
                        : not
                                ? "All alphabetic characters in the text are " + wording + " when they should not be."
                                : "The text contains " + other + " characters.");
        data.put("textExcerpt", JsText.excerpt(text));
        return CheckOutcome.of(verdict, data);
    }
}
