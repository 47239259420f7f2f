package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one streamed chunk adds to one choice of the answer: text, tool-call fragments, the finish reason,
 * and, on the last chunk, the usage — read from an OpenAI {@code chat.completion.chunk} (or legacy
 * {@code text_completion}) event so a caller never parses chunk JSON by hand. The raw events stay available:
 * iterate the {@link EventStream} itself for them.
 *
 * <pre>{@code
 * try (EventStream s = gateway.execute(request).stream()) {
 *     for (ChatDelta d : s.deltas()) {
 *         System.out.print(d.text());
 *         d.usage().ifPresent(u -> System.out.println("\n" + u.totalTokens() + " tokens"));
 *     }
 * }
 * }</pre>
 *
 * <p>A chunk with several choices ({@code n > 1}) gives one delta per choice; the usage-only chunk that
 * ends a stream ({@code "choices": []}) gives one delta for choice 0 with no text and the usage.
 *
 * @param choice       the choice index ({@code choices[].index})
 * @param role         the role, sent on a choice's first chunk only; null otherwise
 * @param text         the next piece of text; empty when the chunk carries none
 * @param refusal      the next piece of a refusal, or null
 * @param toolCalls    tool-call fragments (empty when none)
 * @param finishReason why the choice ended ({@code stop}, {@code length}, {@code tool_calls}, …), or null
 *                     while it goes on
 * @param usageOrNull  token usage, present on the final usage chunk only
 */
public record ChatDelta(
        int choice,
        @Nullable String role,
        String text,
        @Nullable String refusal,
        List<ToolCallDelta> toolCalls,
        @Nullable String finishReason,
        @Nullable Usage usageOrNull) {

    /**
     * Normalises missing text to the empty string and copies the tool-call list.
     *
     * @param choice       the choice index
     * @param role         the role, or null when the chunk does not carry it
     * @param text         the next piece of text; null is read as empty
     * @param refusal      the next piece of a refusal, or null
     * @param toolCalls    tool-call fragments; null is read as none
     * @param finishReason why the choice ended, or null while it goes on
     * @param usageOrNull  token usage, or null except on the final usage chunk
     */
    public ChatDelta {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** {@return the finish reason, once the choice has ended; empty while it goes on} */
    public Optional<String> finish() {
        return Optional.ofNullable(finishReason);
    }

    /** {@return the usage, on the stream's final usage chunk; empty on every other delta} */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usageOrNull);
    }

    /** {@return true when this delta carries text} */
    public boolean hasText() {
        return !text.isEmpty();
    }

    /**
     * The deltas one event carries: none for {@code [DONE]} or an event that is not a chunk.
     *
     * @param event one server-sent event of a chat or legacy completions stream; null gives none
     * @return one delta per choice in the chunk (one for choice 0 on a usage-only chunk); an unmodifiable
     *         list, empty when the event carries no chunk
     * @throws GatewayErrorException when the event is the error event that ends a stream that failed after
     *                               it started ({@code data: {"error": {...}}}); its status is 502 and its
     *                               type the error's type (e.g. {@code stream_error})
     */
    public static List<ChatDelta> of(@Nullable ServerSentEvent event) {
        if (event == null || event.data() == null || event.isDone()) {
            return List.of();
        }
        JsonNode chunk;
        try {
            chunk = Json.parse(event.data());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        if (chunk == null || !chunk.isObject()) {
            return List.of();
        }
        JsonNode error = chunk.get("error");
        if (error != null && error.isObject()) {
            throw new GatewayErrorException(
                    502,
                    error.path("type").isTextual() ? error.path("type").asText() : null,
                    error.path("message").asText("the stream failed"));
        }
        Usage usage = Usage.fromOpenAi(chunk.get("usage"));
        JsonNode choices = chunk.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return usage == null ? List.of() : List.of(new ChatDelta(0, null, "", null, List.of(), null, usage));
        }
        List<ChatDelta> out = new ArrayList<>(choices.size());
        for (int i = 0; i < choices.size(); i++) {
            JsonNode c = choices.get(i);
            JsonNode delta = c.path("delta");
            String text = textOf(delta.get("content"));
            if (text == null) {
                text = textOf(c.get("text")); // legacy completions stream
            }
            List<ToolCallDelta> calls = new ArrayList<>();
            for (JsonNode t : delta.path("tool_calls")) {
                JsonNode fn = t.path("function");
                calls.add(new ToolCallDelta(
                        t.path("index").asInt(0),
                        textOf(t.get("id")),
                        textOf(fn.get("name")),
                        textOf(fn.get("arguments"))));
            }
            out.add(new ChatDelta(
                    c.path("index").asInt(i),
                    textOf(delta.get("role")),
                    text,
                    textOf(delta.get("refusal")),
                    calls,
                    textOf(c.get("finish_reason")),
                    i == choices.size() - 1 ? usage : null));
        }
        return Collections.unmodifiableList(out);
    }

    private static String textOf(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
