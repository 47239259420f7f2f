/**
 * Bounded regular-expression work shared by the engine (conditional routing's {@code $regex}) and the
 * guardrail plugins ({@code regexMatch}, {@code regexReplace}): a pattern-length cap checked when a
 * config is built, an input-length cap, and a step budget enforced by {@link
 * dev.switchboard.regex.RegexBudget#bound(CharSequence)}, a {@link java.lang.CharSequence} that counts
 * every character the matcher reads and throws {@link dev.switchboard.regex.RegexBudgetExceededException}
 * past the budget or when the thread is interrupted.
 *
 * <pre>{@code
 * Matcher m = pattern.matcher(RegexBudget.DEFAULT.bound(text)); // throws RegexBudgetExceededException
 * boolean found = m.find();                                     // when backtracking runs away
 * }</pre>
 */
package dev.switchboard.regex;
