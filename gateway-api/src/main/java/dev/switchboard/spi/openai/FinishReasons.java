package dev.switchboard.spi.openai;

import java.util.Locale;

/**
 * OpenAI's {@code finish_reason} values ({@code stop}, {@code length}, {@code tool_calls},
 * {@code content_filter}, {@code function_call}) and the mapping of near-OpenAI variants to them. A
 * reason that reports a failed generation (Mistral {@code error}, DeepSeek
 * {@code insufficient_system_resource}) maps to {@code null}: the provider reports it as an error.
 *
 * <pre>{@code
 * builder.finishReason(FinishReasons.LENGTH);     // the answer hit max_tokens
 * FinishReasons.openAiLike("model_length");       // "length"
 * FinishReasons.isOpenAi("end_turn");             // false: map it before answering
 * }</pre>
 */
public final class FinishReasons {
    /** The model ended its answer (or hit a stop sequence). */
    public static final String STOP = "stop";
    /** The answer was cut by {@code max_tokens} or the context window. */
    public static final String LENGTH = "length";
    /** The model asks the caller to run the tool calls in the message. */
    public static final String TOOL_CALLS = "tool_calls";
    /** Content was withheld by a safety filter. */
    public static final String CONTENT_FILTER = "content_filter";
    /** The legacy single function call (deprecated by OpenAI in favour of tool calls). */
    public static final String FUNCTION_CALL = "function_call";

    private FinishReasons() {}

    /**
     * Whether a reason is one of the five values OpenAI's schema allows.
     *
     * @param reason a finish reason, may be null
     * @return true for {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter} and
     *         {@code function_call} (exact, lower case); false otherwise, and for null
     */
    public static boolean isOpenAi(String reason) {
        return reason != null
                && switch (reason) {
                    case STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER, FUNCTION_CALL -> true;
                    default -> false;
                };
    }

    /**
     * For OpenAI-format providers whose reasons are mostly OpenAI's (Mistral, DeepSeek, OpenRouter,
     * Groq...): known values pass, known variants are mapped, errors give null, anything else is {@code stop}.
     *
     * @param reason the provider's finish reason, may be null
     * @return the OpenAI reason; null when {@code reason} is null or reports a failed generation
     */
    public static String openAiLike(String reason) {
        if (reason == null || isOpenAi(reason)) {
            return reason;
        }
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "model_length", "max_tokens", "model_context_window_exceeded" -> LENGTH;
            case "tool_use", "tool_call" -> TOOL_CALLS;
            case "content_filtered", "safety", "refusal" -> CONTENT_FILTER;
            case "error", "insufficient_system_resource" -> null;
            default -> STOP;
        };
    }
}
