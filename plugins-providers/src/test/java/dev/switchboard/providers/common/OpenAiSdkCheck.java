package dev.switchboard.providers.common;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.completions.Completion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The strictest OpenAI client there is: the official OpenAI Java SDK. Every answer, chunk, embeddings
 * list and error the provider tests produce is read from its JSON text by the SDK's own mapper
 * ({@link ObjectMappers#jsonMapper()}) into the SDK's model class and {@code validate()}d (required
 * fields, known enum values, union variants such as a tool call's {@code type}); streams are fed,
 * chunk by chunk, to the SDK's {@link ChatCompletionAccumulator}. On top of what the SDK checks, tool
 * call {@code arguments} must be a JSON object text, because every SDK app parses them.
 *
 * <p>It is called from the helpers every provider test already goes through ({@link ProviderTesting},
 * the recording sinks, the per-package schema helpers), so no answer escapes it. {@link #summary()}
 * counts what was checked; run the tests with {@code -Dsb.sdkCheckReport=<folder>} to have it written
 * there when the test JVM exits.
 */
public final class OpenAiSdkCheck {
    private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    /** Nodes already checked, by identity: a helper may see the same answer twice; it is counted once. */
    private static final Set<JsonNode> SEEN =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    /** System property naming a folder: when set, the test JVM writes {@link #summary()} there as it exits. */
    public static final String REPORT_DIR_PROPERTY = "sb.sdkCheckReport";

    static {
        String dir = System.getProperty(REPORT_DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> writeSummary(Path.of(dir)), "openai-sdk-check-summary"));
        }
    }

    private OpenAiSdkCheck() {}

    /** Parses and validates a {@code chat.completion}; its tool call arguments must be JSON objects. */
    public static ChatCompletion chatCompletion(JsonNode body) {
        ChatCompletion c = parse(body, ChatCompletion.class);
        try {
            c.validate();
        } catch (RuntimeException e) {
            fail("the OpenAI SDK rejects this ChatCompletion: " + e.getMessage() + "\n" + body, e);
        }
        assertArgumentsAreJson(c, body);
        count("chat.completion", body);
        return c;
    }

    /** Parses and validates one {@code chat.completion.chunk}. */
    public static ChatCompletionChunk chunk(JsonNode chunk) {
        ChatCompletionChunk c = parse(chunk, ChatCompletionChunk.class);
        try {
            c.validate();
        } catch (RuntimeException e) {
            fail("the OpenAI SDK rejects this ChatCompletionChunk: " + e.getMessage() + "\n" + chunk, e);
        }
        count("chat.completion.chunk", chunk);
        return c;
    }

    /** Parses and validates an embeddings list. */
    public static CreateEmbeddingResponse embeddings(JsonNode body) {
        CreateEmbeddingResponse r = parse(body, CreateEmbeddingResponse.class);
        try {
            r.validate();
        } catch (RuntimeException e) {
            fail("the OpenAI SDK rejects this CreateEmbeddingResponse: " + e.getMessage() + "\n" + body, e);
        }
        count("embeddings", body);
        return r;
    }

    /** Parses and validates a legacy {@code text_completion}. */
    public static Completion completion(JsonNode body) {
        Completion c = parse(body, Completion.class);
        try {
            c.validate();
        } catch (RuntimeException e) {
            fail("the OpenAI SDK rejects this Completion: " + e.getMessage() + "\n" + body, e);
        }
        count("text_completion", body);
        return c;
    }

    /** Parses and validates the {@code error} of an OpenAI error envelope {@code {"error":{...}}}. */
    public static ErrorObject error(JsonNode envelope) {
        JsonNode inner = envelope.get("error");
        assertTrue(inner != null && inner.isObject(), "an OpenAI error envelope has an \"error\" object: " + envelope);
        ErrorObject e = parse(inner, ErrorObject.class);
        try {
            e.validate();
        } catch (RuntimeException x) {
            fail("the OpenAI SDK rejects this ErrorObject: " + x.getMessage() + "\n" + envelope, x);
        }
        count("error", envelope);
        return e;
    }

    /**
     * Checks a translated reply as the SDK would read it: a 2xx by its endpoint (chat completion,
     * completion or embeddings list), anything else as an error envelope.
     */
    public static void reply(ProviderCall call, ProviderReply reply) {
        if (reply.status() < 200 || reply.status() > 299) {
            error(reply.body());
            return;
        }
        Endpoint e = call.endpoint();
        switch (e) {
            case CHAT_COMPLETIONS -> chatCompletion(reply.body());
            case COMPLETIONS -> completion(reply.body());
            case EMBEDDINGS -> embeddings(reply.body());
            default -> count("not checked: " + e.name().toLowerCase());
        }
    }

    /**
     * The SDK check matching a schema name of the bundled OpenAI spec, for the helpers that check that
     * schema already; unknown names fail, so a new kind of answer cannot slip past.
     */
    public static void bySchema(String schema, JsonNode node) {
        switch (schema) {
            case "CreateChatCompletionResponse" -> chatCompletion(node);
            case "CreateChatCompletionStreamResponse" -> chunk(node);
            case "CreateEmbeddingResponse" -> embeddings(node);
            case "CreateCompletionResponse" -> completion(node);
            case "ErrorResponse" -> error(node);
            default -> fail("no OpenAI SDK check for schema " + schema);
        }
    }

    /** A stream as an SDK app reads it: every chunk validated and accumulated, in order. */
    public static Stream stream() {
        return new Stream();
    }

    /** What has been checked so far in this JVM, by kind. */
    public static String summary() {
        Map<String, Integer> sorted = new TreeMap<>();
        COUNTS.forEach((k, v) -> sorted.put(k, v.get()));
        int total = sorted.entrySet().stream()
                .filter(en ->
                        !en.getKey().startsWith("not checked") && !en.getKey().equals("stream accumulated"))
                .mapToInt(Map.Entry::getValue)
                .sum();
        return "OpenAI SDK strict parse: " + total + " checked " + sorted;
    }

    /** One chat completion stream fed to the SDK's {@link ChatCompletionAccumulator}. */
    public static final class Stream {
        private final ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        private final StringBuilder seen = new StringBuilder();
        private ChatCompletion completed;

        private Stream() {}

        /**
         * Validates the chunk and accumulates it; once the finish (and usage) chunks are in, the
         * accumulated answer is checked like a non-streamed one. A chunk after the final one fails,
         * as it does in the SDK.
         */
        public void accept(JsonNode chunk) {
            ChatCompletionChunk c = chunk(chunk);
            seen.append(Json.text(chunk)).append('\n');
            try {
                accumulator.accumulate(c);
            } catch (RuntimeException e) {
                fail(
                        "the OpenAI SDK's ChatCompletionAccumulator rejects a chunk: " + e.getMessage()
                                + "\nchunks so far:\n" + seen,
                        e);
            }
            ChatCompletion now = accumulatedOrNull();
            if (now != null && now != completed) {
                if (completed == null) {
                    count("stream accumulated");
                }
                completed = now;
                assertArgumentsAreJson(now, MAPPER.valueToTree(now));
            }
        }

        /**
         * The accumulated answer; fails when the stream has not delivered its final chunk.
         *
         * @return the answer as the SDK assembles it
         */
        public ChatCompletion completion() {
            ChatCompletion c = accumulatedOrNull();
            if (c == null) {
                fail("the OpenAI SDK's ChatCompletionAccumulator has no final chunk:\n" + seen);
            }
            return c;
        }

        /** True once the SDK has an accumulated answer (the finish chunk of every choice arrived). */
        public boolean isComplete() {
            return accumulatedOrNull() != null;
        }

        private ChatCompletion accumulatedOrNull() {
            try {
                return accumulator.chatCompletion();
            } catch (IllegalStateException notYet) {
                return null;
            }
        }
    }

    private static void writeSummary(Path dir) {
        try {
            Files.createDirectories(dir);
            String module =
                    Path.of(System.getProperty("user.dir")).getFileName().toString();
            Files.writeString(dir.resolve("openai-sdk-check-" + module + ".txt"), summary() + System.lineSeparator());
        } catch (IOException e) {
            System.err.println("could not write the OpenAI SDK check summary: " + e);
        }
    }

    private static <T> T parse(JsonNode node, Class<T> type) {
        String text = Json.text(node);
        try {
            return MAPPER.readValue(text, type);
        } catch (Exception e) {
            return fail(
                    "the OpenAI SDK cannot read this as " + type.getSimpleName() + ": " + e.getMessage() + "\n" + text,
                    e);
        }
    }

    private static void assertArgumentsAreJson(ChatCompletion c, JsonNode body) {
        for (ChatCompletion.Choice choice : c.choices()) {
            for (ChatCompletionMessageToolCall call :
                    choice.message().toolCalls().orElse(java.util.List.of())) {
                if (call.function().isEmpty()) {
                    continue;
                }
                String arguments = call.function().get().function().arguments();
                JsonNode parsed;
                try {
                    parsed = MAPPER.readTree(arguments);
                } catch (Exception e) {
                    parsed = null;
                }
                assertTrue(
                        parsed != null && parsed.isObject(),
                        "tool call arguments "
                                + Json.text(MAPPER.getNodeFactory().textNode(arguments))
                                + " are not a JSON object, which every SDK app parses them as:\n" + body);
            }
        }
    }

    private static void count(String kind) {
        COUNTS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void count(String kind, JsonNode node) {
        if (SEEN.add(node)) {
            count(kind);
        }
    }
}
