package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import java.util.Locale;

/** Shared logic of {@code default.alluppercase} / {@code default.alllowercase}: compares the letters only. */
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
        StringBuilder letters = new StringBuilder();
        context.text().codePoints().filter(Character::isLetter).forEach(letters::appendCodePoint);
        String l = letters.toString();
        boolean same = l.equals(upper ? l.toUpperCase(Locale.ROOT) : l.toLowerCase(Locale.ROOT));
        String wording = upper ? "upper case" : "lower case";
        ObjectNode data = Explanations.of(l.isEmpty()
                ? "The text has no letters, so it is trivially all " + wording + "."
                : same ? "All letters of the text are " + wording + "."
                : "Some letters of the text are not " + wording + ".");
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(same, not), data);
    }
}
