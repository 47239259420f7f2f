package dev.switchboard.guardrails;

import dev.switchboard.regex.RegexBudget;
import dev.switchboard.regex.RegexBudgetExceededException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A JavaScript regular expression ({@code new RegExp(source, flags)}, as Portkey's handlers build
 * them) translated once into a {@link Pattern} with the same meaning, or rejected with the reason.
 *
 * <p>Where Java's syntax means something else the pattern is rewritten: {@code \s} and {@code trim}'s
 * whitespace set (Java's {@code \s} is ASCII only), {@code .} (Java also stops at U+0085),
 * {@code $} (Java's also matches before a final line break), {@code ^}/{@code $} with {@code m}
 * (JavaScript knows four line terminators, Java six), {@code \b} (ASCII word characters, as
 * JavaScript), {@code \v} (a vertical tab, not Java's class), {@code \cX}, legacy octal and identity
 * escapes ({@code \a}, {@code \e}, {@code \p{L}} without {@code u} are the letters themselves),
 * literal &#123;, &#125; and {@code ]}, {@code [} and {@code &&} inside classes, the empty
 * class {@code []} and {@code [^]}, group names (JavaScript allows {@code _} and {@code $}),
 * backreferences to groups that did not take part (JavaScript matches the empty string there).
 * What JavaScript rejects ({@code (?i)}, possessive {@code a*+}, {@code (?>…)}, {@code \p} with an
 * unknown property under {@code u}) is rejected here too; what Java cannot run (an unbounded
 * look-behind) is rejected with that reason. A backreference written before its group matches the
 * empty string, as in JavaScript; the sticky flag {@code y} matches only at {@code lastIndex}. Two
 * differences remain and are documented: without {@code u} JavaScript matches
 * UTF-16 units, so {@code .} or a class takes half of a character outside the BMP where Java takes
 * the whole character; and with {@code i} a few compatibility characters (U+017F, U+212A, U+0131,
 * U+0130, U+212B, U+2126) fold differently.
 *
 * <p>Bounded ({@link #BUDGET}): a pattern of more than {@link RegexBudget#MAX_PATTERN_LENGTH}
 * characters is a {@link SyntaxError}; each run reads its text through
 * {@link RegexBudget#bound(CharSequence)} and throws {@link RegexBudgetExceededException} past it.
 */
final class JsRegex {
    private static final String SYNTAX_CHARACTERS = "^$\\.*+?()[]{}|/";
    private static final String ANY = "[\\x{0}-\\x{10FFFF}]";
    private static final String LINE_TERMINATOR_CLASS = "[\\n\\r\\x{2028}\\x{2029}]";
    private static final String WORD_IU = "A-Za-z0-9_\\x{17F}\\x{212A}";

    /**
     * Bounds every run ({@link #exec}, {@link #replace}): a text longer than its input cap, or a match
     * that reads more characters than its step budget (catastrophic backtracking), throws
     * {@link RegexBudgetExceededException}, so the check errors instead of holding a thread.
     */
    static final RegexBudget BUDGET = RegexBudget.DEFAULT;

    private final String source;
    private final String flags;
    private final Pattern pattern;
    private final boolean global;
    private final boolean unicode;
    private final boolean sticky;
    private final int groupCount;
    /** JavaScript names of the capturing groups by number (index 0 unused); null for unnamed groups. */
    private final String[] groupNames;

    private final boolean namedGroups;

    private JsRegex(String source, String flags, Pattern pattern, int groupCount, String[] groupNames) {
        this.source = source;
        this.flags = flags;
        this.pattern = pattern;
        this.global = flags.indexOf('g') >= 0;
        this.unicode = flags.indexOf('u') >= 0;
        this.sticky = flags.indexOf('y') >= 0;
        this.groupCount = groupCount;
        this.groupNames = groupNames;
        boolean named = false;
        for (String n : groupNames) {
            named |= n != null;
        }
        this.namedGroups = named;
    }

    /** Thrown when the pattern or its flags are not valid JavaScript, or cannot run with the same meaning. */
    static final class SyntaxError extends Exception {
        private final int index;

        SyntaxError(String message, int index) {
            super(message);
            this.index = index;
        }

        /** The position in the JavaScript source, or -1. */
        int index() {
            return index;
        }
    }

    /** One match: its bounds (UTF-16 indices) and captures (null where a group did not take part). */
    record Match(int start, int end, String matched, List<String> captures, Map<String, String> named) {}

    /**
     * {@code new RegExp(source, flags)}.
     *
     * @throws SyntaxError when JavaScript would throw, or the pattern cannot run with the same meaning
     */
    static JsRegex compile(String source, String flags) throws SyntaxError {
        String tooLong = BUDGET.patternProblem(source);
        if (tooLong != null) {
            throw new SyntaxError(tooLong, -1);
        }
        Set<Character> seen = new HashSet<>();
        for (char f : flags.toCharArray()) {
            if ("dgimsuy".indexOf(f) < 0 && f != 'v') {
                throw new SyntaxError("Invalid flags supplied to RegExp constructor '" + flags + "'", -1);
            }
            if (!seen.add(f)) {
                throw new SyntaxError(
                        "Invalid flags supplied to RegExp constructor '" + flags + "' (repeated " + f + ")", -1);
            }
        }
        if (seen.contains('v')) {
            throw new SyntaxError("the v flag (unicode sets) is not supported", -1);
        }
        Translator t =
                new Translator(source, seen.contains('u'), seen.contains('i'), seen.contains('m'), seen.contains('s'));
        String java = t.translate();
        int javaFlags = seen.contains('i') ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        try {
            return new JsRegex(source, flags, Pattern.compile(java, javaFlags), t.groupCount, t.names);
        } catch (PatternSyntaxException e) {
            String reason = e.getDescription();
            if (reason.contains("Look-behind")) {
                reason = "a look-behind without a maximum length (valid JavaScript, but it cannot run here)";
            }
            throw new SyntaxError(reason, -1);
        } catch (StackOverflowError e) {
            throw new SyntaxError("the pattern is too deeply nested", -1);
        }
    }

    /**
     * Portkey {@code regexReplace}'s {@code parseRegex}: {@code /pattern/flags} when the whole rule has
     * that form (flags from {@code gimsuyd}, no line break before the closing slash), else the rule as a
     * pattern without flags.
     */
    static JsRegex parseRule(String rule) throws SyntaxError {
        if (rule.length() >= 3 && rule.charAt(0) == '/') {
            for (int k = 2; k < rule.length(); k++) {
                char c = rule.charAt(k - 1);
                if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                    break;
                }
                if (rule.charAt(k) == '/' && allFlagLetters(rule, k + 1)) {
                    return compile(rule.substring(1, k), rule.substring(k + 1));
                }
            }
        }
        return compile(rule, "");
    }

    private static boolean allFlagLetters(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if ("gimsuyd".indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    String source() {
        return source;
    }

    String flags() {
        return flags;
    }

    boolean global() {
        return global;
    }

    /** The translated pattern (for tests and explanations). */
    Pattern pattern() {
        return pattern;
    }

    /**
     * {@code regex.exec(text)} with {@code lastIndex} at {@code from}: the first match at or after it,
     * or with {@code y} only a match starting exactly there; null when there is none.
     */
    Match exec(String text, int from) {
        Matcher m = pattern.matcher(BUDGET.bound(text));
        if (from > text.length() || !find(m, from, text.length())) {
            return null;
        }
        return match(m);
    }

    private boolean find(Matcher m, int from, int length) {
        if (!sticky) {
            return m.find(from);
        }
        m.region(from, length);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        return m.lookingAt();
    }

    /**
     * Portkey {@code regexReplace} on one text: {@code lastIndex = 0}, then {@code text.match(regex)}
     * (any match; for a sticky regex without {@code g} it moves {@code lastIndex} past its match), then
     * {@code text.replace(regex, replacement)}, which for that regex starts where the match left
     * {@code lastIndex}. Null when nothing matched.
     */
    String matchThenReplace(String text, String replacement) {
        if (sticky && !global) {
            Match first = exec(text, 0);
            if (first == null) {
                return null;
            }
            Match second = exec(text, first.end());
            if (second == null) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.substring(0, second.start()));
            expand(replacement, text, second, out);
            return out.append(text, second.end(), text.length()).toString();
        }
        return exec(text, 0) == null ? null : replace(text, replacement);
    }

    /** Whether the pattern matches ({@code text.match(regex) !== null}, {@code lastIndex} at 0). */
    boolean test(String text) {
        return exec(text, 0) != null;
    }

    /**
     * {@code text.replace(regex, replacement)}: the first match, or every match with {@code g}
     * (after an empty match the search moves on by one UTF-16 unit, or one code point with {@code u}),
     * each replaced by {@code replacement} with JavaScript's {@code $$ $& $` $' $n $nn $<name>}.
     */
    String replace(String text, String replacement) {
        Matcher m = pattern.matcher(BUDGET.bound(text));
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int from = 0;
        while (from <= text.length() && find(m, from, text.length())) {
            Match match = match(m);
            out.append(text, copied, match.start());
            expand(replacement, text, match, out);
            copied = match.end();
            if (!global) {
                break;
            }
            from = match.end();
            if (match.end() == match.start()) {
                from += unicode
                                && from < text.length()
                                && Character.isHighSurrogate(text.charAt(from))
                                && from + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(from + 1))
                        ? 2
                        : 1;
            }
        }
        out.append(text, copied, text.length());
        return out.toString();
    }

    private Match match(Matcher m) {
        List<String> captures = new ArrayList<>(groupCount);
        Map<String, String> named = new LinkedHashMap<>();
        for (int g = 1; g <= groupCount; g++) {
            String value = m.group("g" + g);
            captures.add(value);
            if (groupNames[g] != null) {
                named.put(groupNames[g], value);
            }
        }
        return new Match(m.start(), m.end(), m.group(), captures, named);
    }

    /** ECMAScript GetSubstitution. */
    private void expand(String template, String text, Match match, StringBuilder out) {
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '&') {
                out.append(match.matched());
                i += 2;
            } else if (next == '`') {
                out.append(text, 0, match.start());
                i += 2;
            } else if (next == '\'') {
                out.append(text, match.end(), text.length());
                i += 2;
            } else if (next >= '0' && next <= '9') {
                int digits =
                        i + 2 < n && Character.isDigit(template.charAt(i + 2)) && template.charAt(i + 2) <= '9' ? 2 : 1;
                int index = Integer.parseInt(template.substring(i + 1, i + 1 + digits));
                if (index > groupCount && digits == 2) {
                    digits = 1;
                    index = next - '0';
                }
                if (index >= 1 && index <= groupCount) {
                    String capture = match.captures().get(index - 1);
                    out.append(capture == null ? "" : capture);
                } else {
                    out.append(template, i, i + 1 + digits);
                }
                i += 1 + digits;
            } else if (next == '<' && namedGroups) {
                int close = template.indexOf('>', i + 2);
                if (close < 0) {
                    out.append("$<");
                    i += 2;
                } else {
                    String value = match.named().get(template.substring(i + 2, close));
                    out.append(value == null ? "" : value);
                    i = close + 1;
                }
            } else {
                out.append('$');
                i++;
            }
        }
    }

    /** Parses a JavaScript pattern (ES2023 with Annex B outside {@code u} mode) and writes Java's. */
    private static final class Translator {
        private final String src;
        private final boolean unicode;
        private final boolean ignoreCase;
        private final boolean multiline;
        private final boolean dotAll;
        private final StringBuilder out = new StringBuilder();
        private int pos;
        private int groupCount;
        private String[] names;
        private final Map<String, Integer> numberByName = new HashMap<>();
        private final Set<Integer> referenced = new HashSet<>();
        /** Groups whose closing parenthesis has been written. */
        private final Set<Integer> closed = new HashSet<>();

        private int nextGroup = 1;

        Translator(String src, boolean unicode, boolean ignoreCase, boolean multiline, boolean dotAll) {
            this.src = src;
            this.unicode = unicode;
            this.ignoreCase = ignoreCase;
            this.multiline = multiline;
            this.dotAll = dotAll;
        }

        String translate() throws SyntaxError {
            scanGroups();
            pos = 0;
            disjunction();
            if (pos < src.length()) {
                throw error("Unmatched ')'", pos);
            }
            return out.toString();
        }

        private SyntaxError error(String message, int at) {
            return new SyntaxError(message + " near index " + at, at);
        }

        /** First pass: counts capturing groups and reads their names (backreferences may point forward). */
        private void scanGroups() throws SyntaxError {
            List<String> found = new ArrayList<>();
            found.add(null);
            boolean inClass = false;
            for (int i = 0; i < src.length(); i++) {
                char c = src.charAt(i);
                if (c == '\\') {
                    if (!inClass) {
                        reference(i + 1);
                    }
                    i++;
                } else if (inClass) {
                    inClass = c != ']';
                } else if (c == '[') {
                    inClass = true;
                } else if (c == '(') {
                    if (i + 1 < src.length() && src.charAt(i + 1) == '?') {
                        if (i + 2 < src.length()
                                && src.charAt(i + 2) == '<'
                                && i + 3 < src.length()
                                && src.charAt(i + 3) != '='
                                && src.charAt(i + 3) != '!') {
                            int close = src.indexOf('>', i + 3);
                            String name = close < 0 ? "" : src.substring(i + 3, close);
                            if (!validName(name)) {
                                throw error("Invalid capture group name", i + 3);
                            }
                            if (numberByName.containsKey(name)) {
                                throw error("Duplicate capture group name", i + 3);
                            }
                            numberByName.put(name, found.size());
                            found.add(name);
                        }
                    } else {
                        found.add(null);
                    }
                }
            }
            groupCount = found.size() - 1;
            names = found.toArray(new String[0]);
            for (String name : referencedNames) {
                Integer number = numberByName.get(name);
                if (number != null) {
                    referenced.add(number);
                }
            }
        }

        private final List<String> referencedNames = new ArrayList<>();

        /** Notes a backreference ({@code \\N} or {@code \\k<name>}) whose escape letter is at {@code at}. */
        private void reference(int at) {
            if (at >= src.length()) {
                return;
            }
            char c = src.charAt(at);
            if (c >= '1' && c <= '9') {
                int end = at;
                while (end < src.length() && src.charAt(end) >= '0' && src.charAt(end) <= '9' && end - at < 9) {
                    end++;
                }
                referenced.add(Integer.parseInt(src.substring(at, end)));
            } else if (c == 'k' && at + 1 < src.length() && src.charAt(at + 1) == '<') {
                int close = src.indexOf('>', at);
                if (close > 0) {
                    referencedNames.add(src.substring(at + 2, close));
                }
            }
        }

        private static boolean validName(String name) {
            if (name.isEmpty()) {
                return false;
            }
            for (int i = 0; i < name.length(); ) {
                int cp = name.codePointAt(i);
                boolean ok = cp == '$'
                        || cp == '_'
                        || (i == 0
                                ? Character.isUnicodeIdentifierStart(cp)
                                : Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp)
                                        || cp == 0x200C
                                        || cp == 0x200D);
                if (!ok) {
                    return false;
                }
                i += Character.charCount(cp);
            }
            return true;
        }

        private boolean more() {
            return pos < src.length();
        }

        private char peek() {
            return src.charAt(pos);
        }

        private boolean lookingAt(String s) {
            return src.startsWith(s, pos);
        }

        private void disjunction() throws SyntaxError {
            alternative();
            while (more() && peek() == '|') {
                pos++;
                out.append('|');
                alternative();
            }
        }

        private void alternative() throws SyntaxError {
            while (more() && peek() != '|' && peek() != ')') {
                term();
            }
        }

        private void term() throws SyntaxError {
            int start = pos;
            char c = peek();
            int atomStart = out.length();
            boolean quantifiable = true;
            boolean wrap = false;
            switch (c) {
                case '^' -> {
                    pos++;
                    out.append(multiline ? "(?:^|(?<=" + LINE_TERMINATOR_CLASS + "))" : "^");
                    quantifiable = false;
                }
                case '$' -> {
                    pos++;
                    out.append(multiline ? "(?=" + LINE_TERMINATOR_CLASS + "|\\z)" : "\\z");
                    quantifiable = false;
                }
                case '(' -> {
                    wrap = group();
                    quantifiable = wrap || lastGroupQuantifiable;
                }
                case '[' -> characterClass();
                case '.' -> {
                    pos++;
                    out.append(dotAll ? ANY : "[^\\n\\r\\x{2028}\\x{2029}]");
                }
                case '*', '+', '?' -> throw error("Nothing to repeat", pos);
                case '{' -> {
                    if (unicode) {
                        throw error("Lone quantifier brackets", pos);
                    }
                    if (bracedQuantifierAt(pos) > 0) {
                        throw error("Nothing to repeat", pos);
                    }
                    pos++;
                    out.append("\\{");
                }
                case '}', ']' -> {
                    if (unicode) {
                        throw error("Lone quantifier brackets", pos);
                    }
                    pos++;
                    out.append('\\').append(c);
                }
                case '\\' -> quantifiable = atomEscape();
                default -> literal(readCodePoint());
            }
            quantifier(start, atomStart, quantifiable, wrap);
        }

        private boolean lastGroupQuantifiable;

        /** Writes a group; returns true when it is a look-ahead that must be wrapped to be quantified. */
        private boolean group() throws SyntaxError {
            int open = pos;
            lastGroupQuantifiable = true;
            if (lookingAt("(?=") || lookingAt("(?!")) {
                out.append(src, pos, pos + 3);
                pos += 3;
                closeGroup(open);
                lastGroupQuantifiable = !unicode;
                return !unicode;
            }
            if (lookingAt("(?<=") || lookingAt("(?<!")) {
                out.append(src, pos, pos + 4);
                pos += 4;
                closeGroup(open);
                lastGroupQuantifiable = false;
                return false;
            }
            if (lookingAt("(?:")) {
                out.append("(?:");
                pos += 3;
                closeGroup(open);
                return false;
            }
            if (lookingAt("(?<")) {
                pos = src.indexOf('>', pos + 3) + 1;
            } else if (lookingAt("(?")) {
                throw error("Invalid group", pos);
            } else {
                pos++;
            }
            int number = nextGroup++;
            out.append("(?<g").append(number).append('>');
            if (referenced.contains(number)) {
                // set whenever the group is entered: tells "did not take part" from "took part" for backreferences
                out.append("(?<m").append(number).append(">)");
            }
            closeGroup(open);
            closed.add(number);
            return false;
        }

        private void closeGroup(int open) throws SyntaxError {
            disjunction();
            if (!more() || peek() != ')') {
                throw error("Unclosed group", src.length());
            }
            pos++;
            out.append(')');
        }

        /** Length of a braced quantifier {@code {n}}, {@code {n,}}, {@code {n,m}} at {@code at}, else 0. */
        private int bracedQuantifierAt(int at) {
            int i = at + 1;
            int digits = 0;
            while (i < src.length() && Character.isDigit(src.charAt(i)) && src.charAt(i) <= '9') {
                i++;
                digits++;
            }
            if (digits == 0 || i >= src.length()) {
                return 0;
            }
            if (src.charAt(i) == ',') {
                i++;
                while (i < src.length() && src.charAt(i) >= '0' && src.charAt(i) <= '9') {
                    i++;
                }
            }
            return i < src.length() && src.charAt(i) == '}' ? i + 1 - at : 0;
        }

        private void quantifier(int termStart, int atomStart, boolean quantifiable, boolean wrap) throws SyntaxError {
            if (!more()) {
                return;
            }
            char c = peek();
            int length = c == '{' ? bracedQuantifierAt(pos) : ("*+?".indexOf(c) >= 0 ? 1 : 0);
            if (length == 0) {
                if (c == '{' && unicode) {
                    throw error("Incomplete quantifier", pos);
                }
                return;
            }
            if (!quantifiable) {
                throw error(src.charAt(termStart) == '(' ? "Invalid quantifier" : "Nothing to repeat", pos);
            }
            if (wrap) {
                out.insert(atomStart, "(?:").append(')');
            }
            if (c == '{') {
                String body = src.substring(pos + 1, pos + length - 1);
                String[] parts = body.split(",", -1);
                long min = bound(parts[0]);
                long max = parts.length == 1 ? min : parts[1].isEmpty() ? -1 : bound(parts[1]);
                if (max >= 0 && min > max) {
                    throw error("numbers out of order in {} quantifier", pos);
                }
                out.append('{').append(min);
                if (parts.length > 1) {
                    out.append(',');
                    if (max >= 0) {
                        out.append(max);
                    }
                }
                out.append('}');
            } else {
                out.append(c);
            }
            pos += length;
            if (more() && peek() == '?') {
                out.append('?');
                pos++;
            }
            if (more() && ("*+?".indexOf(peek()) >= 0 || (peek() == '{' && bracedQuantifierAt(pos) > 0))) {
                throw error("Nothing to repeat", pos);
            }
        }

        private static long bound(String digits) {
            // JavaScript accepts any size; Java's bounds are ints (no text is that long anyway)
            return digits.length() > 9
                    ? Integer.MAX_VALUE - 1
                    : Math.min(Long.parseLong(digits), Integer.MAX_VALUE - 1);
        }

        private int readCodePoint() {
            int cp = src.codePointAt(pos);
            pos += Character.charCount(cp);
            return cp;
        }

        private void literal(int cp) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ' ') {
                out.appendCodePoint(cp);
            } else {
                out.append("\\x{").append(Integer.toHexString(cp)).append('}');
            }
        }

        /** An escape outside a class; returns whether it can be quantified. */
        private boolean atomEscape() throws SyntaxError {
            int at = pos;
            pos++;
            if (!more()) {
                throw error("\\ at end of pattern", at);
            }
            char c = peek();
            switch (c) {
                case 'b', 'B' -> {
                    pos++;
                    String w = ignoreCase && unicode ? "[" + WORD_IU + "]" : "\\w";
                    out.append(
                            c == 'b'
                                    ? "(?:(?<=" + w + ")(?!" + w + ")|(?<!" + w + ")(?=" + w + "))"
                                    : "(?:(?<=" + w + ")(?=" + w + ")|(?<!" + w + ")(?!" + w + "))");
                    return false;
                }
                case 'k' -> {
                    if (!unicode && numberByName.isEmpty()) {
                        pos++;
                        literal('k');
                        return true;
                    }
                    int close = src.indexOf('>', pos);
                    if (pos + 1 >= src.length() || src.charAt(pos + 1) != '<' || close < 0) {
                        throw error("Invalid named reference", at);
                    }
                    Integer number = numberByName.get(src.substring(pos + 2, close));
                    if (number == null) {
                        throw error("Invalid named capture referenced", at);
                    }
                    pos = close + 1;
                    backreference(number, at);
                    return true;
                }
                default -> {
                    if (c >= '1' && c <= '9') {
                        int end = pos;
                        while (end < src.length() && src.charAt(end) >= '0' && src.charAt(end) <= '9') {
                            end++;
                        }
                        String digits = src.substring(pos, end);
                        if (digits.length() <= 9 && Integer.parseInt(digits) <= groupCount) {
                            pos = end;
                            backreference(Integer.parseInt(digits), at);
                            return true;
                        }
                        if (unicode) {
                            throw error("Invalid escape", at);
                        }
                    }
                    int cp = characterEscape(at, false);
                    if (cp == CLASS_WRITTEN) {
                        return true;
                    }
                    literal(cp);
                    return true;
                }
            }
        }

        private void backreference(int number, int at) {
            if (!closed.contains(number)) {
                // written before its group closes: in JavaScript the group is always unset there (a repeated
                // group's captures are cleared on each pass), so the reference always matches the empty string
                out.append("(?:)");
                return;
            }
            // JavaScript: a group that did not take part matches the empty string; Java's backreference fails.
            // The marker group (set whenever the group was entered) tells the two cases apart.
            out.append("(?:\\k<g")
                    .append(number)
                    .append(">|(?!\\k<m")
                    .append(number)
                    .append(">))");
        }

        private static final int CLASS_WRITTEN = -2;

        /**
         * An escape that stands for one character or a class, after the backslash ({@code pos} at the
         * letter). Writes classes itself (returns {@link #CLASS_WRITTEN}) and returns a character's code
         * point otherwise. In a class ({@code inClass}) {@code \b} is a backspace and {@code \-} a dash.
         */
        private int characterEscape(int at, boolean inClass) throws SyntaxError {
            char c = peek();
            pos++;
            switch (c) {
                case 'd', 'D' -> {
                    out.append('\\').append(c);
                    return CLASS_WRITTEN;
                }
                case 'w', 'W' -> {
                    if (ignoreCase && unicode) {
                        out.append(c == 'w' ? "[" : "[^").append(WORD_IU).append(']');
                    } else {
                        out.append('\\').append(c);
                    }
                    return CLASS_WRITTEN;
                }
                case 's' -> {
                    out.append(inClass ? JsText.WHITESPACE_CLASS_BODY : "[" + JsText.WHITESPACE_CLASS_BODY + "]");
                    return CLASS_WRITTEN;
                }
                case 'S' -> {
                    out.append("[^").append(JsText.WHITESPACE_CLASS_BODY).append(']');
                    return CLASS_WRITTEN;
                }
                case 'f' -> {
                    return '\f';
                }
                case 'n' -> {
                    return '\n';
                }
                case 'r' -> {
                    return '\r';
                }
                case 't' -> {
                    return '\t';
                }
                case 'v' -> {
                    return 0x0B;
                }
                case 'b' -> {
                    if (inClass) {
                        return 0x08;
                    }
                    throw error("Invalid escape", at);
                }
                case '-' -> {
                    if (unicode && !inClass) {
                        throw error("Invalid escape", at);
                    }
                    return '-';
                }
                case 'c' -> {
                    if (more() && isAsciiLetter(peek())) {
                        return src.charAt(pos++) % 32;
                    }
                    if (!unicode
                            && inClass
                            && more()
                            && (Character.isDigit(peek()) && peek() <= '9' || peek() == '_')) {
                        return src.charAt(pos++) % 32;
                    }
                    if (unicode) {
                        throw error("Invalid unicode escape", at);
                    }
                    pos--; // Annex B: the backslash is itself, the c is read next
                    return '\\';
                }
                case '0' -> {
                    if (!more() || !(peek() >= '0' && peek() <= '9')) {
                        return 0;
                    }
                    if (unicode) {
                        throw error("Invalid decimal escape", at);
                    }
                    pos--;
                    return legacyOctal();
                }
                case 'x' -> {
                    if (pos + 2 <= src.length() && isHex(src.charAt(pos)) && isHex(src.charAt(pos + 1))) {
                        int v = Integer.parseInt(src.substring(pos, pos + 2), 16);
                        pos += 2;
                        return v;
                    }
                    if (unicode) {
                        throw error("Invalid escape", at);
                    }
                    return 'x';
                }
                case 'u' -> {
                    return unicodeEscape(at);
                }
                case 'p', 'P' -> {
                    if (!unicode) {
                        return c;
                    }
                    property(c == 'P', at);
                    return CLASS_WRITTEN;
                }
                default -> {
                    if (c >= '1' && c <= '9') {
                        if (unicode) {
                            throw error("Invalid class escape", at);
                        }
                        if (c >= '8') {
                            return c;
                        }
                        pos--;
                        return legacyOctal();
                    }
                    if (SYNTAX_CHARACTERS.indexOf(c) >= 0) {
                        return c;
                    }
                    if (unicode) {
                        throw error("Invalid escape", at);
                    }
                    if (c == 'k' && !numberByName.isEmpty()) {
                        throw error("Invalid named reference", at);
                    }
                    // Annex B identity escape: \a, \e, \m ... are the letters themselves
                    pos--;
                    return readCodePoint();
                }
            }
        }

        private int legacyOctal() {
            int v = src.charAt(pos++) - '0';
            if (more() && peek() >= '0' && peek() <= '7') {
                v = v * 8 + (src.charAt(pos++) - '0');
                if (v < 32 && more() && peek() >= '0' && peek() <= '7') {
                    v = v * 8 + (src.charAt(pos++) - '0');
                }
            }
            return v;
        }

        private int unicodeEscape(int at) throws SyntaxError {
            if (unicode && more() && peek() == '{') {
                int close = src.indexOf('}', pos);
                String hex = close < 0 ? "" : src.substring(pos + 1, close);
                if (hex.isEmpty()
                        || !hex.chars().allMatch(ch -> isHex((char) ch))
                        || hex.length() > 8
                        || Long.parseLong(hex, 16) > 0x10FFFF) {
                    throw error("Invalid Unicode escape", at);
                }
                pos = close + 1;
                return Integer.parseInt(hex, 16);
            }
            int v = hex4(pos);
            if (v < 0) {
                if (unicode) {
                    throw error("Invalid Unicode escape", at);
                }
                return 'u';
            }
            pos += 4;
            if (Character.isHighSurrogate((char) v) && lookingAt("\\u")) {
                int low = hex4(pos + 2);
                if (low >= 0 && Character.isLowSurrogate((char) low)) {
                    pos += 6;
                    return Character.toCodePoint((char) v, (char) low);
                }
            }
            return v;
        }

        private int hex4(int at) {
            if (at + 4 > src.length()) {
                return -1;
            }
            for (int i = at; i < at + 4; i++) {
                if (!isHex(src.charAt(i))) {
                    return -1;
                }
            }
            return Integer.parseInt(src.substring(at, at + 4), 16);
        }

        private static boolean isHex(char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static final Map<String, String> CATEGORIES = new HashMap<>();
        private static final Map<String, String> BINARY = new HashMap<>();

        static {
            String[][] gc = {
                {"L", "Letter"},
                {"LC", "Cased_Letter"},
                {"Lu", "Uppercase_Letter"},
                {"Ll", "Lowercase_Letter"},
                {"Lt", "Titlecase_Letter"},
                {"Lm", "Modifier_Letter"},
                {"Lo", "Other_Letter"},
                {"M", "Mark", "Combining_Mark"},
                {"Mn", "Nonspacing_Mark"},
                {"Mc", "Spacing_Mark"},
                {"Me", "Enclosing_Mark"},
                {"N", "Number"},
                {"Nd", "Decimal_Number", "digit"},
                {"Nl", "Letter_Number"},
                {"No", "Other_Number"},
                {"P", "Punctuation", "punct"},
                {"Pc", "Connector_Punctuation"},
                {"Pd", "Dash_Punctuation"},
                {"Ps", "Open_Punctuation"},
                {"Pe", "Close_Punctuation"},
                {"Pi", "Initial_Punctuation"},
                {"Pf", "Final_Punctuation"},
                {"Po", "Other_Punctuation"},
                {"S", "Symbol"},
                {"Sm", "Math_Symbol"},
                {"Sc", "Currency_Symbol"},
                {"Sk", "Modifier_Symbol"},
                {"So", "Other_Symbol"},
                {"Z", "Separator"},
                {"Zs", "Space_Separator"},
                {"Zl", "Line_Separator"},
                {"Zp", "Paragraph_Separator"},
                {"C", "Other"},
                {"Cc", "Control", "cntrl"},
                {"Cf", "Format"},
                {"Cs", "Surrogate"},
                {"Co", "Private_Use"},
                {"Cn", "Unassigned"},
            };
            for (String[] names : gc) {
                for (String n : names) {
                    CATEGORIES.put(n, names[0]);
                }
            }
            for (String b : List.of(
                    "Alphabetic",
                    "Alpha",
                    "Lowercase",
                    "Lower",
                    "Uppercase",
                    "Upper",
                    "White_Space",
                    "space",
                    "Ideographic",
                    "Ideo",
                    "Hex_Digit",
                    "Hex",
                    "Join_Control",
                    "Join_C",
                    "Noncharacter_Code_Point",
                    "NChar")) {
                BINARY.put(
                        b,
                        switch (b) {
                            case "Alpha" -> "Alphabetic";
                            case "Lower" -> "Lowercase";
                            case "Upper" -> "Uppercase";
                            case "space" -> "White_Space";
                            case "Ideo" -> "Ideographic";
                            case "Hex" -> "Hex_Digit";
                            case "Join_C" -> "Join_Control";
                            case "NChar" -> "Noncharacter_Code_Point";
                            default -> b;
                        });
            }
        }

        /** {@code \p{…}} under {@code u}: general categories, scripts and the binary properties Java also knows. */
        private void property(boolean negated, int at) throws SyntaxError {
            int close = src.indexOf('}', pos);
            if (!more() || peek() != '{' || close < 0) {
                throw error("Invalid property name", at);
            }
            String body = src.substring(pos + 1, close);
            pos = close + 1;
            String java;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                String name = body.substring(0, eq);
                String value = body.substring(eq + 1);
                if ((name.equals("General_Category") || name.equals("gc")) && CATEGORIES.containsKey(value)) {
                    java = CATEGORIES.get(value);
                } else if ((name.equals("Script") || name.equals("sc")) && script(value)) {
                    java = "sc=" + value;
                } else if (name.equals("Script_Extensions") || name.equals("scx")) {
                    throw error("\\p{" + body + "}: Script_Extensions is not supported (use Script=)", at);
                } else {
                    throw error("Invalid property name", at);
                }
            } else if (CATEGORIES.containsKey(body)) {
                java = CATEGORIES.get(body);
            } else if (BINARY.containsKey(body)) {
                java = "Is" + BINARY.get(body);
            } else if (body.equals("Any")) {
                out.append(negated ? "[^\\x{0}-\\x{10FFFF}]" : ANY);
                return;
            } else if (body.equals("ASCII")) {
                out.append(negated ? "[^\\x{0}-\\x{7F}]" : "[\\x{0}-\\x{7F}]");
                return;
            } else if (body.equals("Assigned")) {
                java = "Cn";
                negated = !negated;
            } else {
                throw error("Invalid property name \\p{" + body + "} (or one this gateway does not support)", at);
            }
            out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
        }

        private static boolean script(String value) {
            try {
                Character.UnicodeScript.forName(value);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private void characterClass() throws SyntaxError {
            int open = pos;
            pos++;
            boolean negated = more() && peek() == '^';
            if (negated) {
                pos++;
            }
            if (more() && peek() == ']') {
                pos++;
                out.append(negated ? ANY : "(?:(?!))");
                return;
            }
            StringBuilder saved = new StringBuilder(out);
            out.setLength(0);
            out.append(negated ? "[^" : "[");
            while (true) {
                if (!more()) {
                    throw error("Unterminated character class", open);
                }
                if (peek() == ']') {
                    pos++;
                    break;
                }
                int atomAt = pos;
                int first = classAtom();
                if (more() && peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                    int dashAt = pos;
                    pos++;
                    int mark = out.length();
                    int second = classAtom();
                    if (first == CLASS_WRITTEN || second == CLASS_WRITTEN) {
                        if (unicode) {
                            throw error("Invalid character class", atomAt);
                        }
                        // Annex B: a range with a class at either end is the class, a dash and the other atom
                        String tail = out.substring(mark);
                        out.setLength(mark);
                        if (first != CLASS_WRITTEN) {
                            classChar(first);
                        }
                        classChar('-');
                        if (second != CLASS_WRITTEN) {
                            classChar(second);
                        } else {
                            out.append(tail);
                        }
                        continue;
                    }
                    if (first > second) {
                        throw error("Range out of order in character class", dashAt);
                    }
                    classChar(first);
                    out.append('-');
                    classChar(second);
                } else if (first != CLASS_WRITTEN) {
                    classChar(first);
                }
            }
            out.append(']');
            String cls = out.toString();
            out.setLength(0);
            out.append(saved).append(cls);
        }

        /** One class atom: writes a class escape and returns {@link #CLASS_WRITTEN}, or returns a character. */
        private int classAtom() throws SyntaxError {
            if (peek() != '\\') {
                return readCodePoint();
            }
            int at = pos;
            pos++;
            if (!more()) {
                throw error("\\ at end of pattern", at);
            }
            return characterEscape(at, true);
        }

        private void classChar(int cp) {
            out.append("\\x{").append(Integer.toHexString(cp)).append('}');
        }
    }

    @Override
    public String toString() {
        return "/" + source + "/" + flags;
    }
}
