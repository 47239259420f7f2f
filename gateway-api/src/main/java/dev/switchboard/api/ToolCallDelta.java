package dev.switchboard.api;

import org.jspecify.annotations.Nullable;

/**
 * One fragment of a streamed tool call, as OpenAI sends it in {@code choices[].delta.tool_calls[]}: the
 * first fragment of a call carries its {@code id} and function {@code name}; later fragments carry only
 * more of the JSON {@code arguments} text. Join the fragments with the same {@link #index()} to get the
 * whole call.
 *
 * <pre>{@code
 * Map<Integer, StringBuilder> args = new TreeMap<>();
 * for (ChatDelta d : stream.deltas()) {
 *     for (ToolCallDelta t : d.toolCalls()) {
 *         args.computeIfAbsent(t.index(), i -> new StringBuilder()).append(t.arguments());
 *     }
 * }
 * }</pre>
 *
 * @param index     position of the call among the choice's tool calls
 * @param id        the call id ({@code call_…}), or null on a continuation fragment
 * @param name      the function name, or null on a continuation fragment
 * @param arguments the next piece of the JSON arguments text; empty when the fragment has none
 */
public record ToolCallDelta(int index, @Nullable String id, @Nullable String name, String arguments) {
    /**
     * Normalises a missing argument fragment to the empty string.
     *
     * @param index     position of the call among the choice's tool calls
     * @param id        the call id, or null on a continuation fragment
     * @param name      the function name, or null on a continuation fragment
     * @param arguments the next piece of the JSON arguments text; null is read as empty
     */
    public ToolCallDelta {
        arguments = arguments == null ? "" : arguments;
    }
}
