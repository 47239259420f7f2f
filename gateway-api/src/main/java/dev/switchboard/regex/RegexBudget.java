package dev.switchboard.regex;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Limits on regular-expression work: the longest pattern a config may hold, the longest text a
 * pattern is run against, and a step budget for each run — {@code baseSteps + stepsPerCharacter ×
 * length} characters read by the matcher (every {@link CharSequence#charAt} of the {@link #bound}
 * wrapper counts). An ordinary pattern reads each character a few times, so the budget is far above
 * what it needs; a backtracking blow-up such as {@code (a+)+$} or {@code (.*a){10}$} exhausts it in
 * milliseconds and ends in {@link RegexBudgetExceededException}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Pattern p = RegexBudget.DEFAULT.compile(source);                // PatternSyntaxException when too long
 * boolean found = p.matcher(RegexBudget.DEFAULT.bound(text)).find();
 * }</pre>
 */
public final class RegexBudget {
    /** The longest pattern a config may hold, in UTF-16 units: 10,000. */
    public static final int MAX_PATTERN_LENGTH = 10_000;
    /** The longest text a pattern runs against, in UTF-16 units: 1 Mi (1,048,576). */
    public static final int MAX_INPUT_LENGTH = 1 << 20;
    /** Characters a run may read whatever the text's length: 1,000,000. */
    public static final long BASE_STEPS = 1_000_000;
    /** Further characters a run may read per character of text: 100. */
    public static final long STEPS_PER_CHARACTER = 100;
    /** The limits above. */
    public static final RegexBudget DEFAULT =
            new RegexBudget(MAX_PATTERN_LENGTH, MAX_INPUT_LENGTH, BASE_STEPS, STEPS_PER_CHARACTER);

    /** How often (in steps) the wrapper looks at the thread's interrupt flag; a power of two. */
    private static final long INTERRUPT_CHECK_MASK = (1 << 14) - 1;

    private final int maxPatternLength;
    private final int maxInputLength;
    private final long baseSteps;
    private final long stepsPerCharacter;

    /**
     * Custom limits (tests, or an embedder with other needs).
     *
     * @param maxPatternLength  the longest pattern, at least 1
     * @param maxInputLength    the longest text, at least 0
     * @param baseSteps         characters a run may read whatever the text's length, at least 1
     * @param stepsPerCharacter further characters a run may read per character of text, at least 0
     * @throws IllegalArgumentException when a limit is out of range
     */
    public RegexBudget(int maxPatternLength, int maxInputLength, long baseSteps, long stepsPerCharacter) {
        if (maxPatternLength < 1 || maxInputLength < 0 || baseSteps < 1 || stepsPerCharacter < 0) {
            throw new IllegalArgumentException("regex limits out of range: pattern " + maxPatternLength
                    + ", input " + maxInputLength + ", base steps " + baseSteps + ", steps per character "
                    + stepsPerCharacter);
        }
        this.maxPatternLength = maxPatternLength;
        this.maxInputLength = maxInputLength;
        this.baseSteps = baseSteps;
        this.stepsPerCharacter = stepsPerCharacter;
    }

    /**
     * The longest pattern accepted.
     *
     * @return the length in UTF-16 units
     */
    public int maxPatternLength() {
        return maxPatternLength;
    }

    /**
     * The longest text a pattern runs against.
     *
     * @return the length in UTF-16 units
     */
    public int maxInputLength() {
        return maxInputLength;
    }

    /**
     * The step budget of one run over a text of {@code length} characters (saturating).
     *
     * @param length the text's length
     * @return how many characters the matcher may read
     */
    public long steps(int length) {
        long extra = length == 0 || stepsPerCharacter <= (Long.MAX_VALUE - baseSteps) / length
                ? stepsPerCharacter * length
                : Long.MAX_VALUE - baseSteps;
        return baseSteps + extra;
    }

    /**
     * Why {@code pattern} is too long, or null when it is within {@link #maxPatternLength()}: the text
     * of an error message naming the limit and the length found (never the pattern).
     *
     * @param pattern the pattern's source
     * @return the problem, or null
     */
    public String patternProblem(String pattern) {
        return pattern.length() <= maxPatternLength
                ? null
                : "a pattern of " + pattern.length() + " characters (at most " + maxPatternLength + " allowed)";
    }

    /**
     * {@link Pattern#compile(String, int)} after checking the pattern's length.
     *
     * @param pattern the Java pattern
     * @param flags   {@link Pattern} flags
     * @return the compiled pattern
     * @throws PatternSyntaxException when the pattern is too long (the description says so) or invalid
     */
    public Pattern compile(String pattern, int flags) {
        String problem = patternProblem(pattern);
        if (problem != null) {
            throw new PatternSyntaxException(problem, "", -1);
        }
        return Pattern.compile(pattern, flags);
    }

    /**
     * {@code text} wrapped for one matcher run: reading it costs one step per {@link CharSequence#charAt},
     * and past {@link #steps(int)} steps, or when the thread is interrupted, the read throws. Use a new
     * wrapper for each run (each {@code find}, {@code replace} or {@code matches} loop shares one).
     *
     * @param text the text to match
     * @return the counting wrapper
     * @throws RegexBudgetExceededException when {@code text} is longer than {@link #maxInputLength()}
     */
    public CharSequence bound(CharSequence text) {
        if (text.length() > maxInputLength) {
            throw new RegexBudgetExceededException("regex input too long: " + text.length() + " characters (at most "
                    + maxInputLength + " are matched)");
        }
        return new Counting(text, new long[] {steps(text.length())}, steps(text.length()));
    }

    @Override
    public String toString() {
        return "RegexBudget[pattern<=" + maxPatternLength + ", input<=" + maxInputLength + ", steps=" + baseSteps + "+"
                + stepsPerCharacter + "/char]";
    }

    /** The counting view; sub-sequences share the remaining budget. */
    private static final class Counting implements CharSequence {
        private final CharSequence text;
        /** Steps left, shared with sub-sequences. */
        private final long[] left;

        private final long budget;

        Counting(CharSequence text, long[] left, long budget) {
            this.text = text;
            this.left = left;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            long l = --left[0];
            if ((l & INTERRUPT_CHECK_MASK) == 0 || l < 0) {
                check(l);
            }
            return text.charAt(index);
        }

        private void check(long l) {
            if (l < 0) {
                throw new RegexBudgetExceededException("regex step budget exhausted: more than " + budget
                        + " characters read matching a text of " + text.length()
                        + " (catastrophic backtracking?)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RegexBudgetExceededException("regex matching interrupted");
            }
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counting(text.subSequence(start, end), left, budget);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
