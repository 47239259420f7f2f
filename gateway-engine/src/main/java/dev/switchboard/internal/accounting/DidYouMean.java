package dev.switchboard.internal.accounting;

import java.util.Collection;
import java.util.Locale;

/**
 * The known name closest to a misspelt one, by edit distance, if close enough to be a typo. (The
 * config parser has its own package-private twin; one shared helper would be better.)
 */
public final class DidYouMean {
    private DidYouMean() {}

    /** " (did you mean \"x\"?)", or "" when nothing is close. */
    public static String hint(String written, Collection<String> known) {
        String w = written.toLowerCase(Locale.ROOT);
        int limit = w.length() <= 3 ? 1 : w.length() < 12 ? 2 : 3;
        String best = null;
        int bestDistance = limit + 1;
        for (String k : known) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean \"" + best + "\"?)";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
