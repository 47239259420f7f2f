package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * What every provider's answer must look like to the caller, whatever the upstream spoke: a
 * schema-valid OpenAI chat completion, or schema-valid chunks ending in {@code [DONE]}, or an OpenAI
 * error envelope — each also read by the official OpenAI SDK ({@link OpenAiSdk}), streams accumulated
 * by its accumulator. Also the requests the end-to-end tests send.
 */
final class OpenAiShape {
    static final String TOOLS =
            """
            "tools": [{"type": "function", "function": {"name": "get_weather",
              "description": "Current weather for a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
            "tool_choice": "auto"
            """;

    private OpenAiShape() {}

    static GatewayRequest chat(String model) {
        return GatewayRequest.chat(
                        "{\"model\":\"" + model + "\",\"max_tokens\":64,"
                                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    static GatewayRequest stream(String model) {
        return GatewayRequest.chat("{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    static GatewayRequest toolChat(String model, boolean stream) {
        return GatewayRequest.chat("{\"model\":\"" + model + "\",\"max_tokens\":64,"
                        + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]," + TOOLS + "}")
                .build();
    }

    /** The body, after checking status 200 and the OpenAI {@code CreateChatCompletionResponse} schema. */
    static JsonNode completion(GatewayResponse r) {
        assertEquals(200, r.status(), () -> r.bodyAsString());
        JsonNode body = r.json();
        List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", body);
        assertTrue(problems.isEmpty(), problems + "\n" + body);
        assertEquals("chat.completion", body.path("object").asText());
        OpenAiSdk.completion(r.bodyAsString());
        return body;
    }

    /** The body of an error answer, after checking its status, the {@code ErrorResponse} schema and the SDK's read. */
    static JsonNode error(GatewayResponse r, int status) {
        assertEquals(status, r.status(), () -> r.bodyAsString());
        JsonNode body = r.json();
        List<String> problems = OpenAiSchemas.shared().validate("ErrorResponse", body);
        assertTrue(problems.isEmpty(), problems + "\n" + body);
        OpenAiSdk.error(r.bodyAsString());
        return body;
    }

    /**
     * The events of a 200 stream that ends in an error event then {@code [DONE]}: the chunks before
     * the error are checked (schema, SDK), the error event is an OpenAI error envelope the SDK reads.
     *
     * @return every event's data, {@code [DONE]} included
     */
    static List<String> streamEndingInError(GatewayResponse r) {
        assertEquals(200, r.status(), () -> r.bodyAsString());
        List<String> data = new ArrayList<>();
        try (EventStream s = r.stream()) {
            for (ServerSentEvent e : s) {
                data.add(e.data());
            }
        }
        assertEquals("[DONE]", data.get(data.size() - 1), "the stream ends with [DONE]: " + data);
        String error = data.get(data.size() - 2);
        List<String> chunks = data.subList(0, data.size() - 2);
        for (String d : chunks) {
            List<String> problems =
                    OpenAiSchemas.shared().validate("CreateChatCompletionStreamResponse", Json.parse(d));
            assertTrue(problems.isEmpty(), problems + "\n" + d);
        }
        OpenAiSdk.streamBeforeError(chunks);
        List<String> problems = OpenAiSchemas.shared().validate("ErrorResponse", Json.parse(error));
        assertTrue(problems.isEmpty(), problems + "\n" + error);
        OpenAiSdk.error(error);
        return data;
    }

    /** The chunks of a streamed answer (without {@code [DONE]}), each checked against {@code CreateChatCompletionStreamResponse}. */
    static List<JsonNode> chunks(GatewayResponse r) {
        assertEquals(200, r.status(), () -> r.bodyAsString());
        assertTrue(r.isStream(), "a streamed answer");
        List<String> data = new ArrayList<>();
        try (EventStream s = r.stream()) {
            for (ServerSentEvent e : s) {
                data.add(e.data());
            }
        }
        assertEquals("[DONE]", data.get(data.size() - 1), "the stream ends with [DONE]: " + data);
        List<JsonNode> chunks = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode chunk = Json.parse(d);
            List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionStreamResponse", chunk);
            assertTrue(problems.isEmpty(), problems + "\n" + d);
            chunks.add(chunk);
        }
        OpenAiSdk.stream(data.subList(0, data.size() - 1));
        return chunks;
    }

    static String text(List<JsonNode> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(c.at("/choices/0/delta/content").asText("")));
        return sb.toString();
    }

    static String finishReason(List<JsonNode> chunks) {
        String finish = null;
        for (JsonNode c : chunks) {
            JsonNode f = c.at("/choices/0/finish_reason");
            if (f.isTextual()) {
                finish = f.asText();
            }
        }
        return finish;
    }

    /** The usage chunk's usage (the caller asked for {@code include_usage}). */
    static JsonNode usage(List<JsonNode> chunks) {
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals(0, last.path("choices").size(), "the usage chunk has choices: [] " + last);
        return last.get("usage");
    }

    /** Streamed tool call arguments of tool index 0, joined. */
    static String toolArguments(List<JsonNode> chunks) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : chunks) {
            for (JsonNode t : c.at("/choices/0/delta/tool_calls")) {
                if (t.path("index").asInt() == 0) {
                    sb.append(t.at("/function/arguments").asText(""));
                }
            }
        }
        return sb.toString();
    }

    static String toolName(List<JsonNode> chunks) {
        for (JsonNode c : chunks) {
            JsonNode name = c.at("/choices/0/delta/tool_calls/0/function/name");
            if (name.isTextual()) {
                return name.asText();
            }
        }
        return null;
    }
}
