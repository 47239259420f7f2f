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
 * <p>Max output = {@code max_completion_tokens}, else {@code max_tokens}, else
 * {@code max_output_tokens}, else {@value #DEFAULT_MAX_OUTPUT_TOKENS}; times {@code n} when several
 * choices are asked for; 0 for embedding models (their name contains "embed"). An image part counts
 * {@value #IMAGE_TOKENS} tokens (one 1024×1024 high-detail image at OpenAI's tile rate).
 *
 * <pre>{@code
 * TokenEstimator.Estimate e = TokenEstimator.estimate("openai", "gpt-4o", body);
 * long reserve = e.totalTokens();   // prompt + max output
 * }</pre>
 */
public final class TokenEstimator {
    public static final long DEFAULT_MAX_OUTPUT_TOKENS = 4096;
    static final int TOKENS_PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;
    static final int TOKENS_PER_NAME = 1;
    static final int IMAGE_TOKENS = 765;

    private TokenEstimator() {}

    /**
     * Tokens an admission reserves for one request.
     *
     * @param exact true when the prompt was counted with the model's own tokenizer
     */
    public record Estimate(long promptTokens, long maxOutputTokens, boolean exact) {
        public long totalTokens() {
            return promptTokens + maxOutputTokens;
        }
    }

    public static Estimate estimate(String providerId, String model, ObjectNode body) {
        Optional<EncodingType> enc = encodingFor(providerId, model);
        Counter counter = enc.<Counter>map(t -> new BpeCounter(Registry.get(t))).orElse(CHARS_OVER_FOUR);
        long prompt = body == null ? 0 : promptTokens(body, counter);
        return new Estimate(prompt, maxOutputTokens(model, body), enc.isPresent());
    }

    /** The BPE encoding of an OpenAI model, empty for models of other families. */
    public static Optional<EncodingType> encodingFor(String providerId, String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        m = m.substring(m.lastIndexOf('/') + 1);
        if (m.startsWith("ft:")) {
            m = m.substring(3);
        }
        if (m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
                || m.startsWith("gpt-5") || m.startsWith("gpt-oss") || m.startsWith("gpt-realtime") || m.startsWith("gpt-audio")
                || m.matches("^o[1-9](-.*)?$") || m.startsWith("codex") || m.startsWith("computer-use")) {
            return Optional.of(EncodingType.O200K_BASE);
        }
        if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("gpt-35") || m.startsWith("text-embedding-")
                || m.startsWith("davinci-002") || m.startsWith("babbage-002")) {
            return Optional.of(EncodingType.CL100K_BASE);
        }
        if ("openai".equals(providerId) || "azure-openai".equals(providerId)) {
            return Optional.of(EncodingType.O200K_BASE); // an unfamiliar (newer) OpenAI model or an Azure deployment name
        }
        return Optional.empty();
    }

    static long maxOutputTokens(String model, ObjectNode body) {
        if (model != null && model.toLowerCase(Locale.ROOT).contains("embed")) {
            return 0;
        }
        long max = DEFAULT_MAX_OUTPUT_TOKENS;
        if (body != null) {
            for (String field : new String[] {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
                JsonNode v = body.get(field);
                if (v != null && v.canConvertToLong() && v.asLong() > 0) {
                    max = v.asLong();
                    break;
                }
            }
            JsonNode n = body.get("n");
            if (n != null && n.canConvertToLong() && n.asLong() > 1) {
                max *= n.asLong();
            }
        }
        return max;
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

    private static final class BpeCounter implements Counter {
        private final Encoding encoding;

        BpeCounter(Encoding encoding) {
            this.encoding = encoding;
        }

        @Override
        public long count(String text) {
            // "ordinary": text like "<|endoftext|>" in a user message is text, not a special token
            return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
        }
    }

    /** Loads each vocabulary on first use only (o200k_base alone is a few MB). */
    private static final class Registry {
        private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

        static Encoding get(EncodingType type) {
            return REGISTRY.getEncoding(type);
        }
    }
}
