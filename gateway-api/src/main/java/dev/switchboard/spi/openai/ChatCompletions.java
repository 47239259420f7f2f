package dev.switchboard.spi.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ProviderCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds OpenAI {@code chat.completion} answers, so a provider never writes OpenAI JSON by hand: the
 * result has every field OpenAI's schema requires ({@code id}, {@code object}, {@code created},
 * {@code model}, {@code choices[].index/message/logprobs/finish_reason}, {@code message.role/content/refusal})
 * and, when given, {@code usage} — which is what the gateway accounts and prices.
 *
 * <pre>{@code
 * ObjectNode hello = ChatCompletions.text("echo-1", "Hello").usage(10, 5).build();
 *
 * ObjectNode weather = ChatCompletions.forCall(call)            // model and clock of the request
 *         .toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")   // finish_reason: tool_calls
 *         .usage(Usage.of(42, 7))
 *         .build();
 *
 * for (ObjectNode chunk : ChatCompletions.toChunks(hello, true)) sink.emit(chunk);   // the same answer streamed
 * }</pre>
 */
public final class ChatCompletions {
    private ChatCompletions() {}

    /**
     * A builder for an answer of {@code model}; id and created time are filled in.
     *
     * @param model the answer's {@code model}; null becomes {@code ""}
     * @return the builder, with one empty choice (index 0)
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /**
     * {@code builder(model).content(content)}: the common one-text answer.
     *
     * @param model   the answer's {@code model}; null becomes {@code ""}
     * @param content the answer text
     * @return the builder, to add usage or more before {@link Builder#build()}
     */
    public static Builder text(String model, String content) {
        return new Builder(model).content(content);
    }

    /**
     * A builder for the answer to {@code call}: the request's {@code model}, created now on the call's clock.
     *
     * @param call the call being answered
     * @return the builder
     */
    public static Builder forCall(ProviderCall call) {
        return new Builder(call.body().path("model").asText(""))
                .created(call.clock().instant().getEpochSecond());
    }

