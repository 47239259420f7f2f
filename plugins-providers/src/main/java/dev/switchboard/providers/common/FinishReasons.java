package dev.switchboard.providers.common;

import java.util.Locale;

/**
 * Maps providers' stop reasons to OpenAI's {@code finish_reason} values ({@code stop}, {@code length},
 * {@code tool_calls}, {@code content_filter}, {@code function_call}). A reason that reports a failed
 * generation (Cohere {@code ERROR}, Mistral {@code error}, DeepSeek
 * {@code insufficient_system_resource}) maps to {@code null}: the adapter reports it as an error.
 *
 * <pre>{@code
 * FinishReasons.cohere("MAX_TOKENS");        // "length"
 * FinishReasons.openAiLike("model_length");  // "length"
 * }</pre>
 */
public final class FinishReasons {
    public static final String STOP = "stop";
    public static final String LENGTH = "length";
    public static final String TOOL_CALLS = "tool_calls";
    public static final String CONTENT_FILTER = "content_filter";
    public static final String FUNCTION_CALL = "function_call";

    private FinishReasons() {}

    /** True for the five values OpenAI's schema allows. */
    public static boolean isOpenAi(String reason) {
        return reason != null && switch (reason) {
            case STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER, FUNCTION_CALL -> true;
            default -> false;
        };
    }

    /**
     * For OpenAI-format providers whose reasons are mostly OpenAI's (Mistral, DeepSeek, OpenRouter,
     * Groq...): known values pass, known variants are mapped, errors give null, anything else is {@code stop}.
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

    /** Cohere v2 ({@code COMPLETE}...) and v1 ({@code ERROR_TOXIC}...) reasons; {@code ERROR}/{@code TIMEOUT} give null. */
    public static String cohere(String reason) {
        if (reason == null) {
            return STOP;
        }
        return switch (reason.toUpperCase(Locale.ROOT)) {
            case "COMPLETE", "STOP_SEQUENCE", "USER_CANCEL" -> STOP;
            case "MAX_TOKENS", "ERROR_LIMIT" -> LENGTH;
            case "TOOL_CALL" -> TOOL_CALLS;
            case "ERROR_TOXIC" -> CONTENT_FILTER;
            case "ERROR", "TIMEOUT" -> null;
            default -> STOP;
        };
    }
}
