package dev.switchboard.spi.support;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * "Did you mean" for misspellings: the candidate closest to what was written, by case-insensitive
 * optimal-string-alignment distance (Levenshtein plus transpositions), if it is close enough to be a
 * plausible typo. The gateway's config parser, its keys-file reader and the guardrail checks' parameter
 * validation all use it, so every "did you mean" follows one rule; a plugin's {@code prepare} can too.
 *
 * <pre>{@code
 * NearestName.suggest("retyr", Set.of("retry", "cache"))  // "retry"
 * }</pre>
 */
public final class NearestName {
    private NearestName() {}

    /**
     * The nearest candidate within the typo distance: 1 edit for names of up to 3 characters, 2 below 12
     * characters, 3 beyond.
     *
     * @param written    what was written
     * @param candidates the valid names
     * @return the nearest valid name, or null when none is close enough
     */
    public static @Nullable String suggest(@Nullable String written, @Nullable Collection<String> candidates) {
        return suggest(written, candidates, Integer.MAX_VALUE);
    }

    /**
     * {@link #suggest(String, Collection)} with the typo distance capped at {@code maxDistance}.
     *
     * @param written     what was written
     * @param candidates  the valid names
     * @param maxDistance the largest edit distance accepted, whatever the length
     * @return the nearest valid name, or null when none is close enough
     */
    public static @Nullable String suggest(
            @Nullable String written, @Nullable Collection<String> candidates, int maxDistance) {
        if (written == null || candidates == null) {
            return null;
        }
        String w = written.toLowerCase(Locale.ROOT);
        int limit = Math.min(maxDistance, w.length() <= 3 ? 1 : w.length() < 12 ? 2 : 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate == null || candidate.equals(written)) {
                continue;
            }
            int d = distance(w, candidate.toLowerCase(Locale.ROOT), limit);
            // ties go to the alphabetically first candidate so suggestions are deterministic
            if (d <= limit
                    && (d < bestDistance || (d == bestDistance && best != null && candidate.compareTo(best) < 0))) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * The suggestion as a message suffix.
     *
     * @param written    what was written
     * @param candidates the valid names
     * @return {@code " (did you mean \"retry\"?)"}, or "" when there is no suggestion
     */
    public static String hint(@Nullable String written, @Nullable Collection<String> candidates) {
        String suggestion = suggest(written, candidates);
        return suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)";
    }

    /** Optimal string alignment distance; returns {@code limit + 1} early when lengths differ too much. */
    private static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
