package dev.switchboard.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.util.List;

/** Checks a stream chunk against OpenAI's own schema for chat stream chunks. */
final class StreamSchema {
    private StreamSchema() {}

    static List<String> problems(JsonNode chunk) {
        return OpenAiSchemas.shared().validate("CreateChatCompletionStreamResponse", chunk);
    }
}
