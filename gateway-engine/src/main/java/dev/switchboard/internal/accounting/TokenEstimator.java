package dev.switchboard.internal.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts the prompt tokens of a chat, completions, responses or embeddings body before the call,
 * for admission. OpenAI models (by model name, or any model on {@code openai}/{@code azure-openai})
 * are counted exactly with OpenAI's BPE ({@code o200k_base} for gpt-4o/4.1/4.5/5, o-series and
 * gpt-oss; {@code cl100k_base} for gpt-4, gpt-3.5 and the embedding models) plus OpenAI's chat framing:
 * 3 tokens per message, 1 per {@code name}, 3 to prime the reply. Other models are estimated at
 * ⌈characters / 4⌉ per text with the same framing, and the estimate says so ({@code exact == false}).
 *
 * <p><b>Bounded work.</b> The tokenizer sees at most {@value #EXACT_CHARS_PER_REQUEST} characters per
 * request, and no text with a run of more than {@value #LONGEST_EXACT_RUN} letters, spaces or
 * punctuation in a row (one BPE piece: jtokkit's cost per character grows with the piece, 10–20×
 * on a one-word prompt), nor one jtokkit does not accept (a lone surrogate). Any other text counts as its
 * UTF-8 length in bytes, without tokenising. That
 * is an upper bound for byte-level BPE ({@code o200k_base}, {@code cl100k_base}): the text is encoded
 * as UTF-8 and every token stands for at least one byte of it, so there are never more tokens than
 * bytes (a lone surrogate counts 3 bytes, the replacement character's length). So a 4 MB one-word
 * prompt costs a few milliseconds instead of ten seconds of BPE and a 16 MB one no memory beyond the
 * body, and the estimate stays an upper bound for admission ({@code exact == false} then).
 *
 * <p><b>Max output</b> = {@code max_completion_tokens}, else {@code max_tokens}, else
 * {@code max_output_tokens} — a positive number, anything else (absent, negative, zero, text) counts
 * as unset — capped at the model's output limit when the catalog knows it; unset, it is the model's
 * output limit, or {@value #DEFAULT_MAX_OUTPUT_TOKENS} when that is unknown. Times {@code n} when
 * several choices are asked for (below 1 counts as 1); 0 for embedding models (their name contains
 * "embed"). All of it saturates at {@code Long.MAX_VALUE} instead of wrapping around. An image part
 * counts {@value #IMAGE_TOKENS} tokens (one 1024×1024 high-detail image at OpenAI's tile rate).
 *
 * <pre>{@code
 * TokenEstimator.Estimate e = TokenEstimator.estimate("openai", "gpt-4o", body, 16_384L);
 * long reserve = e.totalTokens();   // prompt + max output
 * }</pre>
 */
public final class TokenEstimator {
    /** Output tokens reserved per choice when the request sets no maximum and the model's limit is unknown. */
    public static final long DEFAULT_MAX_OUTPUT_TOKENS = 4096;
    /** Characters per request the BPE tokenizer sees at most (256 Ki); the rest is bounded by its UTF-8 length. */
    public static final int EXACT_CHARS_PER_REQUEST = 262_144;
    /** The longest run of one character class a text may have and still be tokenised. */
    public static final int LONGEST_EXACT_RUN = 2_048;

    static final int TOKENS_PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;
    static final int TOKENS_PER_NAME = 1;
    static final int IMAGE_TOKENS = 765;
    private static final String[] MAX_FIELDS = {"max_completion_tokens", "max_tokens", "max_output_tokens"};

    private TokenEstimator() {}

    /**
     * Tokens an admission reserves for one request.
     *
     * @param promptTokens    the prompt, counted or bounded
     * @param maxOutputTokens the most output the request can produce (all choices), saturated
     * @param exact           true when the whole prompt was counted with the model's own tokenizer
     * @param unsetMax        why the output reservation is what it is when the request set no maximum
     *                        (e.g. "no max_tokens, so the model's output limit of 16384 tokens is
     *                        reserved"), for refusal messages; null when the request set one
     */
    public record Estimate(long promptTokens, long maxOutputTokens, boolean exact, String unsetMax) {
        /**
         * An estimate of a request that set its maximum output.
         *
         * @param promptTokens    the prompt
         * @param maxOutputTokens the most output
         * @param exact           true when counted with the model's own tokenizer
         */
        public Estimate(long promptTokens, long maxOutputTokens, boolean exact) {
            this(promptTokens, maxOutputTokens, exact, null);
        }

        /** {@return prompt + max output, saturating at {@code Long.MAX_VALUE}} */
        public long totalTokens() {
            return Saturating.add(promptTokens, maxOutputTokens);
        }
    }

    /**
     * Estimates a request without knowing the model's output limit (the prompt part is what callers use).
     *
     * @param providerId the provider
     * @param model      the model
     * @param body       the request body; null counts nothing
     * @return the estimate
     */
    public static Estimate estimate(String providerId, String model, ObjectNode body) {
        return estimate(providerId, model, body, null);
    }

    /**
     * Estimates a request for admission.
     *
     * @param providerId  the provider
     * @param model       the model
     * @param body        the request body; null counts nothing
     * @param outputLimit the model's output limit per choice, null when unknown
     * @return the estimate
     */
    public static Estimate estimate(String providerId, String model, ObjectNode body, Long outputLimit) {
        Optional<EncodingType> enc = encodingFor(providerId, model);
        BpeCounter bpe = enc.map(t -> new BpeCounter(Registry.get(t))).orElse(null);
        Counter counter = bpe != null ? bpe : CHARS_OVER_FOUR;
        long prompt = body == null ? 0 : promptTokens(body, counter);
        Output out = output(model, body, outputLimit);
        return new Estimate(prompt, out.tokens, bpe != null && !bpe.bounded, out.unsetMax);
    }

    /**
     * A guaranteed upper bound of a request's prompt tokens, for admission, without a tokenizer: every
     * text counts its UTF-8 length in bytes ({@link #utf8Length}), with the same framing, image and
     * token-id counts as {@link #estimate}. Byte-level BPE ({@code o200k_base}, {@code cl100k_base})
     * encodes the text as UTF-8 and every token stands for at least one byte, so no text has more
     * tokens than bytes; the same holds for any tokenizer whose tokens each cover at least one byte of
     * the text (SentencePiece with byte fallback, Claude's, Gemini's). One pass over the characters, no
     * allocation beyond a {@code tools} or {@code tool_calls} array's JSON text: about 1 ns a character,
     * against 40–50 ns for exact BPE. Admission reserves this; the provider's reported usage replaces
     * it when the call ends.
     *
     * @param body the request body; null counts nothing
     * @return the bound, at least the real count for OpenAI's tokenizers
     */
    public static long promptBound(ObjectNode body) {
        PROMPT_BOUNDS.increment();
        return body == null ? 0 : promptTokens(body, UTF8_BYTES);
    }

    /** How many prompt bounds were computed (tests check it is once per request). */
    static final java.util.concurrent.atomic.LongAdder PROMPT_BOUNDS = new java.util.concurrent.atomic.LongAdder();

    /**
     * The admission estimate: {@code promptBound} (see {@link #promptBound}) plus the maximum output,
     * as {@link #estimate} computes it; never exact.
     *
     * @param model       the model
     * @param body        the request body; null counts no output maximum
     * @param outputLimit the model's output limit per choice, null when unknown
     * @param promptBound the prompt's bound, from {@link #promptBound}
     * @return the estimate
     */
    public static Estimate admissionEstimate(String model, ObjectNode body, Long outputLimit, long promptBound) {
        Output out = output(model, body, outputLimit);
        return new Estimate(promptBound, out.tokens, false, out.unsetMax);
    }

    /** The BPE encoding of an OpenAI model, empty for models of other families. */
    public static Optional<EncodingType> encodingFor(String providerId, String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        m = m.substring(m.lastIndexOf('/') + 1);
        if (m.startsWith("ft:")) {
            m = m.substring(3);
        }
        if (m.startsWith("gpt-4o")
                || m.startsWith("chatgpt-4o")
                || m.startsWith("gpt-4.1")
                || m.startsWith("gpt-4.5")
                || m.startsWith("gpt-5")
                || m.startsWith("gpt-oss")
                || m.startsWith("gpt-realtime")
                || m.startsWith("gpt-audio")
                || m.matches("^o[1-9](-.*)?$")
                || m.startsWith("codex")
                || m.startsWith("computer-use")) {
            return Optional.of(EncodingType.O200K_BASE);
        }
        if (m.startsWith("gpt-4")
                || m.startsWith("gpt-3.5")
                || m.startsWith("gpt-35")
                || m.startsWith("text-embedding-")
                || m.startsWith("davinci-002")
                || m.startsWith("babbage-002")) {
            return Optional.of(EncodingType.CL100K_BASE);
        }
        if ("openai".equals(providerId) || "azure-openai".equals(providerId)) {
            return Optional.of(
                    EncodingType.O200K_BASE); // an unfamiliar (newer) OpenAI model or an Azure deployment name
        }
        return Optional.empty();
    }

    static long maxOutputTokens(String model, ObjectNode body) {
        return maxOutputTokens(model, body, null);
    }

    static long maxOutputTokens(String model, ObjectNode body, Long outputLimit) {
        return output(model, body, outputLimit).tokens;
    }

    private record Output(long tokens, String unsetMax) {}

    private static Output output(String model, ObjectNode body, Long outputLimit) {
        if (model != null && model.toLowerCase(Locale.ROOT).contains("embed")) {
            return new Output(0, null);
        }
        long requested = -1;
        if (body != null) {
            for (String field : MAX_FIELDS) {
                requested = Saturating.positiveCount(body.get(field));
                if (requested > 0) {
                    break;
                }
            }
        }
        long perChoice;
        String unsetMax = null;
        if (requested > 0) {
            perChoice = outputLimit == null ? requested : Math.min(requested, outputLimit);
        } else if (outputLimit != null) {
            perChoice = outputLimit;
            unsetMax = "no max_tokens, so the model's output limit of " + outputLimit + " tokens";
        } else {
            perChoice = DEFAULT_MAX_OUTPUT_TOKENS;
            unsetMax = "no max_tokens (and no known output limit for the model), so " + DEFAULT_MAX_OUTPUT_TOKENS
                    + " tokens";
        }
        long n = body == null ? 1 : Math.max(1, Saturating.positiveCount(body.get("n")));
        if (unsetMax != null) {
            unsetMax += (n > 1 ? " per choice are" : " is") + " reserved";
        }
        return new Output(Saturating.multiply(perChoice, n), unsetMax);
    }

    private static long promptTokens(ObjectNode body, Counter c) {
        long tokens = 0;
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray()) {
            tokens += messagesTokens(messages, c) + REPLY_PRIMING;
        }
        JsonNode instructions = body.get("instructions");
        if (instructions != null && instructions.isTextual()) {
            tokens += c.count(instructions.asText()) + TOKENS_PER_MESSAGE;
        }
        tokens += inputTokens(body.get("prompt"), c);
        JsonNode input = body.get("input");
        if (input != null && input.isArray() && input.size() > 0 && input.get(0).isObject()) {
            tokens += messagesTokens(input, c) + REPLY_PRIMING; // Responses API items
        } else {
            tokens += inputTokens(input, c);
        }
        JsonNode tools = body.get("tools");
        if (tools != null && tools.isArray() && tools.size() > 0) {
            tokens += c.count(tools.toString());
        }
        return tokens;
    }

    private static long messagesTokens(JsonNode messages, Counter c) {
        long tokens = 0;
        for (JsonNode m : messages) {
            tokens += TOKENS_PER_MESSAGE;
            tokens += c.count(m.path("role").asText(""));
            tokens += contentTokens(m.get("content"), c);
            JsonNode name = m.get("name");
            if (name != null && name.isTextual()) {
                tokens += c.count(name.asText()) + TOKENS_PER_NAME;
            }
            JsonNode toolCalls = m.get("tool_calls");
            if (toolCalls != null && toolCalls.isArray()) {
                tokens += c.count(toolCalls.toString());
            }
            JsonNode toolCallId = m.get("tool_call_id");
            if (toolCallId != null && toolCallId.isTextual()) {
                tokens += c.count(toolCallId.asText());
            }
        }
        return tokens;
    }

    private static long contentTokens(JsonNode content, Counter c) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return c.count(content.asText());
        }
        long tokens = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText("");
                if (type.contains("image")) {
                    tokens += IMAGE_TOKENS;
                } else if (part.path("text").isTextual()) {
                    tokens += c.count(part.path("text").asText());
                }
            }
        }
        return tokens;
    }

    /** {@code prompt} / {@code input}: a string, strings, token ids, or arrays of token ids. */
    private static long inputTokens(JsonNode input, Counter c) {
        if (input == null || input.isNull()) {
            return 0;
        }
        if (input.isTextual()) {
            return c.count(input.asText());
        }
        long tokens = 0;
        if (input.isArray()) {
            for (JsonNode item : input) {
                if (item.isTextual()) {
                    tokens += c.count(item.asText());
                } else if (item.isNumber()) {
                    tokens += 1;
                } else if (item.isArray()) {
                    tokens += item.size();
                }
            }
        }
        return tokens;
    }

    private interface Counter {
        long count(String text);
    }

    private static final Counter CHARS_OVER_FOUR = text -> (text.length() + 3) / 4;
    private static final Counter UTF8_BYTES = TokenEstimator::utf8Length;

    /**
     * The BPE count of one request's texts, within the request's budget of
     * {@value #EXACT_CHARS_PER_REQUEST} characters; past it, or for a text with a run longer than
     * {@value #LONGEST_EXACT_RUN}, the text's UTF-8 length (see the class comment). Not thread-safe:
     * one per estimate.
     */
    private static final class BpeCounter implements Counter {
        private final Encoding encoding;
        private long budget = EXACT_CHARS_PER_REQUEST;
        /** True once any text was bounded instead of counted. */
        boolean bounded;

        BpeCounter(Encoding encoding) {
            this.encoding = encoding;
        }

        @Override
        public long count(String text) {
            if (text.isEmpty()) {
                return 0;
            }
            if (text.length() <= budget && tokenisable(text)) {
                budget -= text.length();
                // "ordinary": text like "<|endoftext|>" in a user message is text, not a special token
                return encoding.countTokensOrdinary(text);
            }
            bounded = true;
            return utf8Length(text);
        }
    }

    /**
     * The length of {@code text} in UTF-8 bytes, counted without encoding it: 1 byte below U+0080, 2
     * below U+0800, 4 for a surrogate pair, 3 otherwise — a lone surrogate too, as it is encoded as
     * U+FFFD (3 bytes) or '?' (1): the larger keeps this an upper bound either way.
     *
     * @param text the text
     * @return its UTF-8 length, an upper bound of its byte-level BPE token count
     */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Whether jtokkit may see {@code text}: no run of more than {@value #LONGEST_EXACT_RUN} letters
     * (with their marks), white space, or other non-digit characters in a row — such a run is one BPE
     * piece, which jtokkit merges at a cost per character that grows with the piece (digits are split
     * in threes) — and no lone surrogate, which jtokkit does not accept as UTF-16 (an assertion error
     * with assertions on, an unspecified count without). One pass, no allocation.
     */
    static boolean tokenisable(String text) {
        int run = 0;
        int runClass = -1;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++; // a pair: one "other" character, like an emoji
                } else {
                    return false;
                }
            }
            int cls = charClass(c);
            if (cls == 0) {
                run = 0;
                runClass = -1;
                continue;
            }
            run = cls == runClass ? run + 1 : 1;
            runClass = cls;
            if (run > LONGEST_EXACT_RUN) {
                return false;
            }
        }
        return true;
    }

    /** 0 digit, 1 letter or mark, 2 white space, 3 anything else. */
    private static int charClass(char c) {
        if (c < 0x80) {
            if (c >= '0' && c <= '9') {
                return 0;
            }
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                return 1;
            }
            return c == ' ' || (c >= '\t' && c <= '\r') ? 2 : 3;
        }
        if (Character.isDigit(c)) {
            return 0;
        }
        int type = Character.getType(c);
        if (Character.isLetter(c)
                || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK) {
            return 1;
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c) ? 2 : 3;
    }

    /** Loads each vocabulary on first use only (o200k_base alone is a few MB). */
    private static final class Registry {
        private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

        static Encoding get(EncodingType type) {
            return REGISTRY.getEncoding(type);
        }
    }
}
