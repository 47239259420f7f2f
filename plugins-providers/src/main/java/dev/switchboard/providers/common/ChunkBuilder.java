package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;

/**
 * Builds OpenAI {@code chat.completion.chunk} objects for one stream: every chunk carries the same
 * id, created time and model, as OpenAI's do. Translating adapters (Cohere, Anthropic, Gemini,
 * Bedrock) use it so their streams look exactly like OpenAI's.
 *
 * <pre>{@code
 * ChunkBuilder chunks = new ChunkBuilder("chatcmpl-1", "command-a", clock.instant().getEpochSecond());
 * sink.emit(chunks.role());
 * sink.emit(chunks.content("Hello"));
 * sink.emit(chunks.toolCallStart(0, "call_1", "get_weather", ""));
 * sink.emit(chunks.toolCallArguments(0, "{\"city\":\"Paris\"}"));
 * sink.emit(chunks.finish("tool_calls"));
 * sink.emit(chunks.usage(Usage.of(10, 5)));   // choices: []
 * sink.emit(chunks.forChoice(1).content("Hi")); // choice index 1, when n > 1
 * }</pre>
 */
public final class ChunkBuilder {
    private final String id;
    private final String model;
    private final long created;
    /** The {@code index} of the one choice each chunk carries. */
    private final int choice;

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
     * The same stream's builder, writing choice {@code index} instead of 0: streams with several
     * choices ({@code n > 1}, such as Gemini's candidates) interleave chunks of each.
     */
    public ChunkBuilder forChoice(int index) {
        return index == choice ? this : new ChunkBuilder(id, model, created, index);
    }

    public String id() {
        return id;
    }

    public String model() {
        return model;
    }

    public long created() {
        return created;
    }

    /** A chunk with an empty {@code choices} array, to be filled by the caller. */
    public ObjectNode empty() {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        c.putArray("choices");
        return c;
    }

    /** A chunk with one choice (index 0 unless {@link #forChoice}) whose {@code delta} is returned for filling. */
    public ObjectNode withDelta(ObjectNode[] deltaOut) {
        ObjectNode c = empty();
        ObjectNode choice = ((ArrayNode) c.get("choices")).addObject();
        choice.put("index", this.choice);
        deltaOut[0] = choice.putObject("delta");
        choice.putNull("finish_reason");
        return c;
    }

    /** The first chunk: {@code delta: {role: "assistant", content: ""}}. */
    public ObjectNode role() {
        ObjectNode[] d = new ObjectNode[1];
        ObjectNode c = withDelta(d);
        d[0].put("role", "assistant");
        d[0].put("content", "");
        return c;
    }

    public ObjectNode content(String text) {
        ObjectNode[] d = new ObjectNode[1];
        ObjectNode c = withDelta(d);
        d[0].put("content", text);
        return c;
    }

    /** Reasoning text as {@code delta.reasoning_content} (DeepSeek's convention, read by common clients). */
    public ObjectNode reasoning(String text) {
        ObjectNode[] d = new ObjectNode[1];
        ObjectNode c = withDelta(d);
        d[0].put("reasoning_content", text);
        return c;
    }

    /** Opens tool call {@code index}: id, type, name and the first arguments fragment (often ""). */
    public ObjectNode toolCallStart(int index, String callId, String name, String arguments) {
        ObjectNode[] d = new ObjectNode[1];
        ObjectNode c = withDelta(d);
        ObjectNode tc = d[0].putArray("tool_calls").addObject();
        tc.put("index", index);
        tc.put("id", callId);
        tc.put("type", "function");
        ObjectNode fn = tc.putObject("function");
        fn.put("name", name);
        fn.put("arguments", arguments == null ? "" : arguments);
        return c;
    }

    /** A fragment of tool call {@code index}'s JSON arguments. */
    public ObjectNode toolCallArguments(int index, String fragment) {
        ObjectNode[] d = new ObjectNode[1];
        ObjectNode c = withDelta(d);
        ObjectNode tc = d[0].putArray("tool_calls").addObject();
        tc.put("index", index);
        tc.putObject("function").put("arguments", fragment);
        return c;
    }

    /** The chunk that carries {@code finish_reason}, with an empty delta. */
    public ObjectNode finish(String finishReason) {
        ObjectNode c = empty();
        ObjectNode choice = ((ArrayNode) c.get("choices")).addObject();
        choice.put("index", this.choice);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason);
        return c;
    }

    /** The extra final chunk of {@code stream_options.include_usage}: {@code choices: []} and the usage. */
    public ObjectNode usage(Usage usage) {
        ObjectNode c = empty();
        c.set("usage", usage.toOpenAi());
        return c;
    }
}
