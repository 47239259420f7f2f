package dev.switchboard.regex;

/**
 * Regex work was refused or stopped: the input was longer than {@link RegexBudget#maxInputLength()},
 * the matcher read more characters than its step budget (catastrophic backtracking), or the thread was
 * interrupted while matching. The message names the limit and the sizes, never the text or the pattern.
 */
public final class RegexBudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what was exceeded, with the limit and the size found
     */
    public RegexBudgetExceededException(String message) {
        super(message);
    }
}
