package dev.switchboard.providers;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end-to-end answers as the official OpenAI Java SDK reads them: the body text parsed by the
 * SDK's own mapper into its model class and {@code validate()}d, a stream's chunks accumulated by its
 * {@link ChatCompletionAccumulator}, an error's {@code error} object read as {@link ErrorObject}; tool
 * call arguments must be JSON object texts. (plugins-providers' tests have the same check as
 * {@code OpenAiSdkCheck}; test classes do not cross modules.) With
 * {@code -Dsb.sdkCheckReport=<folder>} the counts are written there when the test JVM exits.
 */
final class OpenAiSdk {
    private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

    static {
        String dir = System.getProperty("sb.sdkCheckReport");
        if (dir != null && !dir.isBlank()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> write(Path.of(dir)), "openai-sdk-summary"));
        }
    }

    private OpenAiSdk() {}

    /** A non-streamed answer. */
    static ChatCompletion completion(String body) {
        ChatCompletion c = read(body, ChatCompletion.class);
        try {
            c.validate();
        } catch (RuntimeException e) {
            fail("the OpenAI SDK rejects this ChatCompletion: " + e.getMessage() + "\n" + body, e);
        }
        argumentsAreJson(c, body);
        count("chat.completion");
        return c;
    }

    /** A stream's chunks (without {@code [DONE]}), each validated, accumulated as an SDK app does. */
    static ChatCompletion stream(List<String> chunks) {
        return accumulate(chunks, true);
    }

    /** The chunks a stream delivered before it ended in an error event: validated and accumulated, unfinished. */
    static void streamBeforeError(List<String> chunks) {
        accumulate(chunks, false);
    }

    private static ChatCompletion accumulate(List<String> chunks, boolean complete) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        StringBuilder seen = new StringBuilder();
        for (String data : chunks) {
            ChatCompletionChunk chunk = read(data, ChatCompletionChunk.class);
            seen.append(data).append('\n');
            try {
                chunk.validate();
                acc.accumulate(chunk);
            } catch (RuntimeException e) {
                fail("the OpenAI SDK rejects this chunk: " + e.getMessage() + "\nchunks so far:\n" + seen, e);
            }
            count("chat.completion.chunk");
        }
        if (!complete) {
            return null;
        }
        ChatCompletion c;
        try {
            c = acc.chatCompletion();
        } catch (IllegalStateException e) {
            return fail("the OpenAI SDK's accumulator has no final chunk:\n" + seen, e);
        }
        argumentsAreJson(c, seen.toString());
        count("stream accumulated");
        return c;
    }

    /** The {@code error} of an OpenAI error envelope (an error answer, or a stream's error event). */
    static ErrorObject error(String envelope) {
        JsonNode node;
        try {
            node = MAPPER.readTree(envelope);
        } catch (IOException e) {
            return fail("not JSON: " + envelope, e);
        }
        assertTrue(node.path("error").isObject(), "an OpenAI error envelope has an \"error\" object: " + envelope);
        ErrorObject e = read(node.get("error").toString(), ErrorObject.class);
        try {
            e.validate();
        } catch (RuntimeException x) {
            fail("the OpenAI SDK rejects this ErrorObject: " + x.getMessage() + "\n" + envelope, x);
        }
        count("error");
        return e;
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (IOException e) {
            return fail(
                    "the OpenAI SDK cannot read this as " + type.getSimpleName() + ": " + e.getMessage() + "\n" + text,
                    e);
        }
    }

    private static void argumentsAreJson(ChatCompletion c, String where) {
        for (ChatCompletion.Choice choice : c.choices()) {
            for (ChatCompletionMessageToolCall call :
                    choice.message().toolCalls().orElse(List.of())) {
                if (call.function().isEmpty()) {
                    continue;
                }
                String arguments = call.function().get().function().arguments();
                JsonNode parsed;
                try {
                    parsed = MAPPER.readTree(arguments);
                } catch (IOException e) {
                    parsed = null;
                }
                assertTrue(
                        parsed != null && parsed.isObject(),
                        "tool call arguments are not a JSON object text: [" + arguments + "] in\n" + where);
            }
        }
    }

    private static void count(String kind) {
        COUNTS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void write(Path dir) {
        Map<String, Integer> sorted = new TreeMap<>();
        COUNTS.forEach((k, v) -> sorted.put(k, v.get()));
        int total = sorted.entrySet().stream()
                .filter(e -> !e.getKey().equals("stream accumulated"))
                .mapToInt(Map.Entry::getValue)
                .sum();
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("openai-sdk-check-gateway-engine.txt"),
                    "OpenAI SDK strict parse: " + total + " checked " + sorted + System.lineSeparator());
        } catch (IOException e) {
            System.err.println("could not write the OpenAI SDK check summary: " + e);
        }
    }
}