    /** {@return a fresh completion id, {@code chatcmpl-} and 24 hex digits (unique, not secret)} */
    public static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "chatcmpl-" + String.format("%016x%08x", r.nextLong(), r.nextInt());
    }

    /**
     * The same answer as an OpenAI stream, without the {@code [DONE]} terminator (the gateway adds
     * it): per choice a role chunk, the content, the reasoning, one chunk per tool call (with its
     * full arguments) and a finish chunk; then, when {@code includeUsage} and the answer has usage,
     * the usage chunk with empty {@code choices}.
     *
     * @param completion   a {@code chat.completion} object, e.g. from {@link Builder#build()}; not modified
     * @param includeUsage whether to end with the usage chunk ({@code stream_options.include_usage})
     * @return the {@code chat.completion.chunk} objects, in order
     */
    public static List<ObjectNode> toChunks(ObjectNode completion, boolean includeUsage) {
        ChunkBuilder stream = new ChunkBuilder(
                completion.path("id").asText(newId()),
                completion.path("model").asText(""),
                completion.path("created").asLong(0));
        List<ObjectNode> chunks = new ArrayList<>();
        // every choice's finish comes after all content, as a real n > 1 stream ends: a client's
        // accumulator (the OpenAI SDK's among them) takes a finish chunk as the end of its choice's stream
        List<ObjectNode> finishes = new ArrayList<>();
        for (JsonNode choice : completion.path("choices")) {
            ChunkBuilder c = stream.forChoice(choice.path("index").asInt(0));
            JsonNode message = choice.path("message");
            chunks.add(c.role());
            if (message.path("content").isTextual()
                    && !message.path("content").asText().isEmpty()) {
                chunks.add(c.content(message.path("content").asText()));
            }
            if (message.path("reasoning_content").isTextual()) {
                chunks.add(c.reasoning(message.path("reasoning_content").asText()));
            }
            int k = 0;
            for (JsonNode call : message.path("tool_calls")) {
                chunks.add(c.toolCallStart(
                        k++,
                        call.path("id").asText(""),
                        call.path("function").path("name").asText(""),
                        call.path("function").path("arguments").asText("")));
            }
            JsonNode finish = choice.path("finish_reason");
            finishes.add(c.finish(finish.isTextual() ? finish.asText() : FinishReasons.STOP));
        }
        chunks.addAll(finishes);
        Usage usage = Usage.fromOpenAi(completion.get("usage"));
        if (includeUsage && usage != null) {
            ObjectNode u = stream.empty();
            u.set("usage", completion.get("usage").deepCopy());
            chunks.add(u);
        }
        return chunks;
    }

    /**
     * Builds one {@code chat.completion}. Content, refusal, reasoning, tool calls and finish reason
     * apply to the current choice (index 0, or the last {@link #choice(int)}). Not thread-safe; one
     * builder per answer.
     */
    public static final class Builder {
        private final String model;
        private String id;
        private Long created;
        private final List<Choice> choices = new ArrayList<>();
        private Usage usage;

        private Builder(String model) {
            this.model = model == null ? "" : model;
            choices.add(new Choice(0));
        }

        private Choice current() {
            return choices.get(choices.size() - 1);
        }

        /**
         * Sets the answer's id; default a fresh {@link ChatCompletions#newId()}.
         *
         * @param id the id, e.g. the upstream's own
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * Sets the creation time; default now (system clock).
         *
         * @param epochSeconds the time in seconds since the epoch
         * @return this builder
         */
        public Builder created(long epochSeconds) {
            this.created = epochSeconds;
            return this;
        }

        /**
         * The answer text; null for none. An empty text beside tool calls becomes {@code null}, as
         * OpenAI writes tool-call answers.
         *
         * @param content the current choice's {@code message.content}
         * @return this builder
         */
        public Builder content(String content) {
            current().content = content;
            return this;
        }

        /**
         * Sets a refusal text ({@code message.refusal}); default null.
         *
         * @param refusal the current choice's refusal
         * @return this builder
         */
        public Builder refusal(String refusal) {
            current().refusal = refusal;
            return this;
        }

        /**
         * Sets reasoning text as {@code message.reasoning_content}; null or empty leaves it out.
         *
         * @param reasoning the current choice's reasoning
         * @return this builder
         */
        public Builder reasoning(String reasoning) {
            current().reasoning = reasoning;
            return this;
        }

        /**
         * Adds a function tool call.
         *
         * @param callId        the id the caller answers with a {@code tool} message
         * @param name          the function's name
         * @param argumentsJson the arguments as a JSON text (OpenAI's convention); null becomes {@code "{}"}
         * @return this builder
         */
        public Builder toolCall(String callId, String name, String argumentsJson) {
            ObjectNode tc = current().toolCalls.addObject();
            tc.put("id", callId);
            tc.put("type", "function");
            tc.putObject("function").put("name", name).put("arguments", argumentsJson == null ? "{}" : argumentsJson);
            return this;
        }

        /**
         * Adds a function tool call whose arguments are JSON: an object is serialised, a text node is
         * taken as the JSON text itself, null or JSON null become {@code "{}"}.
         *
         * @param callId    the id the caller answers with a {@code tool} message
         * @param name      the function's name
         * @param arguments the arguments
         * @return this builder
         */
        public Builder toolCall(String callId, String name, JsonNode arguments) {
            String text = arguments == null || arguments.isNull() || arguments.isMissingNode()
                    ? "{}"
                    : arguments.isTextual() ? arguments.asText() : Json.text(arguments);
            return toolCall(callId, name, text);
        }

        /**
         * The current choice's {@code finish_reason} (see {@link FinishReasons}); default
         * {@code tool_calls} when it has tool calls, else {@code stop}.
         *
         * @param finishReason the reason, e.g. {@link FinishReasons#LENGTH}
         * @return this builder
         */
        public Builder finishReason(String finishReason) {
            current().finishReason = finishReason;
            return this;
        }

        /**
         * Starts another choice (for {@code n > 1}); the following content, tool calls and finish
         * reason are that choice's. A single-choice answer needs no call (its index is 0); the first
         * call, made before anything was written, sets the index of that first choice.
         *
         * @param index the choice's {@code index}
         * @return this builder
         */
        public Builder choice(int index) {
            Choice first = choices.get(0);
            if (choices.size() == 1 && first.isEmpty()) {
                choices.set(0, new Choice(index));
            } else {
                choices.add(new Choice(index));
            }
            return this;
        }

        /**
         * Sets the usage: prompt and completion tokens (the total is their sum).
         *
         * @param promptTokens     prompt (input) tokens
         * @param completionTokens completion (output) tokens
         * @return this builder
         */
        public Builder usage(long promptTokens, long completionTokens) {
            return usage(Usage.of(promptTokens, completionTokens));
        }

        /**
         * Sets the usage, with OpenAI's conventions (see {@link Usage}); null leaves it out.
         *
         * @param usage the usage, or null
         * @return this builder
         */
        public Builder usage(Usage usage) {
            this.usage = usage;
            return this;
        }

        /** {@return the {@code chat.completion} object; the builder can be used again afterwards} */
        public ObjectNode build() {
            ObjectNode r = Json.object();
            r.put("id", id == null ? newId() : id);
            r.put("object", "chat.completion");
            r.put("created", created == null ? System.currentTimeMillis() / 1000 : created);
            r.put("model", model);
            ArrayNode array = r.putArray("choices");
            for (Choice c : choices) {
                array.add(c.toJson());
            }
            if (usage != null) {
                r.set("usage", usage.toOpenAi());
            }
            return r;
        }
    }

    private static final class Choice {
        final int index;
        String content;
        String refusal;
        String reasoning;
        String finishReason;
        final ArrayNode toolCalls = Json.array();

        Choice(int index) {
            this.index = index;
        }

        boolean isEmpty() {
            return content == null
                    && refusal == null
                    && reasoning == null
                    && finishReason == null
                    && toolCalls.isEmpty();
        }

        ObjectNode toJson() {
            ObjectNode choice = Json.object();
            choice.put("index", index);
            ObjectNode msg = choice.putObject("message");
            msg.put("role", "assistant");
            boolean tools = !toolCalls.isEmpty();
            if (content == null || (content.isEmpty() && tools)) {
                msg.putNull("content");
            } else {
                msg.put("content", content);
            }
            if (refusal == null) {
                msg.putNull("refusal");
            } else {
                msg.put("refusal", refusal);
            }
            if (tools) {
                msg.set("tool_calls", toolCalls.deepCopy());
            }
            if (reasoning != null && !reasoning.isEmpty()) {
                msg.put("reasoning_content", reasoning);
            }
            choice.putNull("logprobs");
            choice.put(
                    "finish_reason",
                    Objects.requireNonNullElse(finishReason, tools ? FinishReasons.TOOL_CALLS : FinishReasons.STOP));
            return choice;
        }
    }
}
