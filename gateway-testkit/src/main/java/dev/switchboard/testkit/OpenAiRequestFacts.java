package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.api.Json;

/**
 * The few request fields a fake answer adapts to, read with a streaming parser that skips
 * everything else (the fake transport sits inside benchmarks, so it must not build a tree).
 */
record OpenAiRequestFacts(String model, boolean stream, boolean includeUsage) {
    static final OpenAiRequestFacts NONE = new OpenAiRequestFacts(null, false, false);

    /** The facts of a JSON body; {@link #NONE} when the body is empty or not a JSON object. */
    static OpenAiRequestFacts of(byte[] body) {
        if (body == null || body.length == 0) {
            return NONE;
        }
        String model = null;
        boolean stream = false;
        boolean includeUsage = false;
        try (JsonParser p = Json.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
                    model = p.getText();
                } else if ("stream".equals(name)) {
                    stream = value == JsonToken.VALUE_TRUE;
                } else if ("stream_options".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String option = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("include_usage".equals(option)) {
                            includeUsage = v == JsonToken.VALUE_TRUE;
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (Exception e) {
            return NONE;
        }
        return new OpenAiRequestFacts(model == null || model.isEmpty() ? null : model, stream, includeUsage);
    }

    String modelOr(String fallback) {
        return model == null ? fallback : model;
    }
}
