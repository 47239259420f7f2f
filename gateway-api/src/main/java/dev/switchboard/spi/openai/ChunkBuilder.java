package dev.switchboard.spi.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ProviderCall;

/**
 * Builds OpenAI {@code chat.completion.chunk} objects for one stream: every chunk carries the same
 * id, created time and model, as OpenAI's do. A stream is a role chunk, content (or tool-call)
 * chunks, a finish chunk and, when the request asked for it, a usage chunk; the gateway appends
 * {@code data: [DONE]} itself. Translating adapters (Cohere, Anthropic, Gemini, Bedrock) and
 * in-process providers use it so their streams look exactly like OpenAI's.
 *
 * <pre>{@code
 * ChunkBuilder chunks = ChunkBuilder.forCall(call);      // or new ChunkBuilder(id, model, epochSeconds)
 * sink.emit(chunks.role());
 * sink.emit(chunks.content("Hello"));
 * sink.emit(chunks.toolCallStart(0, "call_1", "get_weather", ""));
 * sink.emit(chunks.toolCallArguments(0, "{\"city\":"));  // arguments arrive in fragments
 * sink.emit(chunks.toolCallArguments(0, "\"Paris\"}"));
 * sink.emit(chunks.finish(FinishReasons.TOOL_CALLS));
 * sink.emit(chunks.usage(Usage.of(10, 5)));              // choices: []
 * sink.emit(chunks.forChoice(1).content("Hi"));          // choice index 1, when n > 1
 * }</pre>
 */
public final class ChunkBuilder {
    private final String id;
    private final String model;
    private final long created;
    /** The {@code index} of the one choice each chunk carries. */
    private final int choice;

    /**
     * A builder for one stream.
     *
     * @param id                  the stream's id, the same in every chunk (e.g. {@code chatcmpl-…})
     * @param model               the model to report; null becomes {@code ""}
     * @param createdEpochSeconds the stream's creation time in seconds since the epoch
     */
    public ChunkBuilder(String id, String model, long createdEpochSeconds) {
        this(id, model == null ? "" : model, createdEpochSeconds, 0);
    }

    private ChunkBuilder(String id, String model, long createdEpochSeconds, int choice) {
        this.id = id;
        this.model = model;
        this.created = createdEpochSeconds;
        this.choice = choice;
    }

    /**
     * A builder for the stream answering {@code call}: a fresh {@code chatcmpl-} id, the request's
     * {@code model} and the call's clock.
     *
     * @param call the call being answered
     * @return the builder, writing choice 0
     */
    public static ChunkBuilder forCall(ProviderCall call) {
        return new ChunkBuilder(
                ChatCompletions.newId(),
                call.body().path("model").asText(""),
                call.clock().instant().getEpochSecond());
    }

    /**
     * The same stream's builder, writing choice {@code index} instead of 0: streams with several
     * choices ({@code n > 1}, such as Gemini's candidates) interleave chunks of each.
     *
     * @param index the choice's {@code index}
     * @return a builder with this one's id, model and created time; this builder when it already writes
     *         {@code index}
     */
    public ChunkBuilder forChoice(int index) {
        return index == choice ? this : new ChunkBuilder(id, model, created, index);
    }

    /** {@return the id every chunk of this stream carries} */
    public String id() {
        return id;
    }

    /** {@return the model every chunk of this stream reports} */
    public String model() {
        return model;
    }

    /** {@return the creation time (epoch seconds) every chunk of this stream carries} */
    public long created() {
        return created;
    }

    /** {@return a new chunk with an empty {@code choices} array, to be filled by the caller} */
    public ObjectNode empty() {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        c.putArray("choices");
        return c;
    }

    /** A chunk with one choice (index 0 unless {@link #forChoice}); returns the {@code delta} to fill. */
    private ObjectNode withDelta(ObjectNode chunk) {
        ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
        choice.put("index", this.choice);
        ObjectNode delta = choice.putObject("delta");
        choice.putNull("finish_reason");
        return delta;
    }

    /** {@return the first chunk: {@code delta: {role: "assistant", content: ""}}} */
    public ObjectNode role() {
        ObjectNode c = empty();
        withDelta(c).put("role", "assistant").put("content", "");
        return c;
    }

    /**
     * A piece of the answer text as {@code delta.content}.
     *
     * @param text the next piece of text
     * @return the chunk
     */
    public ObjectNode content(String text) {
        ObjectNode c = empty();
        withDelta(c).put("content", text);
        return c;
    }

    /**
     * Reasoning text as {@code delta.reasoning_content} (DeepSeek's convention, read by common clients).
     *
     * @param text the next piece of reasoning
     * @return the chunk
     */
    public ObjectNode reasoning(String text) {
        ObjectNode c = empty();
        withDelta(c).put("reasoning_content", text);
        return c;
    }

    /**
     * Opens tool call {@code index}: id, type, name and the first arguments fragment (often "").
     *
     * @param index     the call's position among the choice's tool calls, from 0
     * @param callId    the call id the caller answers with a {@code tool} message
     * @param name      the function's name
     * @param arguments the first fragment of the JSON arguments; null becomes {@code ""}
     * @return the chunk
     */
    public ObjectNode toolCallStart(int index, String callId, String name, String arguments) {
        ObjectNode c = empty();
        ObjectNode tc = withDelta(c).putArray("tool_calls").addObject();
        tc.put("index", index);
        tc.put("id", callId);
        tc.put("type", "function");
        ObjectNode fn = tc.putObject("function");
        fn.put("name", name);
        fn.put("arguments", arguments == null ? "" : arguments);
        return c;
    }

    /**
     * A fragment of tool call {@code index}'s JSON arguments.
     *
     * @param index    the call's position, as given to {@link #toolCallStart}
     * @param fragment the next piece of the arguments text
     * @return the chunk
     */
    public ObjectNode toolCallArguments(int index, String fragment) {
        ObjectNode c = empty();
        ObjectNode tc = withDelta(c).putArray("tool_calls").addObject();
        tc.put("index", index);
        tc.putObject("function").put("arguments", fragment);
        return c;
    }

    /**
     * The chunk that carries {@code finish_reason} (see {@link FinishReasons}), with an empty delta.
     *
     * @param finishReason the reason the choice ended, e.g. {@link FinishReasons#STOP}
     * @return the chunk
     */
    public ObjectNode finish(String finishReason) {
        ObjectNode c = empty();
        ObjectNode choice = ((ArrayNode) c.get("choices")).addObject();
        choice.put("index", this.choice);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason);
        return c;
    }

    /**
     * The extra final chunk of {@code stream_options.include_usage}: {@code choices: []} and the usage.
     *
     * @param usage the stream's token usage
     * @return the chunk
     */
    public ObjectNode usage(Usage usage) {
        ObjectNode c = empty();
        c.set("usage", usage.toOpenAi());
        return c;
    }
}
